/**
 * Figure 4 (and 3 at the same sizes): how the store behaves as the log grows. At each size
 * (BENCH_SCALE=quick: 10k and 100k events; full: also 1M), each in a store of its own, on a log filled
 * with copies of a real application's events:
 *  - the raw sequential read of the log and the store's readAll (events/s);
 *  - the projection rebuild (events/s), into read models of its own;
 *  - append latency: one event to a new stream (p50, p99, sequential), and a command's store work:
 *    read an existing application's stream and append one event at its revision (p50, p99);
 *  - the approval-queue query (p50, p99) on the rebuilt read models.
 *
 * The latencies are taken in rounds that visit every size in turn (the order alternating), so the
 * sizes share the machine's slow and fast moments: measured one size after the other, minutes
 * apart, a p99 was the VM's moment, and quiet runs of the same code gave 1M ÷ 10k ratios from 0.88
 * to 2.46 on PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { queueQueryLatency, rawReadRates, rebuildRate, type ReadRates } from './rebuild';
import { eventOf } from './store-appends';
import { BenchStore, openBenchStore, StoreKind } from './support/stores';
import { inTurn, percentile, round } from './support/stats';
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

/** One size's store, its rebuilt read models and the latencies gathered so far. */
interface Sized {
  s: BenchStore;
  events: number;
  readModels: string;
  reads: ReadRates;
  rebuild: Awaited<ReturnType<typeof rebuildRate>>;
  streams: string[];
  newStream: number[];
  readAndAppend: number[];
  queue: number[];
  queueFailure?: string;
}

/**
 * 2,000 samples per latency and size, so a p99 is the 20th-slowest (with 300 it was the 3rd, and one
 * pause of the machine decided it), taken in `rounds` rounds.
 */
export async function runScaleBench(kind: StoreKind, template: Template, sizes: number[], samples = 2000, rounds = 20): Promise<ScaleRow[]> {
  const payload = draftedPayload(template);
  const tag = `${process.pid % 100_000}_${Date.now().toString(36).slice(-4)}`;
  const sized: Sized[] = [];
  const opened: { s: BenchStore; readModels: string }[] = [];
  try {
    for (const [i, size] of sizes.entries()) {
      const s = await openBenchStore(kind, `bench_scale${i}`);
      // Short: a rebuild appends _rebuild_<projection> to it, within PostgreSQL's 63 characters.
      const readModels = `bench_rm${i}_${tag}`;
      opened.push({ s, readModels });
      const events = await fillTo(s.store, s.schema, template, size);
      await s.driver.query(`analyze ${s.schema}.events`);
      const reads = await rawReadRates(s.store, s.schema);
      const rebuild = await rebuildRate(s.store, readModels);
      // Existing applications, picked at random (outside the timing).
      const streams = (await s.driver.query<{ stream: string }>(
        `select stream from ${s.schema}.events where revision = 0 and stream like 'application-%' order by random() limit ${samples}`)).map((r) => r.stream);
      sized.push({ s, events, readModels, reads, rebuild, streams, newStream: [], readAndAppend: [], queue: [], ...(!rebuild.measured && { queueFailure: 'not measured: no rebuilt read models' }) });
    }

    const perRound = Math.ceil(samples / rounds);
    for (let r = 0; r < rounds; r += 1) {
      for (const entry of inTurn(sized, r)) await sampleRound(entry, payload, r * perRound, Math.min(samples, (r + 1) * perRound));
    }
  } finally {
    for (const { s, readModels } of opened) {
      await s.driver.query(`drop schema if exists ${readModels} cascade`).catch(() => undefined);
      await s.cleanup();
    }
  }
  return sized.map((entry) => {
    const queueP = (p: number): number | string => entry.queueFailure ?? round(percentile(entry.queue, p), 2);
    return {
      store: kind,
      events: entry.events,
      newStreamAppendP50Ms: round(percentile(entry.newStream, 50), 2),
      newStreamAppendP99Ms: round(percentile(entry.newStream, 99), 2),
      readAndAppendP50Ms: round(percentile(entry.readAndAppend, 50), 2),
      readAndAppendP99Ms: round(percentile(entry.readAndAppend, 99), 2),
      rawReadEventsPerSecond: entry.reads.rawSqlEventsPerSecond,
      readAllEventsPerSecond: entry.reads.readAllEventsPerSecond,
      rebuildEventsPerSecond: entry.rebuild.measured ? entry.rebuild.value.eventsPerSecond : entry.rebuild.reason,
      rebuildVsRawRead: entry.rebuild.measured ? round(entry.rebuild.value.eventsPerSecond / entry.reads.rawSqlEventsPerSecond, 2) : 'n/a',
      queueQueryP50Ms: queueP(50),
      queueQueryP99Ms: queueP(99),
    };
  });
}

/** Samples `from` to `to` (exclusive) of each latency at one size. */
async function sampleRound(entry: Sized, payload: ReturnType<typeof draftedPayload>, from: number, to: number): Promise<void> {
  const { store } = entry.s;
  for (let i = from; i < to; i += 1) {
    const t0 = performance.now();
    await store.append(`scale-${randomUUID()}`, [eventOf(payload)], 'no-stream');
    entry.newStream.push(performance.now() - t0);
  }
  for (const stream of entry.streams.slice(from, to)) {
    const t0 = performance.now();
    const read = await store.readStream(stream);
    if (!read.found) throw new Error(`${stream} not found`);
    await store.append(stream, [eventOf(payload)], read.events[read.events.length - 1].revision);
    entry.readAndAppend.push(performance.now() - t0);
  }
  if (entry.queueFailure !== undefined) return;
  const queue = await queueQueryLatency(store, entry.readModels, to - from, from);
  if (queue.measured) entry.queue.push(...queue.value.latenciesMs);
  else entry.queueFailure = queue.reason;
}

/** BENCH_SCALE=quick (default): 10k and 100k events; full: 10k, 100k and 1M. */
export function scaleSizes(): { mode: 'quick' | 'full'; sizes: number[] } {
  const mode = process.env.BENCH_SCALE === 'full' || process.argv.includes('--full') ? 'full' : 'quick';
  return { mode, sizes: mode === 'full' ? [10_000, 100_000, 1_000_000] : [10_000, 100_000] };
}
