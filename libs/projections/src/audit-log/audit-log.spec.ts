/** The audit log, as a specification: every event, flattened and filterable. */
import { PostgresEventStore } from '@atlauja/event-store';
import { APPROVER, ev, LogWriter, MINISTRY, REPRESENTATIVE, SUBORDINATE, USER_ANNA, at } from '../testing/applications';
import { databases, eachFreshDatabase, type ReadModelDatabase } from '../testing/databases';
import { project, replayEveryPrefix } from '../testing/projection-spec';
import { auditLog } from './audit-log.projection';
import { readAuditLog } from './audit-log.query';

describe.each(databases())('audit log on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  eachFreshDatabase(open, (fresh) => ({ db, store, schema, log } = fresh));

  const entries = (filter: Partial<Parameters<typeof readAuditLog>[2]> = {}) => readAuditLog(db.sql, schema, { order: 'asc', limit: 100, ...filter });

  it('flattens every event: time, masked actor, stream, type, institution and a summary without personal codes', async () => {
    await log.append('a', ev.drafted('a'), ev.submitted(), ev.signed(), ev.claimed(), ev.rejected(`duplicate of ${USER_ANNA.personalCode}`));
    await store.append('institution-90000000009', [{ type: 'InstitutionRegistered', data: { institution: '90000000009' }, metadata: { actor: 'system:registry', occurredAt: at(9), schemaVersion: 1 } }], 'no-stream');
    await project(store, db.sql, schema, [auditLog]);

    const page = await entries();
    expect(page.items.map((e) => [e.type, e.actor, e.institution])).toEqual([
      ['ApplicationDrafted', `${REPRESENTATIVE.slice(0, 6)}-*****`, MINISTRY],
      ['ApplicationSubmitted', `${REPRESENTATIVE.slice(0, 6)}-*****`, MINISTRY],
      ['ApplicationSigned', `${REPRESENTATIVE.slice(0, 6)}-*****`, MINISTRY],
      ['ApplicationClaimed', `${APPROVER.slice(0, 6)}-*****`, MINISTRY],
      ['ApplicationRejected', `${APPROVER.slice(0, 6)}-*****`, MINISTRY],
      ['InstitutionRegistered', 'system:registry', '90000000009'],
    ]);
    expect(page.items[0]).toMatchObject({ stream: 'application-a', applicationId: 'a', revision: '0', occurredAt: at(0), summary: `new-user application drafted at ${MINISTRY} for Anna Bērziņa` });
    expect(page.items[4].summary).toBe(`rejected: duplicate of ${USER_ANNA.personalCode.slice(0, 6)}-*****`);
    expect(JSON.stringify(page)).not.toMatch(/\d{6}-\d{5}/);
  });

  it('filters by stream, actor, institution, type and period, and pages both ways', async () => {
    await log.append('a', ev.drafted('a', { t: 0 }), ev.submitted(10), ev.signed(20), ev.claimed(APPROVER, 30));
    await log.append('b', ev.drafted('b', { institution: SUBORDINATE, t: 40 }), ev.submitted(50));
    await project(store, db.sql, schema, [auditLog]);

    const types = async (filter: Partial<Parameters<typeof readAuditLog>[2]>) => (await entries(filter)).items.map((e) => `${e.stream}:${e.type}`);
    expect(await types({ stream: 'application-b' })).toEqual(['application-b:ApplicationDrafted', 'application-b:ApplicationSubmitted']);
    expect(await types({ actor: APPROVER })).toEqual(['application-a:ApplicationClaimed']);
    expect(await types({ institution: SUBORDINATE, type: 'ApplicationSubmitted' })).toEqual(['application-b:ApplicationSubmitted']);
    expect(await types({ from: at(10), to: at(40) })).toEqual(['application-a:ApplicationSubmitted', 'application-a:ApplicationSigned', 'application-a:ApplicationClaimed']);

    const first = await entries({ order: 'desc', limit: 4 });
    const second = await entries({ order: 'desc', limit: 4, cursor: first.nextCursor! });
    const positions = (await store.readAll(0n, 100)).map((e) => e.position.toString()).reverse();
    expect([...first.items, ...second.items].map((e) => e.position)).toEqual(positions);
    expect(second.nextCursor).toBeNull();
  });

  it('re-applying any prefix of the log changes nothing', async () => {
    await log.append('a', ev.drafted('a'), ev.submitted(), ev.signed(), ev.approved());
    await log.append('b', ev.drafted('b', { institution: SUBORDINATE }), ev.withdrawn());
    await project(store, db.sql, schema, [auditLog]);
    expect(await replayEveryPrefix(store, db.sql, schema, auditLog)).toEqual([]);
  });
});
