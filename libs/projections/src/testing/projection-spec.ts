/**
 * "Given these events, the read model holds these rows": a projection run over a spec's log, and the
 * replay check that every projection must pass (applying any prefix again changes nothing).
 */
import type { EventStore, RecordedEvent, SqlDriver } from '@atlauja/event-store';
import { ensureReadModels } from '../checkpoints';
import type { Projection } from '../projection';
import { applyBatchTo } from '../runner/apply-batch';
import { dumpReadModels } from './read-model-dump';

export async function allEvents(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let page = await store.readAll(0n, 1000); page.length > 0; page = await store.readAll(page[page.length - 1].position, 1000)) events.push(...page);
  return events;
}

/** Applies the whole log to the projections, in batches of `batchSize`, as the runner would. */
export async function project(store: EventStore, sql: SqlDriver, schema: string, projections: readonly Projection[], batchSize = 3): Promise<void> {
  await ensureReadModels(sql, schema, projections);
  const events = await allEvents(store);
  for (const projection of projections) {
    let after = 0n;
    for (let i = 0; i < events.length; i += batchSize) {
      const batch = events.slice(i, i + batchSize);
      const outcome = await applyBatchTo(sql, schema, projection, batch, after);
      if (outcome.kind !== 'applied') throw new Error(`${projection.name}: ${JSON.stringify(outcome, (_, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
      after = batch[batch.length - 1].position;
    }
  }
}

/**
 * Applies every prefix of the log again, twice over: through the runner's path (the checkpoint skips
 * it) and straight into the projection's SQL (its own guards must skip it). Returns the dumps that
 * differed from the one before (empty when re-applying changed nothing).
 */
export async function replayEveryPrefix(store: EventStore, sql: SqlDriver, schema: string, projection: Projection): Promise<string[]> {
  const events = await allEvents(store);
  const before = JSON.stringify(await dumpReadModels(sql, schema, [projection]));
  const changed: string[] = [];
  for (let k = 1; k <= events.length; k++) {
    const prefix = events.slice(0, k);
    await applyBatchTo(sql, schema, projection, prefix, 0n);
    await sql.transaction((tx) => projection.applyBatch(tx, schema, prefix));
    const after = JSON.stringify(await dumpReadModels(sql, schema, [projection]));
    if (after !== before) changed.push(`prefix of ${k} events`);
  }
  return changed;
}
