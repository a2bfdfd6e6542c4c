import type { ExpectedRevision } from './event-store';

/** An optimistic-concurrency conflict: the API turns it into 409 (or 412 on a stale If-Match). */
export class WrongExpectedRevision extends Error {
  override readonly name = 'WrongExpectedRevision';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The revision of the stream's last event when the append was refused. */
    readonly actual: bigint | 'no-stream',
  ) {
    super(`stream ${stream}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/**
 * The store could not be reached or did not answer in time. For an append the outcome is unknown:
 * it may have been written; a retry with the same expected revision resolves it (conflict or success).
 */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The event store's configuration is invalid; the message names the variable and the rule. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}
