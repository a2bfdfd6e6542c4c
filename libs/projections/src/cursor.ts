/**
 * Keyset pagination: the cursor is the sort key of the last row served, opaque to clients
 * (base64url JSON) so its shape can change without breaking them. It names the list it pages and
 * each part of the key has a declared kind, checked before the key reaches SQL: a cursor we did not
 * issue for this list (forged, cut, edited into something that is not a key) is refused, never
 * handed to PostgreSQL to fail on. A well-formed key that was edited only moves the page: the
 * list's filters and the caller's authorization do not come from the cursor.
 */
import { isCalendarDate, textFault } from '@atlauja/domain';

export class InvalidCursor extends Error {
  override readonly name = 'InvalidCursor';
  constructor() {
    super('cursor is not one this service issued for this list');
  }
}

/**
 * `instant`: a timestamptz as PostgreSQL writes it (`timestamptz::text`); `position`: a global
 * position (unsigned 64-bit, decimal); `text`: a column's text.
 */
export type CursorPart = 'instant' | 'position' | 'text';

/** Which list a cursor pages, and the kinds of its key's parts. */
export interface CursorShape {
  readonly list: string;
  readonly parts: readonly CursorPart[];
}

const MAX_POSITION = 2n ** 64n - 1n;
const MAX_TEXT = 200;
const BASE64URL = /^[A-Za-z0-9_-]{1,1400}$/;
// What timestamptz::text gives: `2026-03-01 09:15:00.123456+02` (an offset of hours, hours:minutes or, long ago, hours:minutes:seconds).
const PG_TIMESTAMPTZ = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](\d{2})(?::(\d{2}))?(?::\d{2})?$/;

function isInstantText(text: string): boolean {
  const m = PG_TIMESTAMPTZ.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((v) => Number(v ?? 0));
  return year >= 1 && isCalendarDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59 && offsetHours <= 15 && offsetMinutes <= 59;
}

const PART_CHECKS: Readonly<Record<CursorPart, (value: string) => boolean>> = {
  instant: isInstantText,
  position: (value) => /^\d{1,20}$/.test(value) && BigInt(value) <= MAX_POSITION,
  text: (value) => value.length <= MAX_TEXT && textFault(value) === null,
};

export function encodeCursor(shape: CursorShape, key: readonly string[]): string {
  return Buffer.from(JSON.stringify([shape.list, ...key]), 'utf8').toString('base64url');
}

/** The key, each part of its declared kind, or InvalidCursor. */
export function decodeCursor(cursor: string, shape: CursorShape): string[] {
  // Node's base64url decoder skips characters outside the alphabet; a cursor holding any is not ours.
  if (!BASE64URL.test(cursor)) throw new InvalidCursor();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  if (!Array.isArray(decoded) || decoded.length !== shape.parts.length + 1 || decoded[0] !== shape.list) throw new InvalidCursor();
  const key = decoded.slice(1);
  if (!key.every((part, i) => typeof part === 'string' && PART_CHECKS[shape.parts[i]](part))) throw new InvalidCursor();
  return key as string[];
}

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/** Rows fetched with limit + 1: the extra row only says whether there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, toItem: (row: R) => T, shape: CursorShape, keyOfRow: (row: R) => string[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items: items.map(toItem), nextCursor: rows.length > limit && items.length > 0 ? encodeCursor(shape, keyOfRow(items[items.length - 1])) : null };
}
