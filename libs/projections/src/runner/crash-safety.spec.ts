/**
 * Crash safety: the process dies at a random point inside a batch (any statement, just before or
 * just after COMMIT); after a restart every read model equals a clean rebuild. 100 seeds, each
 * reproducible (the seed picks the point); CRASH_SEEDS=1000 runs more.
 *
 * The 100 seeds run on PostgreSQL when DATABASE_URL is set (fast), else on PGlite; with both
 * available PGlite runs the first 25 as well, to keep the suite's time modest.
 */
import type { PostgresEventStore } from '@atlauja/event-store';
import { ensureReadModels } from '../checkpoints';
import { READ_MODELS } from '../read-models';
import { rebuildReadModels } from '../rebuild/rebuild';
import { LogWriter } from '../testing/applications';
import { DATABASE_URL, databases, type ReadModelDatabase, uniqueName } from '../testing/databases';
import { FaultySql } from '../testing/faulty-sql';
import { seededRandom, writeRandomLog } from '../testing/random-log';
import { dumpReadModels } from '../testing/read-model-dump';
import { ProjectionRunner } from './projection-runner';

const SEEDS = Number(process.env.CRASH_SEEDS ?? 100);
const seedsOn = (label: string): number => (label === 'PGlite' && DATABASE_URL && !process.env.CRASH_SEEDS ? 25 : SEEDS);

describe.each(databases())('crash safety on %s', (label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let head: bigint;
  let clean: string;
  let expected: Record<string, unknown[]>;

  // Batches of 6, whatever the time they take (no sizing to batchTimeMs): every run has the same crash points.
  const runner = (sql: ReadModelDatabase['sql'], schema: string) =>
    new ProjectionRunner({ store, sql, schema, projections: READ_MODELS, batchSize: 6, batchTimeMs: 600_000, batchWaitMs: 1, backoff: { initialMs: 5, maxMs: 5 } });

  beforeAll(async () => {
    db = await open();
    ({ store } = await db.fresh());
    await writeRandomLog(new LogWriter(store), 2026, 7);
    head = await store.headPosition();
    clean = uniqueName('rm_clean');
    await rebuildReadModels({ store, sql: db.sql, schema: clean, projections: READ_MODELS });
    expected = await dumpReadModels(db.sql, clean, READ_MODELS);
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });

  it(`after a crash at a random point of a batch, a restart ends equal to a clean rebuild (${seedsOn(label)} seeds)`, async () => {
    // How many crash points a full run has, to draw from: on tables that exist, as every seed but the
    // first finds them (a start that finds them current sends one read, not their DDL).
    const counting = new FaultySql(db.sql);
    const calibration = uniqueName('rm_count');
    await ensureReadModels(db.sql, calibration, READ_MODELS);
    const counted = runner(counting, calibration);
    await counted.start();
    expect(await counted.waitForPosition(head, 20_000)).toBe('reached');
    await counted.stop();
    const points = counting.points;
    expect(points).toBeGreaterThan(60);

    // One schema for every seed, emptied in between: creating and dropping tables costs more than the run.
    const schema = uniqueName('rm_seed');
    const tables = READ_MODELS.flatMap((p) => p.tables.map((t) => `${schema}.${t}`)).join(', ');
    const mismatches: number[] = [];
    for (let seed = 1; seed <= seedsOn(label); seed++) {
      const dying = new FaultySql(db.sql).crashAt(1 + Math.floor(seededRandom(seed)() * points));
      const first = runner(dying, schema);
      await first.start().catch(() => undefined); // a crash during start-up is a crash too
      for (let i = 0; i < 2000 && !dying.crashed; i++) await new Promise((resolve) => setTimeout(resolve, 2));
      await first.stop();
      expect(dying.crashed).toBe(true);

      const restarted = runner(db.sql, schema);
      await restarted.start();
      expect(await restarted.waitForPosition(head, 20_000)).toBe('reached');
      await restarted.stop();
      if (JSON.stringify(await dumpReadModels(db.sql, schema, READ_MODELS)) !== JSON.stringify(expected)) mismatches.push(seed);
      await db.sql.query(`truncate ${tables}`);
      await db.sql.query(`update ${schema}.projection_checkpoints set position = 0`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);
});
