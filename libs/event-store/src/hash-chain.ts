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
    const metadata = recordedMetadata(event, prevHash);
    const hash = eventHash({ prevHash, stream, revision, type: event.type, data: event.data, metadata });
    prevHash = hash;
    return { id: event.id ?? randomUUID(), stream, revision, type: event.type, data: event.data, metadata: { ...metadata, hash } };
  });
}

function recordedMetadata(event: NewEvent, prevHash: string): Omit<RecordedEventMetadata, 'hash'> {
  const { prevHash: _ignoredPrevHash, hash: _ignoredHash, ...given } = event.metadata as NewEvent['metadata'] & { prevHash?: unknown; hash?: unknown };
  return { ...given, prevHash };
}

export type ChainProblem = 'hash-mismatch' | 'chain-broken' | 'revision-gap' | 'wrong-stream';
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
    expectedRevision = event.revision + 1n;
    expectedPrevHash = hash;
  }
  return failures.length === 0 ? { ok: true } : { ok: false, failures };
}
