/**
 * Keyset pagination: the cursor is the sort key of the last row served, opaque to clients
 * (base64url JSON) so its shape can change without breaking them. A malformed one is refused.
 */
export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('cursor is not one this service issued');
  }
}

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key of `length` strings, or InvalidCursor. */
export function decodeCursor(cursor: string, length: number): string[] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(key) || key.length !== length || !key.every((part) => typeof part === 'string' && part.length <= 200)) throw new InvalidCursor();
  return key as string[];
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Rows fetched with limit + 1: the extra row only says whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (row: R) => T, keyOfRow: (row: R) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(toItem), nextCursor: rows.length > limit && items.length > 0 ? encodeCursor(keyOfRow(items[items.length - 1])) : null };
}
