/**
 * Figure 2: appends at the store level (single events and batches) beside a raw INSERT of the same
 * rows through the same driver, on a table of the same shape (same columns, primary key and unique
 * (stream, revision)). The store's append adds: the append lock, the stream-tip read, the hash
 * chain, and its transaction. The single-append rate is also the limit the HTTP figure is set beside.
 */
import { randomUUID } from 'node:crypto';
import { NewEvent } from '@atlauja/event-store';
import { BenchStore } from './support/stores';
import { percentile, perSecond, round, runConcurrent } from './support/stats';

export interface AppendRow {
  store: string;
  case: string;
  eventsPerSecond: number;
  appendsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rawEventsPerSecond: number;
  /** store / raw */
  ratio: number;
}

/** A realistic event: about the size of a RightsSet. */
export function sampleEvent(i = 0): NewEvent {
  return {
    type: 'RightsSet',
    data: {
      rights: [
        { kind: 'resort', resort: '90000000001', groups: ['VIEW'] },
        { kind: 'institution', institution: '90000000001', groups: ['MANAGE'] },
      ],
      warnings: [],
      note: `bench event ${i}`,
    },
    metadata: { actor: '329999-00001', correlationId: randomUUID(), occurredAt: new Date().toISOString(), schemaVersion: 1 },
  };
}

export interface AppendOptions {
  /** Appends per case (a case also stops after maxMs). */
  appends: number;
  concurrency: number;
  maxMs: number;
}

const rawTable = (s: BenchStore) => `${s.schema}.raw_insert_bench`;

async function createRawTable(s: BenchStore): Promise<void> {
  await s.driver.query(`drop table if exists ${rawTable(s)}`);
  await s.driver.query(`create table ${rawTable(s)} (
      position bigint generated always as identity primary key, stream text not null, revision bigint not null,
      id uuid not null, type text not null, data jsonb not null, metadata jsonb not null, prev_hash text not null, hash text not null,
      recorded_at timestamptz not null default now(), unique (stream, revision))`);
}

/** Runs `operation` `count` times (bounded by maxMs: the count actually done is what is measured). */
async function bounded(options: AppendOptions, operation: (i: number) => Promise<unknown>) {
  const deadline = performance.now() + options.maxMs;
  let done = 0;
  const result = await runConcurrent(options.appends, options.concurrency, async (i) => {
    if (performance.now() > deadline) return;
    await operation(i);
    done += 1;
  });
  return { ...result, done, latenciesMs: result.latenciesMs.slice(0, done) };
}

/** The raw rate: the same rows, one INSERT each (autocommit), or one INSERT of a batch. */
async function rawInsert(s: BenchStore, batch: number, options: AppendOptions): Promise<number> {
  const fake = '0'.repeat(64);
  const run = await bounded(options, (i) => {
    const rows = Array.from({ length: batch }, (_, n) => {
      const e = sampleEvent(i);
      return { revision: String(n), id: randomUUID(), type: e.type, data: e.data, metadata: e.metadata, prevHash: fake, hash: fake };
    });
    return s.driver.query(
      `insert into ${rawTable(s)} (stream, revision, id, type, data, metadata, prev_hash, hash)
       select $1, (e->>'revision')::bigint, (e->>'id')::uuid, e->>'type', e->'data', e->'metadata', e->>'prevHash', e->>'hash'
         from jsonb_array_elements($2::jsonb) with ordinality as t(e, n) order by n`,
      [`raw-${randomUUID()}`, JSON.stringify(rows)],
    );
  });
  return perSecond(run.done * batch, run.elapsedMs);
}

async function storeAppend(s: BenchStore, batch: number, options: AppendOptions) {
  const run = await bounded(options, (i) => s.store.append(`bench-${randomUUID()}`, Array.from({ length: batch }, (_, n) => sampleEvent(i * batch + n)), 'no-stream'));
  return { eventsPerSecond: perSecond(run.done * batch, run.elapsedMs), appendsPerSecond: perSecond(run.done, run.elapsedMs), p50: percentile(run.latenciesMs, 50), p99: percentile(run.latenciesMs, 99) };
}

export async function runAppendBench(s: BenchStore, options: AppendOptions): Promise<AppendRow[]> {
  await createRawTable(s);
  // Warm-up: plans, caches, the pool's connections.
  await storeAppend(s, 1, { ...options, appends: 50 });
  await rawInsert(s, 1, { ...options, appends: 50 });
  const rows: AppendRow[] = [];
  for (const batch of [1, 10, 100]) {
    const scaled = { ...options, appends: Math.max(20, Math.round(options.appends / Math.sqrt(batch))) };
    const measured = await storeAppend(s, batch, scaled);
    const raw = await rawInsert(s, batch, scaled);
    rows.push({
      store: s.kind,
      case: batch === 1 ? 'single event' : `batch of ${batch}`,
      eventsPerSecond: round(measured.eventsPerSecond),
      appendsPerSecond: round(measured.appendsPerSecond),
      p50Ms: round(measured.p50, 2),
      p99Ms: round(measured.p99, 2),
      rawEventsPerSecond: round(raw),
      ratio: round(measured.eventsPerSecond / raw, 2),
    });
  }
  await s.driver.query(`drop table if exists ${rawTable(s)}`);
  return rows;
}
