/**
 * Exactly once without a table of its own: the key (already hashed with the caller) and the
 * request's fingerprint travel in the metadata of every event a keyed command appends, in the same
 * append. A retry reads the stream anyway, finds its events, and answers as the first request did;
 * two replicas racing with one key meet at the stream's expected revision, and the loser finds the
 * winner's events. Event ids derive from the key, so EventStoreDB deduplicates a repeated append too.
 */
import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@atlauja/event-store';
import { IdempotencyKeyReused } from './errors';

export interface IdempotencyRecord {
  /** SHA-256 (hex) of the caller, the operation and the Idempotency-Key. */
  readonly key: string;
  /** SHA-256 (hex) of the request: the same key with another request is refused. */
  readonly fingerprint: string;
}

/** The events a keyed command recorded earlier in this stream; [] when the key is new here. */
export function recordedUnder(events: readonly RecordedEvent[], record: IdempotencyRecord): RecordedEvent[] {
  const prior = events.filter((e) => e.metadata.idempotencyKey === record.key);
  if (prior.some((e) => e.metadata.requestFingerprint !== record.fingerprint)) throw new IdempotencyKeyReused();
  return prior;
}

/** A version-4-shaped UUID from a hash: the same key always names the same event (or stream). */
export function uuidFrom(...parts: string[]): string {
  const bytes = createHash('sha256').update(parts.join('\n')).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** SHA-256 (hex) of the parts, one per line. */
export function sha256Of(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  parts.forEach((part, i) => {
    if (i > 0) hash.update('\n');
    hash.update(part);
  });
  return hash.digest('hex');
}
