/**
 * What the executor did survives a rebuild of the read models, and two executors share the outbox:
 * each notice reaches the delivery file once, and each effect is appended once. On PGlite and, with
 * DATABASE_URL, on PostgreSQL (where two executors really run on two connections).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApplicationEvent } from '@atlauja/domain';
import type { PostgresEventStore } from '@atlauja/event-store';
import { rebuildReadModels } from '../rebuild/rebuild';
import { ProjectionRunner } from '../runner/projection-runner';
import { ev, LogWriter, USER_JANIS, VIEW_MINISTRY } from '../testing/applications';
import { databases, type ReadModelDatabase } from '../testing/databases';
import { dumpReadModels } from '../testing/read-model-dump';
import { FileNoticeDelivery, type Notice, type NoticeDelivery } from './notice-delivery';
import { markNoticesDelivered } from './executor-tables';
import { ProcessExecutor, type ProcessExecutorOptions } from './process-executor';
import { readNotices, readProcessWork } from './process-queries';
import { rightsOverTime } from './rights-over-time.projection';

const approvedNewUser = (id: string, o: Parameters<typeof ev.drafted>[1] = {}): ApplicationEvent[] => [
  ev.drafted(id, o),
  ev.rightsSet(VIEW_MINISTRY),
  ev.submitted(),
  ev.signed(),
  ev.claimed(),
  ev.approved(o.kind ?? 'new-user', o.replaces),
];

/** The file adapter, slowed down so that concurrent ticks overlap while a notice is being handed over. */
class SlowFileDelivery implements NoticeDelivery {
  private readonly file: FileNoticeDelivery;
  constructor(path: string, private readonly delayMs: number) {
    this.file = new FileNoticeDelivery(path);
  }
  async deliver(notice: Notice, at: Date): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    await this.file.deliver(notice, at);
  }
}

describe.each(databases())('notices are delivered once (%s)', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  let runner: ProjectionRunner;
  let dir: string;
  let file: string;

  const newExecutor = (delayMs = 0, noticesSettled?: ProcessExecutorOptions['noticesSettled']) =>
    new ProcessExecutor({ store, sql: db.sql, schema, progress: runner, delivery: new SlowFileDelivery(file, delayMs), retryBaseMs: 60_000, maxDeliveryAttempts: 3, noticesSettled });
  /** The notice ids in the delivery file, one per line, in order. */
  const lines = (): string[] => {
    try {
      return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as Notice).noticeId);
    } catch {
      return [];
    }
  };
  const typesIn = async (id: string) => {
    const read = await store.readStream(`application-${id}`);
    return read.found ? read.events.map((e) => e.type) : [];
  };

  beforeAll(async () => (db = await open()), 60_000);
  afterAll(() => db.close());
  beforeEach(async () => {
    ({ store, schema } = await db.fresh());
    log = new LogWriter(store);
    dir = mkdtempSync(join(tmpdir(), 'atlauja-notices-'));
    file = join(dir, 'notices.jsonl');
    runner = new ProjectionRunner({ store, sql: db.sql, schema, projections: [rightsOverTime], batchWaitMs: 1 });
    await runner.start();
  });
  afterEach(async () => {
    await runner.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rebuild of the read models forgets nothing the executor did: no notice is delivered again, no effect repeated', async () => {
    await log.append('june', ...approvedNewUser('june', { term: { kind: 'until', date: '2026-06-30' } }));
    await log.append('old', ...approvedNewUser('old', { user: USER_JANIS }));
    await log.append('change', ...approvedNewUser('change', { kind: 'change', replaces: 'old', user: USER_JANIS }));
    // A change approved after the application it replaces was revoked: refused by the domain, done
    // by the executor's record only (the log shows no supersession).
    await log.append('gone', ...approvedNewUser('gone'), ev.revoked('mistake'));
    await log.append('late', ...approvedNewUser('late', { kind: 'change', replaces: 'gone' }));

    const executor = newExecutor();
    const first = await executor.tick(new Date('2026-03-02T08:00:00Z'));
    expect(first.performed).toEqual(['supersede:old']);
    expect(first.alreadyDone).toEqual(['supersede:gone']);
    await executor.tick(new Date('2026-06-01T08:00:00Z')); // the 30-day reminders
    await executor.tick(new Date('2026-06-24T08:00:00Z')); // the 7-day reminders
    expect((await executor.tick(new Date('2026-07-01T08:00:00Z'))).performed).toEqual(['expire:june']);
    const before = lines();
    expect(before).toHaveLength(2 * 5 + 2 + 2 + 2 + 2); // approved x5 apps, revoked, 30-day, 7-day, expired (x2 recipients)
    expect(new Set(before).size).toBe(before.length);
    const noticesBefore = await readNotices(db.sql, schema);
    const workBefore = await readProcessWork(db.sql, schema);

    // The projection's tables hold only what the log implies: they equal a clean replay even now.
    const clean = `${schema}_clean`;
    await rebuildReadModels({ store, sql: db.sql, schema: clean, projections: [rightsOverTime] });
    expect(await dumpReadModels(db.sql, schema, [rightsOverTime])).toEqual(await dumpReadModels(db.sql, clean, [rightsOverTime]));

    // Rebuild the live read models (replay into a fresh schema, swap), then tick on.
    await rebuildReadModels({ store, sql: db.sql, schema, projections: [rightsOverTime] });
    const rebuiltStatuses = await db.sql.query<{ status: string }>(`select distinct status from ${schema}.notices`);
    expect(rebuiltStatuses.map((r) => r.status)).not.toContain('delivered'); // the projection's own rows know nothing of delivery
    expect(await readNotices(db.sql, schema)).toEqual(noticesBefore);
    expect(await readProcessWork(db.sql, schema)).toEqual(workBefore);

    for (const at of ['2026-07-01T08:00:00Z', '2026-07-01T09:00:00Z', '2026-12-31T08:00:00Z', '2028-01-01T08:00:00Z']) {
      const report = await newExecutor().tick(new Date(at)); // a restarted process, too
      if (at.startsWith('2028')) {
        // UNTIL_2027 (old, change, late) lapse at the end of 2027: new work, new notices, each once.
        expect(report.performed.sort()).toEqual(['expire:change', 'expire:late']);
      } else {
        expect(report).toEqual({ state: 'done', performed: [], alreadyDone: [], delivered: 0, failed: 0, cancelled: 0 });
      }
    }
    const after = lines();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(new Set(after).size).toBe(after.length); // each notice once in the file
    expect((await typesIn('old')).filter((t) => t === 'ApplicationSuperseded')).toHaveLength(1);
    expect((await typesIn('june')).filter((t) => t === 'ApplicationExpired')).toHaveLength(1);
    expect(await typesIn('gone')).not.toContain('ApplicationSuperseded');
  });

  it('two executors ticking at once deliver each notice once', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `app-${i}`);
    for (const id of ids) await log.append(id, ...approvedNewUser(id));
    const a = newExecutor(5);
    const b = newExecutor(5);
    const now = new Date('2026-03-02T08:00:00Z');
    const [ra, rb] = await Promise.all([a.tick(now), b.tick(now)]);
    expect(ra.delivered + rb.delivered).toBe(ids.length * 2);
    // Both took part (the claims, not the serialization of one process, kept them apart).
    expect(ra.delivered).toBeGreaterThan(0);
    expect(rb.delivered).toBeGreaterThan(0);
    const sent = lines();
    expect(sent).toHaveLength(ids.length * 2);
    expect(new Set(sent).size).toBe(sent.length);
    expect((await readNotices(db.sql, schema)).filter((n) => n.kind === 'approved').map((n) => `${n.status} ${n.attempts}`)).toEqual(Array(ids.length * 2).fill('delivered 1'));

    // And again, later, both at once: nothing more.
    const later = new Date('2026-03-03T08:00:00Z');
    const again = await Promise.all([a.tick(later), b.tick(later)]);
    expect(again.map((r) => r.delivered)).toEqual([0, 0]);
    expect(lines()).toEqual(sent);
  });

  /** The executor's queue rows by status, as `<notice id> <status> <attempts>`. */
  const queue = async (): Promise<string[]> =>
    (await db.sql.query<{ row: string }>(`select notice_id || ' ' || status || ' ' || attempts as row from ${schema}.notice_deliveries order by notice_id`)).map((r) => r.row);
  /** Queue rows not settled yet (due by `dueBy`, when given). */
  const unsettled = async (dueBy = '9999-12-31T00:00:00Z'): Promise<number> =>
    Number((await db.sql.query<{ n: string }>(`select count(*)::text as n from ${schema}.notice_deliveries where status in ('pending', 'delivering') and due_at <= $1::timestamptz`, [dueBy]))[0].n);

  it('a notice the log cancels after it was queued is never delivered and leaves the queue', async () => {
    await log.append('june', ...approvedNewUser('june', { term: { kind: 'until', date: '2026-06-30' } }));
    const executor = newExecutor();
    expect((await executor.tick(new Date('2026-03-02T08:00:00Z'))).delivered).toBe(2); // approved, both recipients
    // The four reminders are queued (not due yet); then the rights are revoked, which cancels them in the outbox.
    expect(await unsettled()).toBe(4);
    await log.append('june', ev.revoked('left the ministry'));

    const told: string[] = [];
    const report = await newExecutor(0, (outcome, n) => told.push(`${outcome} ${n}`)).tick(new Date('2026-06-25T08:00:00Z')); // past both reminders' due times
    expect(report.delivered).toBe(2); // the revocation only
    expect(report.cancelled).toBe(4);
    expect(told.sort()).toEqual(['cancelled 4', 'delivered 1', 'delivered 1']); // what the metrics count
    expect(lines().filter((id) => id.includes(':expiry-in-'))).toEqual([]);
    expect(await unsettled()).toBe(0);
    expect((await queue()).filter((row) => row.includes(':expiry-in-'))).toEqual([
      'june:expiry-in-30-days:2026-06-30:institution cancelled 0',
      'june:expiry-in-30-days:2026-06-30:user cancelled 0',
      'june:expiry-in-7-days:2026-06-30:institution cancelled 0',
      'june:expiry-in-7-days:2026-06-30:user cancelled 0',
    ]);
    expect((await readNotices(db.sql, schema, { applicationId: 'june' })).filter((n) => n.kind.startsWith('expiry-in')).map((n) => n.status)).toEqual(Array(4).fill('cancelled'));
    expect((await executor.tick(new Date('2026-07-02T08:00:00Z'))).delivered).toBe(0);
  });

  it('two executors ticking at once while new notices keep arriving deliver each exactly once', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `arriving-${i}`);
    const a = newExecutor(2);
    const b = newExecutor(2);
    const now = new Date('2026-03-02T08:00:00Z');
    let appending = true;
    const tickUntilDone = async (executor: ProcessExecutor): Promise<number> => {
      let delivered = 0;
      while (appending) delivered += (await executor.tick(now)).delivered;
      return delivered + (await executor.tick(now)).delivered;
    };
    const ticking = Promise.all([tickUntilDone(a), tickUntilDone(b)]);
    for (const id of ids) await log.append(id, ...approvedNewUser(id));
    appending = false;
    const [da, db2] = await ticking;
    // Whatever either took in last, a final tick of each finds nothing left.
    const last = await Promise.all([a.tick(now), b.tick(now)]);
    expect(da + db2 + last[0].delivered + last[1].delivered).toBe(ids.length * 2);
    const sent = lines();
    expect(sent).toHaveLength(ids.length * 2);
    expect(new Set(sent).size).toBe(sent.length);
    expect(await unsettled(now.toISOString())).toBe(0);
    expect(await unsettled()).toBe(ids.length * 4); // the reminders, queued for later
  });

  it('a backlog larger than one intake batch is taken in over several, every notice once: the notices of one event are never split', async () => {
    const ids = Array.from({ length: 5 }, (_, i) => `backlog-${i}`);
    for (const id of ids) await log.append(id, ...approvedNewUser(id)); // six notices each, all at its approval's position
    const executor = new ProcessExecutor({ store, sql: db.sql, schema, progress: runner, delivery: new SlowFileDelivery(file, 0), intakeBatch: 4 });
    const now = new Date('2026-03-02T08:00:00Z');
    expect((await executor.tick(now)).delivered).toBe(ids.length * 2);
    expect(await queue()).toHaveLength(ids.length * 6);
    expect(await unsettled()).toBe(ids.length * 4);
    expect(new Set(lines()).size).toBe(ids.length * 2);
  });

  it('a log assembled outside the service, marked as an installation would have left it: nothing due is sent again, later reminders go out when due', async () => {
    await log.append('june', ...approvedNewUser('june', { term: { kind: 'until', date: '2026-06-30' } }));
    await runner.waitForPosition(await store.headPosition(), 10_000);
    await markNoticesDelivered(db.sql, schema, new Date('2026-03-02T08:00:00Z'));
    const executor = newExecutor();
    expect((await executor.tick(new Date('2026-03-02T08:00:00Z'))).delivered).toBe(0); // 'approved' counted as sent
    expect((await executor.tick(new Date('2026-06-25T08:00:00Z'))).delivered).toBe(4); // both reminders, both recipients
    expect(lines().every((id) => id.includes(':expiry-in-'))).toBe(true);
  });

  it('an upgrade from a schema without the queue (delivered rows, no intake position) sends nothing twice and loses nothing', async () => {
    await log.append('sent', ...approvedNewUser('sent'));
    await log.append('retrying', ...approvedNewUser('retrying', { user: USER_JANIS }));
    const unreachableOnce: NoticeDelivery = {
      deliver: async (notice, at) => {
        if (notice.noticeId === 'retrying:approved:user') throw new Error('e-address unreachable');
        await new FileNoticeDelivery(file).deliver(notice, at);
      },
    };
    const earlier = new ProcessExecutor({ store, sql: db.sql, schema, progress: runner, delivery: unreachableOnce, retryBaseMs: 60_000, maxDeliveryAttempts: 3 });
    expect((await earlier.tick(new Date('2026-03-02T08:00:00Z'))).delivered).toBe(3);
    // Back to the schema as the earlier executor left it: notices without their position, deliveries
    // without due times, no intake row. Three notices delivered, one waiting for its retry.
    await runner.stop();
    await db.sql.query(`alter table ${schema}.notices drop column recorded_position`);
    await db.sql.query(`alter table ${schema}.notice_deliveries drop column due_at`);
    await db.sql.query(`drop table ${schema}.notice_intake`);
    await db.sql.query(`comment on table ${schema}.projection_checkpoints is null`); // the earlier version kept no fingerprint
    const delivered = lines();
    expect(delivered).toHaveLength(3);
    runner = new ProjectionRunner({ store, sql: db.sql, schema, projections: [rightsOverTime], batchWaitMs: 1 });
    await runner.start(); // the projection's tables get the column (0 for the notices already there)
    await log.append('unsent', ...approvedNewUser('unsent')); // never tried: written after the upgrade

    const report = await newExecutor().tick(new Date('2026-03-02T09:00:00Z'));
    expect(report.delivered).toBe(3); // the retry and the two new ones; none of the delivered ones again
    expect(lines().slice(delivered.length).sort()).toEqual(['retrying:approved:user', 'unsent:approved:institution', 'unsent:approved:user']);
    expect(new Set(lines()).size).toBe(6);
    expect((await queue()).filter((row) => row.includes(':approved:'))).toEqual([
      'retrying:approved:institution delivered 1',
      'retrying:approved:user delivered 2',
      'sent:approved:institution delivered 1',
      'sent:approved:user delivered 1',
      'unsent:approved:institution delivered 1',
      'unsent:approved:user delivered 1',
    ]);
    expect(await db.sql.query(`select notice_id from ${schema}.notice_deliveries where status in ('pending', 'delivering') and due_at is null`)).toEqual([]);

    // A rebuild writes the real positions; the queue has every notice already, so nothing goes out again.
    await rebuildReadModels({ store, sql: db.sql, schema, projections: [rightsOverTime] });
    const clean = `${schema}_clean`;
    await rebuildReadModels({ store, sql: db.sql, schema: clean, projections: [rightsOverTime] });
    expect(await dumpReadModels(db.sql, schema, [rightsOverTime])).toEqual(await dumpReadModels(db.sql, clean, [rightsOverTime]));
    expect((await newExecutor().tick(new Date('2026-03-02T10:00:00Z'))).delivered).toBe(0);
    expect(lines()).toHaveLength(6);
  });

  it('a notice claimed by an executor that died while delivering goes out after its lease, once', async () => {
    await log.append('anna', ...approvedNewUser('anna'));
    const now = new Date('2026-03-02T08:00:00Z');
    // The dead executor's claim, as it left it: delivering, leased for ten minutes.
    let hang!: () => void;
    const dead = new ProcessExecutor({
      store,
      sql: db.sql,
      schema,
      progress: runner,
      delivery: { deliver: () => new Promise<void>((resolve) => (hang = resolve)) },
      claimLeaseMs: 600_000,
    });
    const stuck = dead.tick(now);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const alive = newExecutor();
    expect((await alive.tick(new Date(now.getTime() + 60_000))).delivered).toBe(1); // the other recipient's notice only
    expect((await alive.tick(new Date(now.getTime() + 11 * 60_000))).delivered).toBe(1); // the lease ran out
    expect(lines()).toHaveLength(2);
    expect(new Set(lines()).size).toBe(2);
    hang();
    await stuck;
  });
});
