/** @atlauja/command-handler: the one way to run a command of any stream type. */
export { foldStream, handleCommand, loadStream, type CommandMetadata, type CommandOutcome, type CommandRequest, type Loaded, type StreamExpectation, type StreamsRead } from './command-handler';
export { ConcurrentChange, IdempotencyKeyReused, StaleRevision, StreamExists, StreamNotFound } from './errors';
export { recordedUnder, sha256Of, uuidFrom, type IdempotencyRecord } from './idempotency';
