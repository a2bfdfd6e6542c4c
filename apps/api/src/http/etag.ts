import { problem, ProblemError } from './problem';

/** The ETag of an application is its stream revision, quoted. */
export const etagOf = (revision: bigint | string): string => `"${revision.toString()}"`;

/** Parses If-Match: one quoted (or bare) revision; anything else is a 400 naming the header. */
export function parseIfMatch(header: string | string[] | undefined): bigint | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,20})"?\s*$/.exec(value);
  if (!match) {
    throw new ProblemError(
      problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', errors: [{ field: 'If-Match', rule: 'etag', message: 'If-Match must be the ETag of the application, e.g. "3"' }] }),
    );
  }
  return BigInt(match[1]);
}

/** If-None-Match against the current ETag, by the weak comparison of RFC 9110 (a GET's rule): `*` or any listed tag. */
export function ifNoneMatchHits(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return value.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/**
 * Sets the ETag of a read and, when the caller's If-None-Match names it, the 304: the caller
 * returns no body then (its copy is current).
 */
export function notModified(ifNoneMatch: string | string[] | undefined, reply: { header(name: string, value: string): unknown; status(code: number): unknown }, etag: string): boolean {
  reply.header('etag', etag);
  if (!ifNoneMatchHits(ifNoneMatch, etag)) return false;
  reply.status(304);
  return true;
}
