/**
 * The EventStore port: what every adapter (in-memory, postgres on PGlite or a server, EventStoreDB)
 * promises. Positions and revisions are bigint everywhere: EventStoreDB's are unsigned 64-bit and
 * a JSON number would silently lose precision above 2^53.
 */

/** `bigint` is the revision of the stream's last event (a new stream's first event gets revision 0). */
export type ExpectedRevision = 'no-stream' | 'any' | 'stream-exists' | bigint;

export interface NewEventMetadata {
  actor: string;
  correlationId?: string;
  causationId?: string;
  /** ISO-8601; the time comes in with the command, the store never reads a clock for it. */
  occurredAt: string;
  schemaVersion: number;
  /** The role the actor acted in (representative, approver, admin, system...). */
  role?: string;
  /**
   * The command's idempotency record rides on its events: the key (hashed with the caller) and a
   * digest of the request it came with, so a retry finds the first answer in the stream itself.
   */
  idempotencyKey?: string;
  requestFingerprint?: string;
}

export interface NewEvent {
  /** A uuid; the store generates one when absent. */
  id?: string;
  type: string;
  /** Plain JSON (objects, arrays, strings, finite numbers, booleans, null). */
  data: unknown;
  metadata: NewEventMetadata;
}

export interface RecordedEventMetadata extends NewEventMetadata {
  /** The event's id, inside the hashed metadata so that the chain covers it (absent on events written before it was). */
  eventId?: string;
  /** The previous event's hash in this stream, or GENESIS_HASH for revision 0. */
  prevHash: string;
  /** SHA-256 (hex) of the canonical encoding, see hash-chain.ts. */
  hash: string;
}

export interface RecordedEvent {
  id: string;
  stream: string;
  revision: bigint;
  /** Global position in the log: strictly increasing, > 0n. */
  position: bigint;
  type: string;
  data: unknown;
  metadata: RecordedEventMetadata;
}

export interface AppendResult {
  /** The revision of the stream's last event, to pass as the next expected revision. */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}

export type ReadStreamResult = { found: false } | { found: true; events: RecordedEvent[] };

export interface ReadStreamOptions {
  fromRevision?: bigint;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Ends the iteration (without an error) when aborted. */
  signal?: AbortSignal;
}

export interface EventStore {
  /** Appends all events atomically, or none. Throws WrongExpectedRevision on a conflict. */
  append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult>;
  /**
   * Several streams, each read whole, in one call (one statement on PostgreSQL): a command reads its
   * own stream and those its rules need together. Every name asked is in the answer, a stream that
   * does not exist with no events.
   */
  readStreams(streams: readonly string[]): Promise<ReadonlyMap<string, RecordedEvent[]>>;
  /** Events with position > fromPosition (exclusive), in log order, at most maxCount. */
  readAll(fromPosition: bigint, maxCount: number): Promise<RecordedEvent[]>;
  /**
   * Every event with position > fromPosition, in log order, exactly once: catches up, then follows
   * new appends. Pulled with `for await`, so a slow consumer slows the reads (backpressure).
   * 0n means "from the beginning".
   */
  subscribe(fromPosition: bigint, options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** Position of the last event in the log (0n when empty). */
  headPosition(): Promise<bigint>;
  /** Readiness check; throws StoreUnavailable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The position before the first event. */
export const LOG_START = 0n;
