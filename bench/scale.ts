/**
 * Figure 4 (and 3 at the same sizes): how the store behaves as the log grows. At each size
 * (BENCH_SCALE=quick: 10k and 100k events; full: also 1M) on a log filled with copies of a real
 * application's events:
 *  - append latency: one event to a new stream (p50, p99, sequential), and a command's store work:
 *    read an existing application's stream and append one event at its revision (p50, p99);
 *  - the raw sequential read of the log and the store's readAll (events/s);
 *  - the projection rebuild (events/s) and the approval-queue query (p50, p99) on the rebuilt models.
 */
import { randomUUID } from 'node:crypto';
import { queueQueryLatency, rawReadRates, rebuildRate } from './rebuild';
import { eventOf } from './store-appends';
import { BenchStore } from './support/stores';
import { percentile, round } from './support/stats';
import { draftedPayload, fillTo, Template } from './support/template';

export interface ScaleRow {
  store: string;
  events: number;
  newStreamAppendP50Ms: number;
  newStreamAppendP99Ms: number;
  readAndAppendP50Ms: number;
  readAndAppendP99Ms: number;
  rawReadEventsPerSecond: number;
  readAllEventsPerSecond: number;
  rebuildEventsPerSecond: number | string;
  rebuildVsRawRead: number | string;
  queueQueryP50Ms: number | string;
  queueQueryP99Ms: number | string;
}

/**
 * 2,000 samples per latency, so a p99 is the 20th-slowest: with 300 it was the 3rd, one pause of the
 * machine decided it, and quiet runs at 1M gave 1M ÷ 10k ratios from 0.88 to 1.60 for the same code.
 */
export async function runScaleBench(s: BenchStore, template: Template, sizes: number[], samples = 2000): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  const payload = draftedPayload(template);
  // Short: a rebuild appends _rebuild_<projection> to it, within PostgreSQL's 63 characters.
  const readModels = `bench_rm_${process.pid % 100_000}_${Date.now().toString(36).slice(-4)}`;
  for (const size of sizes) {
    const events = await fillTo(s.store, s.schema, template, size);
    await s.driver.query(`analyze ${s.schema}.events`);

    const newStream: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const t0 = performance.now();
      await s.store.append(`scale-${randomUUID()}`, [eventOf(payload)], 'no-stream');
      newStream.push(performance.now() - t0);
    }
    // Existing applications, picked at random (outside the timing).
    const streams = (await s.driver.query<{ stream: string }>(
      `select stream from ${s.schema}.events where revision = 0 and stream like 'application-%' order by random() limit ${samples}`)).map((r) => r.stream);
    const readAndAppend: number[] = [];
    for (const stream of streams) {
      const t0 = performance.now();
      const read = await s.store.readStream(stream);
      if (!read.found) throw new Error(`${stream} not found`);
      await s.store.append(stream, [eventOf(payload)], read.events[read.events.length - 1].revision);
      readAndAppend.push(performance.now() - t0);
    }

    const reads = await rawReadRates(s.store, s.schema);
    const rebuild = await rebuildRate(s.store, readModels);
    const queue = await queueQueryLatency(s.store, readModels, samples);
    rows.push({
      store: s.kind,
      events,
      newStreamAppendP50Ms: round(percentile(newStream, 50), 2),
      newStreamAppendP99Ms: round(percentile(newStream, 99), 2),
      readAndAppendP50Ms: round(percentile(readAndAppend, 50), 2),
      readAndAppendP99Ms: round(percentile(readAndAppend, 99), 2),
      rawReadEventsPerSecond: reads.rawSqlEventsPerSecond,
      readAllEventsPerSecond: reads.readAllEventsPerSecond,
      rebuildEventsPerSecond: rebuild.measured ? rebuild.value.eventsPerSecond : rebuild.reason,
      rebuildVsRawRead: rebuild.measured ? round(rebuild.value.eventsPerSecond / reads.rawSqlEventsPerSecond, 2) : 'n/a',
      queueQueryP50Ms: queue.measured ? queue.value.p50Ms : queue.reason,
      queueQueryP99Ms: queue.measured ? queue.value.p99Ms : queue.reason,
    });
  }
  await s.driver.query(`drop schema if exists ${readModels} cascade`).catch(() => undefined);
  return rows;
}

/** BENCH_SCALE=quick (default): 10k and 100k events; full: 10k, 100k and 1M. */
export function scaleSizes(): { mode: 'quick' | 'full'; sizes: number[] } {
  const mode = process.env.BENCH_SCALE === 'full' || process.argv.includes('--full') ? 'full' : 'quick';
  return { mode, sizes: mode === 'full' ? [10_000, 100_000, 1_000_000] : [10_000, 100_000] };
}
