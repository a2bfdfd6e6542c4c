/**
 * The portal's own pages: the first path segment of every client route. The API serves the
 * portal's index.html for these (and for `/`) so a page can be reloaded or linked; every other
 * path stays the API's, so the portal never shadows an API route, /docs, /health or /ready
 * (a test checks these against the OpenAPI document). Latvian, like the portal.
 */
export const PORTAL_PAGES = ['ienakt', 'lietotaji', 'pieteikumi', 'rinda', 'lemumi', 'audits', 'registrs', 'aktualizacija'] as const;

export type PortalPage = (typeof PORTAL_PAGES)[number];
