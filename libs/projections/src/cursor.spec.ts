import fc from 'fast-check';
import { textFault } from '@atlauja/domain';
import { decodeCursor, encodeCursor, InvalidCursor, type CursorShape } from './cursor';

const QUEUE: CursorShape = { list: 'approval-queue', parts: ['instant', 'text'] };
const LOG: CursorShape = { list: 'audit-log-asc', parts: ['position'] };

describe('keyset cursors: typed, bound to their list', () => {
  it('given a key of the declared kinds, when encoded, then it decodes to the same key', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.string({ unit: 'grapheme', maxLength: 200 }).filter((s) => textFault(s) === null && s.length <= 200),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (date, text, position) => {
          const instant = date.toISOString().replace('T', ' ').replace('Z', '+00');
          expect(decodeCursor(encodeCursor(QUEUE, [instant, text]), QUEUE)).toEqual([instant, text]);
          expect(decodeCursor(encodeCursor(LOG, [position.toString()]), LOG)).toEqual([position.toString()]);
        },
      ),
    );
  });

  it.each([
    ['another list', () => encodeCursor({ ...QUEUE, list: 'institution-applications' }, ['2026-03-01 10:00:00+00', 'a'])],
    ['a part too few', () => encodeCursor({ ...QUEUE, parts: ['instant'] }, ['2026-03-01 10:00:00+00'])],
    ['an instant that is not one', () => encodeCursor(QUEUE, ['yesterday', 'a'])],
    ['a day that does not exist', () => encodeCursor(QUEUE, ['2026-02-29 10:00:00+00', 'a'])],
    ['year 0, which PostgreSQL has not', () => encodeCursor(QUEUE, ['0000-01-01 00:00:00+00', 'a'])],
    ['NUL in text', () => encodeCursor(QUEUE, ['2026-03-01 10:00:00+00', 'a\u0000'])],
    ['a lone surrogate in text', () => encodeCursor(QUEUE, ['2026-03-01 10:00:00+00', '\ud800'])],
    ['text over 200 characters', () => encodeCursor(QUEUE, ['2026-03-01 10:00:00+00', 'a'.repeat(201)])],
    ['a position beyond 2^64-1', () => encodeCursor(LOG, ['18446744073709551616']), LOG],
    ['a negative position', () => encodeCursor(LOG, ['-1']), LOG],
    ['the other order', () => encodeCursor({ ...LOG, list: 'audit-log-desc' }, ['7']), LOG],
    ['characters outside base64url', () => `${encodeCursor(QUEUE, ['2026-03-01 10:00:00+00', 'a'])}!`],
    ['not JSON', () => Buffer.from('{not json').toString('base64url')],
    ['empty', () => ''],
  ] as [string, () => string, CursorShape?][])('given a cursor with %s, then it is refused as not ours', (_name, cursor, shape = QUEUE) => {
    expect(() => decodeCursor(cursor(), shape)).toThrow(InvalidCursor);
  });
});
