/** The runner's promises: every event once, in order, to every projection; poison stops one; failures are survived. */
import type { PostgresEventStore, RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { auditLog } from '../audit-log/audit-log.projection';
import { readCheckpoints, resumeProjection } from '../checkpoints';
import type { Projection } from '../projection';
import { READ_MODELS } from '../read-models';
import { rebuildReadModels } from '../rebuild/rebuild';
import { ev, LogWriter } from '../testing/applications';
import { databases, type ReadModelDatabase, uniqueName } from '../testing/databases';
import { FaultySql } from '../testing/faulty-sql';
import { dumpReadModels } from '../testing/read-model-dump';
import { writeRandomLog } from '../testing/random-log';
import { ProjectionRunner } from './projection-runner';

/** Counts 'Poison' events it has seen, and throws on them while `poisoned` is set. */
function fragileProjection(state: { poisoned: boolean }): Projection {
  return {
    name: 'fragile',
    tables: ['fragile'],
    ddl: (schema) => [`create table if not exists ${schema}.fragile (position numeric primary key, type text not null)`],
    async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]) {
      for (const event of events) {
        if (event.type === 'Poison' && state.poisoned) throw new TypeError(`cannot read this event (personal code 010180-10101 inside)`);
        await tx.query(`insert into ${schema}.fragile values ($1::numeric, $2) on conflict do nothing`, [event.position.toString(), event.type]);
      }
    },
  };
}

describe.each(databases())('projection runner on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  const runners: ProjectionRunner[] = [];
  const runner = (options: Partial<ConstructorParameters<typeof ProjectionRunner>[0]> = {}) => {
    const created = new ProjectionRunner({ store, sql: db.sql, schema, projections: READ_MODELS, batchWaitMs: 2, backoff: { initialMs: 10, maxMs: 50 }, idlePollMs: 20, ...options });
    runners.push(created);
    return created;
  };

  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    ({ store, schema } = await db.fresh());
    log = new LogWriter(store);
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  it('catches up, then follows new appends; waitForPosition resolves once every projection includes the position', async () => {
    await writeRandomLog(log, 7, 10);
    const live = runner();
    await live.start();
    expect(await live.waitForPosition(await store.headPosition(), 10_000)).toBe('reached');
    const position = await log.append('late', ev.drafted('late'), ev.submitted(), ev.signed());
    expect(await live.waitForPosition(position, 5_000)).toBe('reached');
    const rows = await db.sql.query(`select application_id from ${schema}.approval_queue where status = 'signed' and application_id = 'late'`);
    expect(rows).toHaveLength(1);
    const status = await live.status();
    expect(status.map((s) => [s.name, s.state, s.lag, s.checkpoint])).toEqual(READ_MODELS.map((p) => [p.name, 'live', '0', position.toString()]));
  });

  it('applies a batch to every projection in one transaction, with their checkpoints', async () => {
    await writeRandomLog(log, 9, 8);
    const head = await store.headPosition();
    let transactions = 0;
    const counting = {
      query: db.sql.query.bind(db.sql),
      transaction: <T>(work: Parameters<typeof db.sql.transaction<T>>[0]) => { transactions += 1; return db.sql.transaction(work); },
      close: () => Promise.resolve(),
    } as typeof db.sql;
    const live = runner({ sql: counting, batchSize: 10, batchTimeMs: 600_000 });
    await live.start();
    transactions = 0; // the tables' creation
    expect(await live.waitForPosition(head, 10_000)).toBe('reached');
    // One per batch for all projections together (one more where the catch-up hands over to following):
    // the per-projection path would take one per projection and batch.
    expect(transactions).toBeGreaterThanOrEqual(Math.ceil(Number(head) / 10));
    expect(transactions).toBeLessThanOrEqual(Math.ceil(Number(head) / 10) + 1);
    const checkpoints = await readCheckpoints(db.sql, schema);
    expect(READ_MODELS.map((p) => checkpoints.get(p.name)?.position)).toEqual(READ_MODELS.map(() => head));
  });

  it('says timeout when the position is never reached, at once when the runner is stopped', async () => {
    const live = runner();
    await live.start();
    const started = Date.now();
    expect(await live.waitForPosition(10_000n, 150)).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await live.stop();
    expect(await live.waitForPosition(10_000n, 10_000)).toBe('timeout');
  });

  it('a poison event stops only its projection, naming the position; the others go on; resumed, it catches up', async () => {
    const fragility = { poisoned: true };
    await log.append('a', ev.drafted('a'));
    const poison = await store.append('oddities-1', [{ type: 'Poison', data: {}, metadata: { actor: 'system:test', occurredAt: new Date().toISOString(), schemaVersion: 1 } }], 'no-stream');
    const after = await log.append('b', ev.drafted('b'));
    const live = runner({ projections: [auditLog, fragileProjection(fragility)] });
    await live.start();

    expect(await live.waitForPosition(after, 5_000, ['audit_log'])).toBe('reached');
    expect(await live.waitForPosition(after, 5_000, ['fragile'])).toBe('failed');
    const fragile = (await live.status()).find((s) => s.name === 'fragile')!;
    expect(fragile).toMatchObject({ state: 'failed', failedPosition: poison.position.toString(), checkpoint: (poison.position - 1n).toString() });
    expect(fragile.error).toContain('TypeError');
    expect(fragile.error).not.toContain('010180-10101');
    expect((await readCheckpoints(db.sql, schema)).get('fragile')).toMatchObject({ state: 'failed', failedPosition: poison.position });

    const later = await log.append('c', ev.drafted('c'));
    expect(await live.waitForPosition(later, 5_000, ['audit_log'])).toBe('reached');

    fragility.poisoned = false; // the cause is fixed (a new release)
    expect(await resumeProjection(db.sql, schema, 'fragile')).toBe(true);
    // The runner notices within idlePollMs; until then it still reports the failure.
    for (let i = 0; i < 100 && (await live.status()).some((s) => s.state === 'failed'); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await live.waitForPosition(later, 5_000)).toBe('reached');
    const rows = await db.sql.query<{ type: string }>(`select type from ${schema}.fragile order by position`);
    expect(rows.map((r) => r.type)).toEqual(['ApplicationDrafted', 'Poison', 'ApplicationDrafted', 'ApplicationDrafted']);
  });

  it('when the read-model database fails it resubscribes with backoff and ends equal to a clean rebuild', async () => {
    await writeRandomLog(log, 11, 12);
    const flaky = new FaultySql(db.sql);
    const live = runner({ sql: flaky, batchSize: 5 });
    await live.start();
    flaky.failNextTransactions(6);
    expect(await live.waitForPosition(await store.headPosition(), 10_000)).toBe('reached');
    await writeRandomLog(log, 12, 4, 'more');
    flaky.failNextTransactions(3);
    expect(await live.waitForPosition(await store.headPosition(), 10_000)).toBe('reached');

    const clean = uniqueName('rm_clean');
    await rebuildReadModels({ store, sql: db.sql, schema: clean, projections: READ_MODELS });
    expect(await dumpReadModels(db.sql, schema, READ_MODELS)).toEqual(await dumpReadModels(db.sql, clean, READ_MODELS));
    await db.sql.query(`drop schema ${clean} cascade`);
  });
});
