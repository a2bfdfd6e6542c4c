/**
 * One batch into one projection, in one transaction with its checkpoint. The checkpoint row is locked
 * first, so a rebuild's swap (which takes the same lock) and a second runner take turns, and events
 * at or below the checkpoint are skipped: re-delivering a batch changes nothing.
 *
 * A batch that fails for a reason other than the database's is retried one event per transaction;
 * the event that fails alone is the poison: its projection is marked failed at its position, and the
 * events before it stay applied.
 */
import type { RecordedEvent, SqlDriver } from '@atlauja/event-store';
import { advanceCheckpoint, lockCheckpoint, markFailed } from '../checkpoints';
import type { Projection } from '../projection';
import { isTransient } from './transient';

export type BatchOutcome =
  | { kind: 'applied'; checkpoint: bigint }
  | { kind: 'failed'; checkpoint: bigint; failedPosition: bigint; error: string; now: boolean }
  /** The stored checkpoint is below the events delivered before this batch (a resume or a reset): resubscribe. */
  | { kind: 'behind'; checkpoint: bigint };

async function applyInTransaction(sql: SqlDriver, schema: string, projection: Projection, events: readonly RecordedEvent[], after: bigint): Promise<BatchOutcome> {
  return sql.transaction(async (tx) => {
    const checkpoint = await lockCheckpoint(tx, schema, projection.name);
    if (checkpoint.state === 'failed') {
      return { kind: 'failed', checkpoint: checkpoint.position, failedPosition: checkpoint.failedPosition ?? checkpoint.position, error: checkpoint.error ?? '', now: false };
    }
    if (checkpoint.position < after) return { kind: 'behind', checkpoint: checkpoint.position };
    const fresh = events.filter((e) => e.position > checkpoint.position);
    if (fresh.length === 0) return { kind: 'applied', checkpoint: checkpoint.position };
    await projection.applyBatch(tx, schema, fresh);
    const last = fresh[fresh.length - 1].position;
    await advanceCheckpoint(tx, schema, projection.name, last);
    return { kind: 'applied', checkpoint: last };
  });
}

/** `after`: the position of the last event delivered before this batch (where the subscription stood). */
export async function applyBatchTo(sql: SqlDriver, schema: string, projection: Projection, events: readonly RecordedEvent[], after: bigint): Promise<BatchOutcome> {
  try {
    return await applyInTransaction(sql, schema, projection, events, after);
  } catch (error) {
    if (isTransient(error)) throw error;
    if (events.length === 1) return poisoned(sql, schema, projection, events[0], after, error);
  }
  let outcome: BatchOutcome = { kind: 'applied', checkpoint: after };
  let before = after;
  for (const event of events) {
    try {
      outcome = await applyInTransaction(sql, schema, projection, [event], before);
    } catch (error) {
      if (isTransient(error)) throw error;
      return poisoned(sql, schema, projection, event, before, error);
    }
    if (outcome.kind !== 'applied') return outcome;
    before = event.position;
  }
  return outcome;
}

async function poisoned(sql: SqlDriver, schema: string, projection: Projection, event: RecordedEvent, checkpoint: bigint, error: unknown): Promise<BatchOutcome> {
  const message = await markFailed(sql, schema, projection.name, event.position, error);
  return { kind: 'failed', checkpoint, failedPosition: event.position, error: message, now: true };
}
