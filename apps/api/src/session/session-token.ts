import type { FastifyRequest } from 'fastify';
import { Forbidden } from '@atlauja/auth';
import { CSRF_HEADER, csrfTokenOf, readCookie, SAFE_METHODS, SESSION_COOKIE } from './session-cookies';

/**
 * The bearer token a browser session carries in its cookie, for the BearerGuard. An unsafe method
 * (POST, PUT, PATCH, DELETE) must also carry the session's anti-CSRF token in a header, which
 * another site can neither read nor send; without it the request is refused before any effect.
 */
export function sessionTokenOf(request: FastifyRequest): string | undefined {
  const token = readCookie(request, SESSION_COOKIE);
  if (!token) return undefined;
  if (!SAFE_METHODS.has(request.method.toUpperCase())) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || sent !== csrfTokenOf(token)) {
      throw new Forbidden('CSRF_TOKEN_INVALID', `a request signed in by the session cookie must carry the session's ${CSRF_HEADER} header`);
    }
  }
  return token;
}
