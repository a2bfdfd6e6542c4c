/**
 * Figure 2: appends at the store level beside their limits, on the same server in the same run:
 *  - a raw single-row INSERT of the same row (autocommit, no lock, no chain) through the same driver,
 *    with the same number of writers and connections (the denominator of the ratio);
 *  - on PostgreSQL, the peer: Emmett's PostgreSQL store (peers/emmett.ts), same payload, same writers;
 *  - 1, 8 and 32 writers appending one real ApplicationDrafted (~600 B) to a new stream each;
 *    batches of 10 and 100 events at 8 writers (ours and raw);
 *  - correctness: 8 writers append while a reader follows the global log (ours: readAll after the
 *    last position, as subscribe does; Emmett: its batch reader after the last global position, as
 *    its consumers do); then every position of the final log is looked up in what the reader got:
 *    missing ones are gaps, positions received twice are duplicates.
 * Runs are interleaved (ours, raw, Emmett; three rounds) and each figure is the median of its rounds.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createPgDriver, NewEvent, PostgresEventStore, SqlDriver } from '@atlauja/event-store';
import { EmmettPeer, openEmmett } from './peers/emmett';
import { BenchStore, databaseUrl } from './support/stores';
import { forDuration, percentile, perSecond, round } from './support/stats';

export interface AppendRow {
  store: string;
  writers: number;
  case: string;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rawInsertEventsPerSecond: number;
  /** ours / raw INSERT */
  ratio: number;
  emmettEventsPerSecond?: number;
  /** ours / Emmett */
  vsEmmett?: number;
}

export interface CorrectnessRow {
  store: string;
  writers: number;
  written: number;
  receivedByReader: number;
  duplicates: number;
  gaps: number;
}

export interface AppendOptions {
  /** Length of one measured run. */
  ms: number;
  rounds: number;
}

/** The payload: the real ApplicationDrafted of the template application (data and metadata). */
export interface Payload {
  type: string;
  data: Record<string, unknown>;
  metadata: NewEvent['metadata'];
}

export function eventOf(payload: Payload): NewEvent {
  return { type: payload.type, data: payload.data, metadata: { ...payload.metadata, correlationId: randomUUID() } };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function createRawTable(driver: SqlDriver, table: string): Promise<void> {
  await driver.query(`drop table if exists ${table}`);
  await driver.query(`create table ${table} (
      position bigint generated always as identity primary key, stream text not null, revision bigint not null,
      id uuid not null, type text not null, data jsonb not null, metadata jsonb not null, prev_hash text not null, hash text not null,
      recorded_at timestamptz not null default now(), unique (stream, revision))`);
}

function rawInsert(driver: SqlDriver, table: string, payload: Payload, batch: number): () => Promise<unknown> {
  const fake = '0'.repeat(64);
  return () => {
    const rows = Array.from({ length: batch }, (_, n) => {
      const e = eventOf(payload);
      return { revision: String(n), id: randomUUID(), type: e.type, data: e.data, metadata: e.metadata, prevHash: fake, hash: fake };
    });
    if (batch === 1) {
      const [r] = rows;
      return driver.query(
        `insert into ${table} (stream, revision, id, type, data, metadata, prev_hash, hash) values ($1, 0, $2::uuid, $3, $4::jsonb, $5::jsonb, $6, $7)`,
        [`raw-${randomUUID()}`, r.id, r.type, JSON.stringify(r.data), JSON.stringify(r.metadata), fake, fake],
      );
    }
    return driver.query(
      `insert into ${table} (stream, revision, id, type, data, metadata, prev_hash, hash)
       select $1, (e->>'revision')::bigint, (e->>'id')::uuid, e->>'type', e->'data', e->'metadata', e->>'prevHash', e->>'hash'
         from jsonb_array_elements($2::jsonb) with ordinality as t(e, n) order by n`,
      [`raw-${randomUUID()}`, JSON.stringify(rows)],
    );
  };
}

async function measure(writers: number, ms: number, batch: number, operation: () => Promise<unknown>) {
  await forDuration(writers, Math.min(300, ms / 4), operation); // warm: plans, caches, connections
  const started = performance.now();
  const latencies = await forDuration(writers, ms, operation);
  return { eventsPerSecond: perSecond(latencies.length * batch, performance.now() - started), p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** A database of its own for the peer (its tables are in the public schema); dropped by the returned function. */
async function peerDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_emmett_${process.pid}_${Date.now().toString(36)}`;
  const admin = new Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const peerUrl = new URL(url);
  peerUrl.pathname = `/${name}`;
  return {
    url: peerUrl.toString(),
    drop: async () => {
      const again = new Client({ connectionString: url });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await again.end();
    },
  };
}

interface Writer {
  name: 'ours' | 'raw' | 'emmett';
  run: () => Promise<unknown>;
}

export async function runAppendBench(s: BenchStore, payload: Payload, options: AppendOptions): Promise<{ rows: AppendRow[]; correctness: CorrectnessRow[] }> {
  const rows: AppendRow[] = [];
  const correctness: CorrectnessRow[] = [];
  const rawTable = `${s.schema}.raw_insert_bench`;
  await createRawTable(s.driver, rawTable);
  const url = s.kind === 'postgres' ? databaseUrl() : undefined;
  const peer = url ? await peerDatabase(url) : undefined;
  try {
    for (const writers of [1, 8, 32]) {
      // PostgreSQL: a pool as large as the writers for each contender. PGlite: the one connection.
      const driver = s.kind === 'postgres' ? createPgDriver({ connectionString: url!, connectionTimeoutMs: 5000, max: writers }) : s.driver;
      const store = s.kind === 'postgres' ? await PostgresEventStore.open(driver, { schema: s.schema }) : s.store;
      const emmett = peer ? await openEmmett(peer.url, writers) : undefined;
      try {
        const contenders: Writer[] = [
          { name: 'ours', run: () => store.append(`bench-${randomUUID()}`, [eventOf(payload)], 'no-stream') },
          { name: 'raw', run: rawInsert(driver, rawTable, payload, 1) },
          ...(emmett ? [{ name: 'emmett' as const, run: () => emmett.append(`application-${randomUUID()}`, payload.type, payload.data, payload.metadata as unknown as Record<string, unknown>) }] : []),
        ];
        const results = new Map<string, { eventsPerSecond: number; p50: number; p99: number }[]>();
        for (let round = 0; round < options.rounds; round++) {
          for (const c of contenders) results.set(c.name, [...(results.get(c.name) ?? []), await measure(writers, options.ms, 1, c.run)]);
        }
        const med = (name: string, key: 'eventsPerSecond' | 'p50' | 'p99') => median((results.get(name) ?? []).map((r) => r[key]));
        const ours = med('ours', 'eventsPerSecond');
        const raw = med('raw', 'eventsPerSecond');
        const peerRate = emmett ? med('emmett', 'eventsPerSecond') : undefined;
        rows.push({
          store: s.kind, writers, case: 'single event, new stream',
          eventsPerSecond: round(ours), p50Ms: round(med('ours', 'p50'), 2), p99Ms: round(med('ours', 'p99'), 2),
          rawInsertEventsPerSecond: round(raw), ratio: round(ours / raw, 2),
          ...(peerRate !== undefined ? { emmettEventsPerSecond: round(peerRate), vsEmmett: round(ours / peerRate, 2) } : {}),
        });
        if (writers === 8) {
          for (const batch of [10, 100]) {
            const oursBatch = await measure(writers, options.ms, batch, () => store.append(`bench-${randomUUID()}`, Array.from({ length: batch }, () => eventOf(payload)), 'no-stream'));
            const rawBatch = await measure(writers, options.ms, batch, rawInsert(driver, rawTable, payload, batch));
            rows.push({
              store: s.kind, writers, case: `batch of ${batch}`, eventsPerSecond: round(oursBatch.eventsPerSecond), p50Ms: round(oursBatch.p50, 2), p99Ms: round(oursBatch.p99, 2),
              rawInsertEventsPerSecond: round(rawBatch.eventsPerSecond), ratio: round(oursBatch.eventsPerSecond / rawBatch.eventsPerSecond, 2),
            });
          }
          if (s.kind === 'postgres') {
            correctness.push(await followWhileWriting('ours', writers, options.ms, () => store.append(`gap-${randomUUID()}`, [eventOf(payload)], 'no-stream').then((r) => r.position),
              ourReader(s.store), async () => (await s.driver.query<{ p: string }>(`select position::text as p from ${s.schema}.events order by position`)).map((r) => BigInt(r.p))));
            if (emmett) {
              correctness.push(await followWhileWriting('Emmett', writers, options.ms,
                () => emmett.append(`gap-${randomUUID()}`, payload.type, payload.data, payload.metadata as unknown as Record<string, unknown>),
                emmettReader(emmett), () => emmett.allPositions()));
            }
          }
        }
      } finally {
        await emmett?.close();
        if (s.kind === 'postgres') await driver.close();
      }
    }
  } finally {
    await s.driver.query(`drop table if exists ${rawTable}`).catch(() => undefined);
    await peer?.drop();
  }
  return { rows, correctness };
}

/** A reader of the global log: from a cursor, one page, and the next cursor. */
type Reader = (cursor: bigint) => Promise<{ positions: bigint[]; next: bigint }>;

function ourReader(store: PostgresEventStore): Reader {
  return async (cursor) => {
    const page = await store.readAll(cursor, 500);
    return { positions: page.map((e) => e.position), next: page.length > 0 ? page[page.length - 1].position : cursor };
  };
}

function emmettReader(peer: EmmettPeer): Reader {
  return (cursor) => peer.readAfter(cursor, 500);
}

/**
 * `writers` append for `ms` while one reader follows the log from its head at the start; after the
 * writers stop, the reader goes on until it has been at the head for 300 ms. Positions of the final
 * log after the start that the reader never got are gaps; positions it got twice are duplicates.
 */
async function followWhileWriting(store: string, writers: number, ms: number, append: () => Promise<unknown>, read: Reader, all: () => Promise<bigint[]>): Promise<CorrectnessRow> {
  const before = await all();
  const start = before.length > 0 ? before[before.length - 1] : 0n;
  const received: bigint[] = [];
  let writing = true;
  const reader = (async () => {
    let cursor = start;
    let quietSince = 0;
    for (;;) {
      const { positions, next } = await read(cursor);
      received.push(...positions);
      cursor = next;
      if (positions.length > 0 || writing) quietSince = performance.now();
      else if (performance.now() - quietSince > 300) return;
      if (positions.length === 0) await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await forDuration(writers, ms, append);
  writing = false;
  await reader;
  const log = (await all()).filter((p) => p > start);
  const seen = new Set(received.map(String));
  return {
    store, writers, written: log.length, receivedByReader: received.length,
    duplicates: received.length - seen.size,
    gaps: log.filter((p) => !seen.has(String(p))).length,
  };
}
