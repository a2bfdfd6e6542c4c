/**
 * The API serves the built portal at / (same origin): its pages with a Content-Security-Policy
 * without 'unsafe-inline', hashed assets precompressed and cached for good, and never in the way
 * of an API route, /docs, /health or /ready.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PORTAL_PAGES } from '../../apps/api/src/session/portal-pages';
import { Harness, startHarness } from '../support/api-harness';

let h: Harness;
let portal: string;
const INDEX = '<!doctype html><html lang="lv"><head><script type="module" src="/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("portal");'.repeat(50);

beforeAll(async () => {
  portal = mkdtempSync(join(tmpdir(), 'atlauja-portal-'));
  mkdirSync(join(portal, 'assets'));
  writeFileSync(join(portal, 'index.html'), INDEX);
  writeFileSync(join(portal, 'assets/app-1a2b.js'), SCRIPT);
  writeFileSync(join(portal, 'assets/app-1a2b.js.gz'), gzipSync(SCRIPT));
  h = await startHarness({}, { PORTAL_DIR: portal });
});

afterAll(async () => {
  await h?.close();
  rmSync(portal, { recursive: true, force: true });
});

describe('the portal, served by the API', () => {
  it('serves its page at / and at every client route, with a CSP that allows no inline script or style', async () => {
    for (const path of ['/', '/ienakt', '/rinda', `/pieteikumi/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, '/audits/x/y']) {
      const response = await h.http().get(path);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toBe(INDEX);
      const csp = response.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves hashed assets precompressed, cached for good', async () => {
    const response = await h.http().get('/assets/app-1a2b.js').set('accept-encoding', 'gzip');
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toContain('immutable');
    expect(response.text).toBe(SCRIPT);
    expect((await h.http().get('/assets/none.js')).status).toBe(404);
  });

  it('never shadows the API: no route of the OpenAPI document starts with a portal page, and unknown paths stay problem+json', async () => {
    const document = (await h.http().get('/docs-json')).body as { paths: Record<string, unknown> };
    const firstSegments = new Set(Object.keys(document.paths).map((p) => p.split('/')[1]));
    for (const page of PORTAL_PAGES) expect(firstSegments.has(page)).toBe(false);
    expect(Object.keys(document.paths).length).toBeGreaterThan(20);

    expect((await h.http().get('/health')).body).toEqual({ status: 'ok' });
    expect((await h.http().get('/ready')).headers['content-type']).toMatch(/json/);
    expect((await h.http().get('/docs')).text).toContain('swagger');
    const unknown = await h.http().get('/no-such-thing').set('accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    const api = await h.http().get('/applications/not-an-id');
    expect(api.headers['content-type']).toMatch(/problem\+json/);
  });
});
