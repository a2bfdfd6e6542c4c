/**
 * The server process killed with SIGKILL at random moments under load. Every command that received
 * a 2xx is in the store at the revision and position it answered, and every touched stream's hash
 * chain verifies (PostgreSQL: after every kill; embedded: after the last kill, for all rounds).
 * After the last round the restarted server serves commands, its projection runner catches up, and
 * its read models equal a clean rebuild of the same log into a scratch schema, table by table.
 * On PostgreSQL (20 rounds, when DATABASE_URL is set; the store and the read models each in a
 * schema of their own, dropped after) and on the embedded store (4 rounds: PGlite never fsyncs, but
 * its files survive a process kill; its data-dir lock, left behind by the killed process, is taken
 * over by the next server and by this test). The server runs compiled (bench/support/build.ts) as
 * its own process group, as `npm start` runs it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgDriver, EventStore, openEmbeddedEventStore, PostgresEventStore, SqlDriver, verifyStream } from '@atlauja/event-store';
import { Actors, prepareActors } from '../../bench/support/actors';
import { compiledApi } from '../../bench/support/build';
import { HttpClient } from '../../bench/support/http-client';
import { Ack, runLifecycleLoad } from '../../bench/support/lifecycle';
import { startServer } from '../../bench/support/server-process';
import { dropSchema, uniqueSchema } from '../../bench/support/stores';
import { DEFAULT_READ_MODEL_SCHEMA } from '@atlauja/projections';
import { compareWithCleanRebuild } from './support/read-models';
import { secretsIn } from './support/secrets';
import { DATABASE_URL } from './support/stores';

interface Case {
  name: 'postgres' | 'embedded';
  rounds: number;
}

const cases: Case[] = [...(DATABASE_URL ? [{ name: 'postgres' as const, rounds: 20 }] : []), { name: 'embedded', rounds: 4 }];

beforeAll(() => {
  compiledApi();
});

describe.each(cases)('SIGKILL under load ($name, $rounds rounds)', ({ name, rounds }) => {
  const dataDir = mkdtempSync(join(tmpdir(), `atlauja-crash-${name}-`));
  const schema = uniqueSchema('crash');
  // On PostgreSQL the read models (and idempotency keys) get a schema of their own too: the
  // default `read_models` is shared by every run against the same database.
  const readModelSchema = name === 'postgres' ? uniqueSchema('crash_rm') : DEFAULT_READ_MODEL_SCHEMA;
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    MODE: 'local',
    LOG_LEVEL: 'info',
    ...(name === 'postgres' ? { EVENT_STORE: 'postgres', DATABASE_URL: DATABASE_URL!, EVENT_STORE_SCHEMA: schema, READ_MODEL_SCHEMA: readModelSchema } : {}),
  };
  const outputs: string[] = [];
  const allAcks: Ack[] = [];
  let actors: Actors;

  /** The store as the server left it, opened by this process (for the embedded store: after the kill, taking over its lock). */
  async function withStore<T>(work: (store: EventStore, sql: SqlDriver) => Promise<T>): Promise<T> {
    if (name === 'postgres') {
      const driver = createPgDriver({ connectionString: DATABASE_URL!, connectionTimeoutMs: 5000, max: 2 });
      const store = await PostgresEventStore.open(driver, { schema });
      try {
        return await work(store, driver);
      } finally {
        await store.close();
      }
    }
    const store = await openEmbeddedEventStore(dataDir);
    try {
      return await work(store, store.sql);
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    actors = await prepareActors(dataDir);
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (name === 'postgres') for (const s of [schema, readModelSchema]) await dropSchema(s);
  });

  it('every acknowledged command survives every kill', async () => {
    let killedWithCommandsInFlight = 0;
    for (let round = 1; round <= rounds; round += 1) {
      const server = await startServer({ env, startTimeoutMs: 60_000 });
      const client = new HttpClient(server.baseUrl, 6);
      const acks: Ack[] = [];
      let firstAck: () => void = () => undefined;
      const acknowledged = new Promise<void>((resolve) => { firstAck = resolve; });
      const stop = new AbortController();
      const load = runLifecycleLoad({ client, actors, workers: 6, durationMs: 15_000, signal: stop.signal, onAck: (a) => { acks.push(a); firstAck(); } });
      try {
        // Killed under load: once the server has acknowledged something (a busy machine may take
        // longer than the delay below to answer at all), then at a random moment.
        await Promise.race([acknowledged, new Promise((r) => setTimeout(r, 30_000))]);
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1500)));
        const before = acks.length;
        stop.abort();
        await server.kill();
        await load;
        if (acks.length === before) killedWithCommandsInFlight += 1;
      } finally {
        client.close();
        await server.kill();
        outputs.push(server.output());
      }
      expect(acks.length).toBeGreaterThan(0);
      allAcks.push(...acks);
      // PostgreSQL is checked after every kill. The embedded store (seconds to open in this process)
      // after the last one, for the acknowledgements of all rounds: an event lost at a kill cannot
      // come back later (the check matches stream, revision and position), and the server itself
      // has reopened the killed store, taking over its lock, at the start of every later round.
      if (name === 'embedded' && round < rounds) continue;
      const toCheck = name === 'embedded' ? allAcks : acks;

      await withStore(async (store, sql) => {
        const missing = await sql.query<{ stream: string; revision: string }>(
          `select a.stream, a.revision::text from jsonb_to_recordset($1::jsonb) as a(stream text, revision bigint, position bigint)
             left join ${name === 'postgres' ? schema : 'event_store'}.events e on e.stream = a.stream and e.revision = a.revision and e.position = a.position
            where e.position is null`,
          [JSON.stringify(toCheck.map((a) => ({ stream: `application-${a.applicationId}`, revision: a.revision.toString(), position: a.position.toString() })))],
        );
        expect(missing).toEqual([]);
        for (const id of new Set(toCheck.map((a) => a.applicationId))) {
          const read = await store.readStream(`application-${id}`);
          expect(read.found && verifyStream(read.events)).toEqual({ ok: true });
        }
      });
    }
    // Most kills land while commands are in flight; the property holds either way.
    expect(killedWithCommandsInFlight).toBeLessThanOrEqual(rounds);
  });

  it('after the last kill the server restarts, serves commands, and its read models equal a clean rebuild', async () => {
    const server = await startServer({ env, startTimeoutMs: 60_000 });
    const client = new HttpClient(server.baseUrl, 2);
    const auditor = { authorization: `Bearer ${actors.tokens.auditor}` };
    try {
      const load = await runLifecycleLoad({ client, actors, workers: 2, durationMs: 1000, maxApplications: 2 });
      expect(load.errorSamples).toEqual([]);
      expect(load.applications).toBeGreaterThan(0);
      const last = allAcks[allAcks.length - 1];
      const read = await client.send('GET', `/applications/${last.applicationId}`, { headers: auditor });
      expect([200, 403]).toContain(read.status);
      // The restarted runner catches up with the whole log (no more commands are sent), then stops gracefully.
      const deadline = Date.now() + 60_000;
      let status: { name: string; lag: string; state: string }[] = [];
      for (;;) {
        const res = await client.send('GET', '/read-models/status', { headers: auditor });
        expect(res.status).toBe(200);
        status = (res.json as { projections: typeof status }).projections;
        if (status.length > 0 && status.every((p) => p.lag === '0')) break;
        if (status.some((p) => p.state === 'failed') || Date.now() > deadline) throw new Error(`read models did not catch up: ${JSON.stringify(status)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      client.close();
      await server.stop();
      outputs.push(server.output());
    }
    const comparison = await withStore((store, sql) => compareWithCleanRebuild(store, sql, uniqueSchema('cc'), readModelSchema));
    expect(comparison).toEqual({ checked: true, differences: [] });
  });

  it('the server logs of every round hold no personal code and no token', () => {
    const log = outputs.join('');
    expect(log.length).toBeGreaterThan(0);
    expect(secretsIn(log, actors.personalCodes, [actors.tokens.representative, actors.tokens.auditor, ...actors.tokens.approvers])).toEqual([]);
  });
});
