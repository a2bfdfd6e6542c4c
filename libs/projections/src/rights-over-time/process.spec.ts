/**
 * The rights-over-time process on PGlite and, with DATABASE_URL, on PostgreSQL: the projection records the due work from the log, the
 * executor performs it through the domain when the injected time says so. Given these events and
 * this time, then exactly these effects in the log.
 */
import type { ApplicationEvent } from '@atlauja/domain';
import type { PostgresEventStore } from '@atlauja/event-store';
import { ProjectionRunner } from '../runner/projection-runner';
import { ev, LogWriter, SLIDING, USER_ANNA, USER_JANIS, VIEW_MINISTRY } from '../testing/applications';
import { databases, type ReadModelDatabase } from '../testing/databases';
import { loginStream, USER_AUTHENTICATED } from './logins';
import type { Notice, NoticeDelivery } from './notice-delivery';
import { ProcessExecutor, SimulatedCrash } from './process-executor';
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

class RecordingDelivery implements NoticeDelivery {
  readonly delivered: { notice: Notice; at: Date }[] = [];
  failing = false;
  async deliver(notice: Notice, at: Date): Promise<void> {
    if (this.failing) throw new Error('e-address unreachable');
    this.delivered.push({ notice, at });
  }
}

describe.each(databases())('the rights-over-time process (%s)', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  let runner: ProjectionRunner;
  let delivery: RecordingDelivery;
  let executor: ProcessExecutor;

  const startRunner = async () => {
    runner = new ProjectionRunner({ store, sql: db.sql, schema, projections: [rightsOverTime], batchWaitMs: 1 });
    await runner.start();
  };
  const newExecutor = (afterAppend?: (id: string) => void) =>
    new ProcessExecutor({ store, sql: db.sql, schema, progress: runner, delivery, retryBaseMs: 60_000, maxDeliveryAttempts: 3, ...(afterAppend ? { afterAppend } : {}) });
  const typesIn = async (id: string) => {
    const read = await store.readStream(`application-${id}`);
    return read.found ? read.events.map((e) => e.type) : [];
  };
  const login = (personalCode: string, authenticatedAt: string) =>
    store.append(loginStream(authenticatedAt.slice(0, 10)), [{ type: USER_AUTHENTICATED, data: { personalCode, authenticatedAt, reportedBy: 'portal' }, metadata: { actor: 'service:portal', correlationId: 'spec', occurredAt: authenticatedAt, schemaVersion: 1 } }], 'any');

  /** The projection has read everything in the log. */
  const settled = async () => expect(await runner.waitForPosition(await store.headPosition(), 5000)).toBe('reached');

  beforeAll(async () => (db = await open()), 60_000);
  afterAll(() => db.close());
  beforeEach(async () => {
    ({ store, schema } = await db.fresh());
    log = new LogWriter(store);
    delivery = new RecordingDelivery();
    await startRunner();
    executor = newExecutor();
  });
  afterEach(() => runner.stop());

  it('a week of downtime, then one tick: exactly the applications whose last day passed expire, once', async () => {
    // Approved 2026-03-02; ends on the 5th, the 8th (both inside the week) and the 12th (after it).
    await log.append('ends-5th', ...approvedNewUser('ends-5th', { term: { kind: 'until', date: '2026-03-05' } }));
    await log.append('ends-8th', ...approvedNewUser('ends-8th', { term: { kind: 'until', date: '2026-03-08' }, user: USER_JANIS }));
    await log.append('ends-12th', ...approvedNewUser('ends-12th', { term: { kind: 'until', date: '2026-03-12' } }));
    await log.append('ends-9th-revoked', ...approvedNewUser('ends-9th-revoked', { term: { kind: 'until', date: '2026-03-06' } }), ev.revoked('left the ministry'));

    const report = await executor.tick(new Date('2026-03-09T07:00:00Z'));
    expect(report.performed.sort()).toEqual(['expire:ends-5th', 'expire:ends-8th']);
    expect(await typesIn('ends-5th')).toContain('ApplicationExpired');
    expect(await typesIn('ends-12th')).not.toContain('ApplicationExpired');
    expect(await typesIn('ends-9th-revoked')).not.toContain('ApplicationExpired');

    // Idempotent: ticking again the same day, or by a second executor, adds nothing.
    const again = await newExecutor().tick(new Date('2026-03-09T08:00:00Z'));
    expect([...again.performed, ...again.alreadyDone]).toEqual([]);
    const expired = (await Promise.all(['ends-5th', 'ends-8th', 'ends-12th', 'ends-9th-revoked'].map(typesIn))).flat().filter((t) => t === 'ApplicationExpired');
    expect(expired).toHaveLength(2);
  });

  it('the sliding term: a login just before the 18-month boundary keeps the rights; none and they lapse just after it', async () => {
    await log.append('anna', ...approvedNewUser('anna', { term: SLIDING }));
    await log.append('janis', ...approvedNewUser('janis', { term: SLIDING, user: USER_JANIS }));
    await login(USER_ANNA.personalCode, '2026-05-10T10:00:00+03:00');
    await login(USER_JANIS.personalCode, '2026-05-10T10:00:00+03:00');
    // Anna logs in on her last day (2027-11-10, 23:00 Riga): 18 more months.
    await login(USER_ANNA.personalCode, '2027-11-10T23:00:00+02:00');

    expect((await executor.tick(new Date('2027-11-10T21:59:59Z'))).performed).toEqual([]); // 23:59:59 Riga, Jānis's last day
    const justAfter = await executor.tick(new Date('2027-11-10T22:00:01Z')); // 00:00:01 Riga, the day after
    expect(justAfter.performed).toEqual(['expire:janis']);
    expect(await typesIn('anna')).not.toContain('ApplicationExpired');
    expect((await readProcessWork(db.sql, schema, 'anna'))[0]).toMatchObject({ status: 'pending', dueAt: '2029-05-10T21:00:00.000Z' }); // 2029-05-11 00:00 Riga (+03:00)
    expect((await store.readStream('application-janis')).found && (await typesIn('janis')).at(-1)).toBe('ApplicationExpired');
  });

  it('supersede exactly once when the process crashes between the effect and its bookkeeping, then restarts', async () => {
    await log.append('old', ...approvedNewUser('old'));
    await log.append('change', ...approvedNewUser('change', { kind: 'change', replaces: 'old' }));
    const crashing = newExecutor(() => {
      throw new SimulatedCrash();
    });
    await expect(crashing.tick(new Date('2026-03-02T08:00:00Z'))).rejects.toThrow(SimulatedCrash);
    await runner.stop(); // the whole process goes down with it

    await startRunner(); // restart: a fresh runner from its checkpoint, a fresh executor
    const restarted = await newExecutor().tick(new Date('2026-03-02T08:05:00Z'));
    expect(restarted.performed).toEqual([]);
    expect((await typesIn('old')).filter((t) => t === 'ApplicationSuperseded')).toHaveLength(1);
    expect(await readProcessWork(db.sql, schema, 'old')).toEqual([expect.objectContaining({ workId: 'supersede:old', status: 'done' }), expect.objectContaining({ workId: 'expire:old', status: 'done' })]);
  });

  it('a change approved after the replaced application was revoked: the domain refuses, the work is done, nothing appended', async () => {
    await log.append('old', ...approvedNewUser('old'), ev.revoked('mistake'));
    await log.append('change', ...approvedNewUser('change', { kind: 'change', replaces: 'old' }));
    const report = await executor.tick(new Date('2026-03-02T08:00:00Z'));
    expect(report.alreadyDone).toEqual(['supersede:old']);
    expect(await typesIn('old')).not.toContain('ApplicationSuperseded');
  });

  it('a termination, approved, supersedes the application it ends and schedules no expiry of its own', async () => {
    await log.append('old', ...approvedNewUser('old', { term: { kind: 'until', date: '2026-04-30' } }));
    await log.append('stop', ev.drafted('stop', { kind: 'termination', replaces: 'old' }), ev.submitted(), ev.signed(), ev.claimed(), ev.approved('termination', 'old'));
    expect((await executor.tick(new Date('2026-03-02T08:00:00Z'))).performed).toEqual(['supersede:old']);
    await settled();
    expect(await readProcessWork(db.sql, schema, 'stop')).toEqual([]);
    expect((await readNotices(db.sql, schema, { applicationId: 'old' })).filter((n) => n.kind.startsWith('expiry-in'))).toEqual([
      expect.objectContaining({ status: 'cancelled' }),
      expect.objectContaining({ status: 'cancelled' }),
      expect.objectContaining({ status: 'cancelled' }),
      expect.objectContaining({ status: 'cancelled' }),
    ]);
  });

  it('notices: approval at once, 30 and 7 days before the expiry once each, the expiry; ticking daily for four months', async () => {
    await log.append('june', ...approvedNewUser('june', { term: { kind: 'until', date: '2026-06-30' } }));
    for (let day = 0; day <= 122; day++) await executor.tick(new Date(Date.parse('2026-03-02T08:00:00Z') + day * 86_400_000));
    const sent = delivery.delivered.map(({ notice, at }) => `${at.toISOString().slice(0, 10)} ${notice.kind} ${notice.recipient.kind}`);
    expect(sent).toEqual([
      '2026-03-02 approved institution',
      '2026-03-02 approved user',
      '2026-06-01 expiry-in-30-days institution',
      '2026-06-01 expiry-in-30-days user',
      '2026-06-24 expiry-in-7-days institution',
      '2026-06-24 expiry-in-7-days user',
      '2026-07-01 expired institution',
      '2026-07-01 expired user',
    ]);
    // The user is named masked, never by the personal code.
    expect(JSON.stringify(delivery.delivered)).not.toContain(USER_ANNA.personalCode);
    expect(delivery.delivered.find((d) => d.notice.recipient.kind === 'user')!.notice.recipient.id).toBe(`${USER_ANNA.personalCode.slice(0, 6)}-*****`);
  });

  it('a login that moves the end replaces the reminders: the ones for the old end are cancelled, not sent', async () => {
    await log.append('anna', ...approvedNewUser('anna', { term: SLIDING }));
    await executor.tick(new Date('2027-08-05T08:00:00Z')); // the 30-day reminder of the first end (2027-09-02) goes out
    await login(USER_ANNA.personalCode, '2027-08-20T10:00:00+03:00'); // before the 7-day one: the end moves to 2029-02-20
    await executor.tick(new Date('2027-08-21T08:00:00Z'));
    await settled();
    const reminders = (await readNotices(db.sql, schema, { applicationId: 'anna' })).filter((n) => n.kind.startsWith('expiry-in'));
    expect(reminders.map((n) => `${n.kind} ${n.status}`).sort()).toEqual([
      'expiry-in-30-days delivered',
      'expiry-in-30-days delivered',
      'expiry-in-30-days pending',
      'expiry-in-30-days pending',
      'expiry-in-7-days cancelled',
      'expiry-in-7-days cancelled',
      'expiry-in-7-days pending',
      'expiry-in-7-days pending',
    ]);
  });

  it('delivery retries with backoff, then fails; the status and the error are kept', async () => {
    await log.append('anna', ...approvedNewUser('anna'));
    delivery.failing = true;
    const t0 = Date.parse('2026-03-02T08:00:00Z');
    await executor.tick(new Date(t0));
    await executor.tick(new Date(t0 + 30_000)); // before the first retry is due: not attempted
    expect((await readNotices(db.sql, schema, { applicationId: 'anna' })).filter((n) => n.kind === 'approved').map((n) => [n.status, n.attempts])).toEqual([['pending', 1], ['pending', 1]]);
    await executor.tick(new Date(t0 + 60_000)); // second attempt
    expect((await executor.tick(new Date(t0 + 180_000))).failed).toBe(2); // third (after 2 minutes more): failed
    const approved = (await readNotices(db.sql, schema, { applicationId: 'anna' })).filter((n) => n.kind === 'approved');
    expect(approved.map((n) => [n.status, n.attempts, n.lastError])).toEqual([['failed', 3, 'e-address unreachable'], ['failed', 3, 'e-address unreachable']]);
  });
});
