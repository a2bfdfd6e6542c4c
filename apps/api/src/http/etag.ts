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
      problem(400, 'Invalid request', { type: 'validation', errors: [{ field: 'If-Match', rule: 'etag', message: 'If-Match must be the ETag of the application, e.g. "3"' }] }),
    );
  }
  return BigInt(match[1]);
}
