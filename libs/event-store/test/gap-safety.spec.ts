/**
 * Gap safety on a PostgreSQL server: a subscriber must never pass a position that can still commit.
 *
 * One scenario, run against two logs over the same table: our store, and a naive log (sequence
 * positions, no append lock, reader `position > cursor`). 20 writers on separate connections append
 * 10,000 events while a subscriber follows. One append of writer 0 is held open after it took its
 * positions (its COMMIT waits on a gate), until the subscriber has passed those positions or 1.5 s
 * went by. The naive subscriber passes them and never sees them; ours cannot pass them.
 */
import { randomUUID } from 'crypto';
import { Pool } from 'pg';
import { createPgDriver, PostgresEventStore, type SqlDriver } from '@atlauja/event-store';
import { eventually, newEvent } from './event-store-contract';
import { DATABASE_URL, describeWhen, dropSchema, uniqueSchema } from './subjects';

const WRITERS = 20;
const EVENTS_PER_WRITER = 500;
const HELD_BATCH = 5; // writer 0's sixth append is the slow one
const MAX_HOLD_MS = 1500;

/** What the scenario needs from a log: append a batch (optionally holding its commit), read after a position. */
interface ScenarioLog {
  writer(index: number): { append(batch: number, hold?: (positions: bigint[]) => Promise<void>): Promise<void> };
  readAfter(position: bigint, max: number): Promise<bigint[]>;
  close(): Promise<void>;
}

interface Outcome {
  received: bigint[];
  log: bigint[];
  held: bigint[];
  passedWhileHeld: boolean;
}

async function runScenario(log: ScenarioLog): Promise<Outcome> {
  const received: bigint[] = [];
  const following = new AbortController();
  const subscriber = (async () => {
    let cursor = 0n;
    while (!following.signal.aborted) {
      const page = await log.readAfter(cursor, 1000);
      received.push(...page);
      if (page.length > 0) cursor = page[page.length - 1];
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();

  let held: bigint[] = [];
  let passedWhileHeld = false;
  const hold = async (positions: bigint[]): Promise<void> => {
    held = positions;
    const top = positions.reduce((a, b) => (a > b ? a : b));
    const passed = (): boolean => received.length > 0 && received[received.length - 1] > top;
    await eventually(passed, 'the subscriber to pass the held positions', MAX_HOLD_MS).catch(() => undefined);
    passedWhileHeld = passed();
  };

  await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
    const writer = log.writer(w);
    let written = 0;
    for (let batch = 0; written < EVENTS_PER_WRITER; batch += 1) {
      const size = Math.min(1 + ((w * 7 + batch * 3) % 9), EVENTS_PER_WRITER - written); // 1..9 events
      await writer.append(size, w === 0 && batch === HELD_BATCH ? hold : undefined);
      written += size;
    }
  }));

  const all = await log.readAfter(0n, WRITERS * EVENTS_PER_WRITER + 1);
  const last = all[all.length - 1];
  await eventually(() => received.length > 0 && received[received.length - 1] === last, 'the subscriber to reach the head');
  await new Promise((resolve) => setTimeout(resolve, 50)); // a late duplicate would show up here
  following.abort();
  await subscriber;
  return { received, log: all, held, passedWhileHeld };
}

/** Our store: each writer a store of its own on one connection; writer 0's driver can hold a commit. */
async function ourLog(url: string, schema: string): Promise<ScenarioLog> {
  const reader = await PostgresEventStore.open(createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 1 }), { schema });
  const writers = await Promise.all(Array.from({ length: WRITERS }, async () => {
    let holdNext: ((positions: bigint[]) => Promise<void>) | undefined;
    const store = await PostgresEventStore.open(holdingCommit(createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 1 }), () => {
      const hold = holdNext;
      holdNext = undefined;
      return hold;
    }), { schema });
    return { store, arm: (hold?: (positions: bigint[]) => Promise<void>) => { holdNext = hold; } };
  }));
  return {
    writer: (w) => ({
      append: async (batch, hold) => {
        const { store, arm } = writers[w];
        arm(hold);
        await store.append(`gap-${w}-${randomUUID()}`, Array.from({ length: batch }, (_, i) => newEvent('Noted', { w, i })), 'no-stream');
      },
    }),
    readAfter: async (position, max) => (await reader.readAll(position, max)).map((e) => e.position),
    close: async () => { await reader.close(); await Promise.all(writers.map(({ store }) => store.close())); },
  };
}

/**
 * Wraps a driver so that an append can wait, after its work and before COMMIT, while holding its
 * locks: a slow commit. The store appends in one autocommit call; the held one runs the same call
 * inside a transaction that waits before it commits (the lock the call takes is held to the end of
 * that transaction, as it is to the end of the autocommit one).
 */
function holdingCommit(driver: SqlDriver, takeHold: () => ((positions: bigint[]) => Promise<void>) | undefined): SqlDriver {
  return {
    query: <Row>(sql: string, params?: unknown[]): Promise<Row[]> => {
      const hold = takeHold();
      if (!hold) return driver.query<Row>(sql, params);
      return driver.transaction(async (tx) => {
        const rows = await tx.query<Row>(sql, params);
        // Still inside the transaction: its rows are written, its positions taken, its lock held.
        const { last_position: last } = rows[0] as { last_position?: string | null };
        if (last) await hold([BigInt(last)]);
        return rows;
      });
    },
    close: () => driver.close(),
    transaction: (work) => driver.transaction(work),
  };
}

/** The naive log: positions from the identity sequence, no lock, reader `position > cursor`. */
function naiveLog(url: string, schema: string): ScenarioLog {
  const pool = new Pool({ connectionString: url, max: WRITERS + 1 });
  return {
    writer: () => ({
      append: async (batch, hold) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const { rows } = await client.query<{ position: string }>(
            `insert into ${schema}.events (stream, revision, id, type, data, metadata, prev_hash, hash)
             select $1, r, gen_random_uuid(), 'Noted', '{}', '{}', '', '' from generate_series(0, $2::int - 1) as r
             returning position::text as position`, [`naive-${randomUUID()}`, batch]);
          if (hold) await hold(rows.map((row) => BigInt(row.position)));
          await client.query('commit');
        } finally {
          client.release();
        }
      },
    }),
    readAfter: async (position, max) => (await pool.query<{ position: string }>(
      `select position::text as position from ${schema}.events where position > $1::bigint order by events.position limit $2`,
      [position.toString(), max])).rows.map((row) => BigInt(row.position)),
    close: () => pool.end(),
  };
}

describeWhen(DATABASE_URL, 'gap-safety suite: DATABASE_URL is unset')('gap safety under 20 concurrent writers (PostgreSQL)', () => {
  const url = DATABASE_URL as string;
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url, schema);
  });

  async function scenarioOn(make: (schema: string) => Promise<ScenarioLog>): Promise<Outcome> {
    const schema = uniqueSchema();
    schemas.push(schema);
    const log = await make(schema);
    try {
      return await runScenario(log);
    } finally {
      await log.close();
    }
  }

  it('our store: the subscriber receives all 10,000 events exactly once, in log order; it never passes a held append', async () => {
    const outcome = await scenarioOn((schema) => ourLog(url, schema));
    expect(outcome.log).toHaveLength(WRITERS * EVENTS_PER_WRITER);
    expect(outcome.held.length).toBeGreaterThan(0);
    expect(outcome.passedWhileHeld).toBe(false);
    expect(outcome.received).toEqual(outcome.log); // same events, each once, same order
    for (let i = 1; i < outcome.received.length; i += 1) expect(outcome.received[i] > outcome.received[i - 1]).toBe(true);
  });

  it('the naive sequence reader: the same scenario skips the held append for ever', async () => {
    const outcome = await scenarioOn(async (schema) => {
      const store = await PostgresEventStore.open(createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 1 }), { schema });
      await store.close(); // only to create the same table
      return naiveLog(url, schema);
    });
    expect(outcome.log).toHaveLength(WRITERS * EVENTS_PER_WRITER);
    expect(outcome.passedWhileHeld).toBe(true);
    for (const position of outcome.held) {
      expect(outcome.log).toContain(position); // committed in the end...
      expect(outcome.received).not.toContain(position); // ...but the subscriber never saw it
    }
    expect(outcome.received.length).toBeLessThan(outcome.log.length);
  });
});
