import { createHash } from 'node:crypto';
import { parse, serialize, type SerializeOptions } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The signed-in state is a bearer token the service accepts, kept in an httpOnly cookie that page
 * scripts cannot read. Cookies are Secure, with one exception: local mode reached over plain http
 * on the loopback address (`npm start` opened at http://127.0.0.1:3000), where no certificate exists
 * and nothing leaves the machine. The `__Host-` prefix (Secure, Path=/, no Domain) keeps a sibling
 * host from planting or overwriting them; the plain-http loopback case cannot carry it.
 */
export const SESSION_COOKIE = 'atlauja_session';
/** The OIDC transaction (state, nonce, PKCE verifier), only between the redirect and the callback. */
export const OIDC_COOKIE = 'atlauja_oidc';
/** The signed-in person's display name (from the ID token or the demo list); not a credential. */
export const NAME_COOKIE = 'atlauja_name';

/** The header a page sends on every unsafe request it authenticates with the session cookie. */
export const CSRF_HEADER = 'x-csrf-token';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

export interface CookiePolicy {
  mode: 'local' | 'server';
}

/** Plain http is allowed only in local mode and only when the browser speaks to the loopback address. */
export function cookiesAreSecure(policy: CookiePolicy, request: FastifyRequest): boolean {
  if (policy.mode === 'server') return true;
  const host = request.headers.host ?? '';
  return !(request.protocol === 'http' && LOOPBACK.test(host));
}

export function cookieName(base: string, secure: boolean): string {
  return secure ? `__Host-${base}` : base;
}

export function readCookie(request: FastifyRequest, base: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const jar = parse(header);
  return jar[`__Host-${base}`] ?? jar[base] ?? undefined;
}

export function setCookie(reply: FastifyReply, secure: boolean, base: string, value: string, options: Omit<SerializeOptions, 'secure' | 'path' | 'httpOnly'> & { httpOnly?: boolean }): void {
  const line = serialize(cookieName(base, secure), value, { path: '/', httpOnly: true, secure, sameSite: 'strict', ...options });
  appendSetCookie(reply, line);
}

export function clearCookie(reply: FastifyReply, secure: boolean, base: string): void {
  appendSetCookie(reply, serialize(cookieName(base, secure), '', { path: '/', httpOnly: true, secure, sameSite: 'strict', maxAge: 0 }));
}

function appendSetCookie(reply: FastifyReply, line: string): void {
  const existing = reply.getHeader('set-cookie');
  const lines = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...lines, line]);
}

/**
 * The anti-CSRF token of a session: derived from the session's token, so it needs no storage and
 * changes with every sign-in. The page learns it from GET /session (a same-origin read another
 * site cannot make) and sends it in CSRF_HEADER; SameSite=Strict is the first line, this the second.
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update('atlauja-csrf:').update(sessionToken).digest('base64url');
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
