/**
 * Rebuild while the service is in use: appends keep arriving and the live runner keeps projecting;
 * the rebuilt tables are swapped in; the result equals a clean rebuild, and no query, at any moment,
 * saw a half-built table (every observation of the audit log is exactly the log up to its checkpoint).
 */
import type { PostgresEventStore } from '@atlauja/event-store';
import { ensureReadModels } from '../checkpoints';
import { READ_MODELS } from '../read-models';
import { ProjectionRunner } from '../runner/projection-runner';
import { LogWriter } from '../testing/applications';
import { databases, type ReadModelDatabase, uniqueName } from '../testing/databases';
import { allEvents } from '../testing/projection-spec';
import { writeRandomLog } from '../testing/random-log';
import { dumpReadModels } from '../testing/read-model-dump';
import { rebuildReadModels, type RebuildProgress } from './rebuild';

/**
 * How long the live runner may take to catch up. Bounds, not expectations: on a loaded machine (CI
 * beside other work) PGlite took more than 10 s for the first 40 applications in batches of 10.
 */
const CATCH_UP_MS = 30_000;

describe.each(databases())('rebuild on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    ({ store, schema } = await db.fresh());
  });

  it('a rebuild while appends keep arriving ends equal to a clean rebuild, and no query sees a half-built table', async () => {
    const log = new LogWriter(store);
    await writeRandomLog(log, 1, 40);
    const live = new ProjectionRunner({ store, sql: db.sql, schema, projections: READ_MODELS, batchSize: 10, batchWaitMs: 1 });
    await live.start();
    expect(await live.waitForPosition(await store.headPosition(), CATCH_UP_MS)).toBe('reached');

    let appending = true;
    const appender = (async () => {
      for (let round = 0; appending; round++) {
        await writeRandomLog(log, 100 + round, 1, `during-${round}`);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
    })();
    const observations: { rows: number; checkpoint: bigint }[] = [];
    const failures: unknown[] = [];
    let querying = true;
    const reader = (async () => {
      while (querying) {
        try {
          const [row] = await db.sql.query<{ rows: string; checkpoint: string }>(
            `select (select count(*) from ${schema}.audit_log)::text as rows,
                    (select position::text from ${schema}.projection_checkpoints where name = 'audit_log') as checkpoint`,
          );
          observations.push({ rows: Number(row.rows), checkpoint: BigInt(row.checkpoint) });
          await db.sql.query(`select count(*) from ${schema}.approval_queue where status = 'signed'`);
        } catch (error) {
          failures.push(error);
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();

    const progress: RebuildProgress[] = [];
    const result = await rebuildReadModels({
      store, sql: db.sql, schema, projections: READ_MODELS, pageSize: 25,
      onProgress: (p) => progress.push(p),
      // The old tables keep serving until the swap; let the live side move ahead meanwhile.
      beforeSwap: () => new Promise((resolve) => setTimeout(resolve, 50)),
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    appending = false;
    await appender;
    querying = false;
    await reader;

    const head = await store.headPosition();
    expect(await live.waitForPosition(head, CATCH_UP_MS)).toBe('reached');
    await live.stop();
    expect(result.position).toBeGreaterThan(0n);
    expect(progress.length).toBeGreaterThan(2);

    const clean = uniqueName('rm_clean');
    await rebuildReadModels({ store, sql: db.sql, schema: clean, projections: READ_MODELS });
    expect(await dumpReadModels(db.sql, schema, READ_MODELS)).toEqual(await dumpReadModels(db.sql, clean, READ_MODELS));

    expect(failures).toEqual([]);
    expect(observations.length).toBeGreaterThan(2);
    const positions = (await allEvents(store)).map((e) => e.position);
    const inconsistent = observations.filter((o) => o.rows !== positions.filter((p) => p <= o.checkpoint).length);
    expect(inconsistent).toEqual([]);
    const leftovers = await db.sql.query(`select nspname from pg_namespace where nspname like $1`, [`${schema}_rebuild_%`]);
    expect(leftovers).toEqual([]);
  }, 3 * CATCH_UP_MS);

  it('the rebuilt tables have every index the read models are created with', async () => {
    await writeRandomLog(new LogWriter(store), 5, 10);
    const installed = uniqueName('rm_installed');
    await ensureReadModels(db.sql, installed, READ_MODELS);
    await rebuildReadModels({ store, sql: db.sql, schema, projections: READ_MODELS });
    const indexes = async (of: string): Promise<string[]> =>
      (await db.sql.query<{ definition: string }>(`select replace(indexdef, $1, 'rm') as definition from pg_indexes where schemaname = $2 order by 1`, [`${of}.`, of])).map((r) => r.definition);
    const rebuilt = await indexes(schema);
    expect(rebuilt).toEqual(await indexes(installed));
    expect(rebuilt.some((definition) => definition.includes('approval_queue_order'))).toBe(true);
    await db.sql.query(`drop schema ${installed} cascade`);
  });

  it('rebuilds one read model alone and clears its failure', async () => {
    await writeRandomLog(new LogWriter(store), 3, 5);
    const queue = READ_MODELS.find((p) => p.name === 'approval_queue')!;
    await rebuildReadModels({ store, sql: db.sql, schema, projections: READ_MODELS });
    await db.sql.query(`update ${schema}.projection_checkpoints set state = 'failed', failed_position = 3, error = 'x' where name = $1`, [queue.name]);
    await db.sql.query(`delete from ${schema}.approval_queue`);
    await rebuildReadModels({ store, sql: db.sql, schema, projections: [queue] });
    const [row] = await db.sql.query<{ state: string; rows: string }>(
      `select state, (select count(*) from ${schema}.approval_queue)::text as rows from ${schema}.projection_checkpoints where name = $1`, [queue.name]);
    expect(row.state).toBe('running');
    expect(Number(row.rows)).toBeGreaterThan(0);
  });
});
