import type { ExpectedRevision } from './event-store';

/** Whether appending with `expected` to a stream whose last revision is `actual` is a conflict. */
export function conflictOf(expected: ExpectedRevision, actual: bigint | 'no-stream'): boolean {
  switch (expected) {
    case 'any':
      return false;
    case 'no-stream':
      return actual !== 'no-stream';
    case 'stream-exists':
      return actual === 'no-stream';
    default:
      return actual !== expected;
  }
}

export function assertExpectedRevision(expected: ExpectedRevision): void {
  const valid = expected === 'any' || expected === 'no-stream' || expected === 'stream-exists' || (typeof expected === 'bigint' && expected >= 0n);
  if (!valid) throw new TypeError(`append: expected revision must be 'no-stream', 'any', 'stream-exists' or a bigint >= 0n (got ${String(expected)})`);
}
