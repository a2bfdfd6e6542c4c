/**
 * Figure 3: projection rebuild (every read model of @atlauja/projections replayed from position 0
 * into fresh tables, then swapped in) in events/s, beside the raw sequential read of the same log
 * through the same driver (pages of 1,000 by position, rows not even mapped) and the store's own
 * readAll (rows mapped to RecordedEvent), which is what the rebuild reads with.
 * And the approval-queue query (figure 4's second half), on the rebuilt read models.
 */
import { PostgresEventStore } from '@atlauja/event-store';
import { READ_MODELS, readApprovalQueue, rebuildReadModels } from '@atlauja/projections';
import { perSecond, round } from './support/stats';

export interface ReadRates {
  rawSqlEventsPerSecond: number;
  readAllEventsPerSecond: number;
}

export async function rawReadRates(store: PostgresEventStore, schema: string): Promise<ReadRates> {
  const page = 1000;
  let started = performance.now();
  let cursor = '0';
  let events = 0;
  for (;;) {
    const rows = await store.sql.query<{ position: string }>(
      `select e.position::text as position, e.stream, e.revision, e.id, e.type, e.data, e.metadata, e.prev_hash, e.hash
         from ${schema}.events e where e.position > $1::bigint order by e.position limit ${page}`, [cursor]);
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1].position;
    events += rows.length;
  }
  const rawSqlEventsPerSecond = perSecond(events, performance.now() - started);
  started = performance.now();
  let position = 0n;
  events = 0;
  for (;;) {
    const rows = await store.readAll(position, page);
    if (rows.length === 0) break;
    position = rows[rows.length - 1].position;
    events += rows.length;
  }
  return { rawSqlEventsPerSecond: round(rawSqlEventsPerSecond), readAllEventsPerSecond: round(perSecond(events, performance.now() - started)) };
}

export type Measured<T> = { measured: true; value: T } | { measured: false; reason: string };

/** Rebuilds every read model into `readModelSchema`; events/s. */
export async function rebuildRate(store: PostgresEventStore, readModelSchema: string): Promise<Measured<{ events: number; eventsPerSecond: number }>> {
  try {
    const result = await rebuildReadModels({ store, sql: store.sql, projections: READ_MODELS, schema: readModelSchema });
    return { measured: true, value: { events: result.events, eventsPerSecond: round(perSecond(result.events, result.elapsedMs)) } };
  } catch (error) {
    return { measured: false, reason: `not measured: projections not available (${(error as Error).message.slice(0, 200)})` };
  }
}

/**
 * The approvers' first page (oldest 20, unclaimed), and the same filtered by institution, in turn
 * (`first` continues the alternation across calls): each query's latency in ms.
 */
export async function queueQueryLatency(store: PostgresEventStore, readModelSchema: string, queries: number, first = 0): Promise<Measured<{ latenciesMs: number[]; itemsOnPage: number }>> {
  try {
    const latenciesMs: number[] = [];
    let items = 0;
    for (let i = first; i < first + queries; i += 1) {
      const filter = i % 2 === 0 ? { claimed: 'no' as const, limit: 20 } : { institution: '90000000001', limit: 20 };
      const t0 = performance.now();
      const page = await readApprovalQueue(store.sql, readModelSchema, filter, '020290-11019', new Date());
      latenciesMs.push(performance.now() - t0);
      items = Math.max(items, (page as { items: unknown[] }).items.length);
    }
    return { measured: true, value: { latenciesMs, itemsOnPage: items } };
  } catch (error) {
    return { measured: false, reason: `not measured: projections not available (${(error as Error).message.slice(0, 200)})` };
  }
}
