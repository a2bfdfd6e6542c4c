/**
 * The per-stream hash chain auditors verify: each event's hash covers its content and the previous
 * event's hash, so a changed byte, a removed event or a reordering breaks the chain.
 */
import { createHash, randomUUID } from 'crypto';
import { canonicalJson } from './canonical-json';
import type { NewEvent, RecordedEvent, RecordedEventMetadata } from './event-store';

/** What a stream's first event chains from. */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashInput {
  prevHash: string;
  stream: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: Omit<RecordedEventMetadata, 'hash'>;
}

export function eventHash(input: HashInput): string {
  const { prevHash, stream, revision, type, data, metadata } = input;
  return createHash('sha256').update(canonicalJson({ prevHash, stream, revision, type, data, metadata }), 'utf8').digest('hex');
}

/** An event ready to be written: revision and hash chain known, the global position not yet. */
export type SealedEvent = Omit<RecordedEvent, 'position'>;

/** The stream's last event as the chain needs it; null for a stream that does not exist. */
export type StreamTip = { revision: bigint; hash: string } | null;

/**
 * Assigns revisions and hashes to new events following `tip`. The metadata is kept as given (every
 * member, e.g. an idempotency record), only `prevHash` and `hash` are the chain's: what is hashed is
 * exactly what is stored and read back.
 */
export function sealEvents(stream: string, tip: StreamTip, events: NewEvent[]): SealedEvent[] {
  let revision = tip === null ? -1n : tip.revision;
  let prevHash = tip === null ? GENESIS_HASH : tip.hash;
  return events.map((event) => {
    revision += 1n;
    const id = event.id ?? randomUUID();
    const metadata = recordedMetadata(event, id, prevHash);
    const hash = eventHash({ prevHash, stream, revision, type: event.type, data: event.data, metadata });
    prevHash = hash;
    return { id, stream, revision, type: event.type, data: event.data, metadata: { ...metadata, hash } };
  });
}

/** The metadata as recorded and hashed: what the caller gave (never a chain field of its own), the event's id, the chain. */
function recordedMetadata(event: NewEvent, eventId: string, prevHash: string): Omit<RecordedEventMetadata, 'hash'> {
  const { prevHash: _ignoredPrevHash, hash: _ignoredHash, eventId: _ignoredId, ...given } = event.metadata as NewEvent['metadata'] & { prevHash?: unknown; hash?: unknown; eventId?: unknown };
  return { ...given, eventId, prevHash };
}

export type ChainProblem = 'hash-mismatch' | 'chain-broken' | 'revision-gap' | 'wrong-stream' | 'id-mismatch';
export type VerifyResult = { ok: true } | { ok: false; failures: { revision: bigint; problem: ChainProblem }[] };

/**
 * Recomputes every hash of a stream read in revision order. Without `after`, the events must start at
 * revision 0 and chain from GENESIS_HASH; with it (a trusted earlier event), they continue from it.
 * A removed LAST event cannot be seen from the events alone: compare the head hash with a trusted copy.
 */
export function verifyStream(events: RecordedEvent[], options?: { after?: { revision: bigint; hash: string } }): VerifyResult {
  const failures: { revision: bigint; problem: ChainProblem }[] = [];
  let expectedRevision = options?.after ? options.after.revision + 1n : 0n;
  let expectedPrevHash = options?.after ? options.after.hash : GENESIS_HASH;
  const stream = events[0]?.stream;
  for (const event of events) {
    const { hash, ...withoutHash } = event.metadata;
    if (event.stream !== stream) failures.push({ revision: event.revision, problem: 'wrong-stream' });
    if (event.revision !== expectedRevision) failures.push({ revision: event.revision, problem: 'revision-gap' });
    if (withoutHash.prevHash !== expectedPrevHash) failures.push({ revision: event.revision, problem: 'chain-broken' });
    const recomputed = eventHash({
      prevHash: withoutHash.prevHash, stream: event.stream, revision: event.revision, type: event.type, data: event.data, metadata: withoutHash,
    });
    if (recomputed !== hash) failures.push({ revision: event.revision, problem: 'hash-mismatch' });
    // The id is hashed inside the metadata: an id changed beside it no longer matches.
    if (withoutHash.eventId !== undefined && withoutHash.eventId !== event.id) failures.push({ revision: event.revision, problem: 'id-mismatch' });
    expectedRevision = event.revision + 1n;
    expectedPrevHash = hash;
  }
  return failures.length === 0 ? { ok: true } : { ok: false, failures };
}
