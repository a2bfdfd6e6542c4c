/** The command handler's refusals that are not the domain's: each maps to one HTTP status in the api. */

/** The command needs a stream that does not exist (404). */
export class StreamNotFound extends Error {
  override readonly name = 'StreamNotFound';
  constructor(readonly stream: string) {
    super(`stream ${stream} does not exist`);
  }
}

/** A command that starts a stream found it already there, without the caller's idempotency key (409). */
export class StreamExists extends Error {
  override readonly name = 'StreamExists';
  constructor(readonly stream: string) {
    super(`stream ${stream} already exists`);
  }
}

/** The caller's If-Match names a revision the stream is no longer at (412). */
export class StaleRevision extends Error {
  override readonly name = 'StaleRevision';
  constructor(readonly stream: string, readonly expected: bigint, readonly actual: bigint | 'no-stream') {
    super(`If-Match names revision ${expected}; the stream is at ${String(actual)}`);
  }
}

/** The idempotency key was first used with another request (422). */
export class IdempotencyKeyReused extends Error {
  override readonly name = 'IdempotencyKeyReused';
  constructor() {
    super('this Idempotency-Key was used with another request');
  }
}

/** Another writer changed the stream between our read and our append, and the command may not be decided again (409). */
export class ConcurrentChange extends Error {
  override readonly name = 'ConcurrentChange';
  constructor(readonly stream: string) {
    super(`stream ${stream} was changed by another command meanwhile`);
  }
}
