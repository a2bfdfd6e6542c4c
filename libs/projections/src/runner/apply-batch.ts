/**
 * A batch of events into the projections, with their checkpoints, in one transaction. The checkpoint
 * rows are locked first, so a rebuild's swap (which takes the same locks) and a second runner take
 * turns, and events at or below a projection's checkpoint are skipped: re-delivering a batch changes
 * nothing.
 *
 * When the shared transaction fails for a reason other than the database's, nothing of it was
 * applied; the batch is then applied projection by projection, and a batch that fails alone is
 * retried one event per transaction: the event that fails alone is the poison. Its projection is
 * marked failed at its position, the events before it stay applied, and the other projections go on.
 */
import type { RecordedEvent, SqlDriver } from '@atlauja/event-store';
import { advanceCheckpoint, advanceCheckpoints, lockCheckpoint, lockCheckpoints, markFailed, type Checkpoint } from '../checkpoints';
import type { Projection } from '../projection';
import { isTransient } from './transient';

export type BatchOutcome =
  | { kind: 'applied'; checkpoint: bigint }
  | { kind: 'failed'; checkpoint: bigint; failedPosition: bigint; error: string; now: boolean }
  /** The stored checkpoint is below the events delivered before this batch (a resume or a reset): resubscribe. */
  | { kind: 'behind'; checkpoint: bigint };

/** What a projection whose checkpoint row is locked does with the batch: skip it, or which events to apply. */
function planFor(checkpoint: Checkpoint, events: readonly RecordedEvent[], after: bigint): { outcome: BatchOutcome; fresh: readonly RecordedEvent[] } {
  if (checkpoint.state === 'failed') {
    const failedPosition = checkpoint.failedPosition ?? checkpoint.position;
    return { outcome: { kind: 'failed', checkpoint: checkpoint.position, failedPosition, error: checkpoint.error ?? '', now: false }, fresh: [] };
  }
  if (checkpoint.position < after) return { outcome: { kind: 'behind', checkpoint: checkpoint.position }, fresh: [] };
  const fresh = events.filter((e) => e.position > checkpoint.position);
  const last = fresh.length > 0 ? fresh[fresh.length - 1].position : checkpoint.position;
  return { outcome: { kind: 'applied', checkpoint: last }, fresh };
}

/**
 * `after`: the position of the last event delivered before this batch (where the subscription stood).
 * Returns each projection's outcome, by name.
 */
export async function applyBatchToAll(sql: SqlDriver, schema: string, projections: readonly Projection[], events: readonly RecordedEvent[], after: bigint): Promise<Map<string, BatchOutcome>> {
  try {
    return await sql.transaction(async (tx) => {
      const checkpoints = await lockCheckpoints(tx, schema, projections.map((p) => p.name));
      const outcomes = new Map<string, BatchOutcome>();
      const advanced = new Map<string, bigint>();
      for (const projection of projections) {
        const { outcome, fresh } = planFor(checkpoints.get(projection.name)!, events, after);
        if (fresh.length > 0) {
          await projection.applyBatch(tx, schema, fresh);
          advanced.set(projection.name, outcome.checkpoint);
        }
        outcomes.set(projection.name, outcome);
      }
      await advanceCheckpoints(tx, schema, advanced);
      return outcomes;
    });
  } catch (error) {
    if (isTransient(error)) throw error;
  }
  const outcomes = new Map<string, BatchOutcome>();
  for (const projection of projections) outcomes.set(projection.name, await applyBatchTo(sql, schema, projection, events, after));
  return outcomes;
}

async function applyInTransaction(sql: SqlDriver, schema: string, projection: Projection, events: readonly RecordedEvent[], after: bigint): Promise<BatchOutcome> {
  return sql.transaction(async (tx) => {
    const { outcome, fresh } = planFor(await lockCheckpoint(tx, schema, projection.name), events, after);
    if (fresh.length === 0) return outcome;
    await projection.applyBatch(tx, schema, fresh);
    await advanceCheckpoint(tx, schema, projection.name, outcome.checkpoint);
    return outcome;
  });
}

/** One projection on its own (see above); `after` as for applyBatchToAll. */
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
