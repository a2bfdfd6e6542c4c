import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../http/problem';
import { sendProblem } from '../http/problem-reply';
import { PORTAL_PAGES } from './portal-pages';

/**
 * The portal's responses carry a Content-Security-Policy without 'unsafe-inline' (Vite emits no
 * inline script; React sets styles through the CSSOM, which CSP allows), and may not be framed.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': PORTAL_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** The built portal (Vite's output): PORTAL_DIR, else dist/portal of the project. */
export function portalDirectory(env: Record<string, string | undefined>): string {
  if (env.PORTAL_DIR) return resolve(env.PORTAL_DIR);
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'portal');
}

/** Serves the portal at / (same origin as the API): hashed assets under /assets/, index.html for its pages. */
export async function servePortal(fastify: FastifyInstance, dir: string): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const sendIndex = (request: FastifyRequest, reply: FastifyReply) => {
    if (!existsSync(indexFile)) {
      const notBuilt = problem(503, 'Portal not built', { code: 'PORTAL_NOT_BUILT', detail: 'the portal is not built: run npm run build (portāls nav sagatavots: palaidiet npm run build)' });
      return sendProblem(reply, request, notBuilt, { 'retry-after': '60' });
    }
    return reply.headers({ ...SECURITY_HEADERS, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }).send(readFileSync(indexFile));
  };
  await fastify.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    // The build writes .br and .gz beside each script and style sheet.
    preCompressed: true,
    setHeaders: (res) => {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.header(name, value);
      res.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  fastify.get('/', (request, reply) => sendIndex(request, reply));
  for (const page of PORTAL_PAGES) {
    fastify.get(`/${page}`, (request, reply) => sendIndex(request, reply));
    fastify.get(`/${page}/*`, (request, reply) => sendIndex(request, reply));
  }
}
