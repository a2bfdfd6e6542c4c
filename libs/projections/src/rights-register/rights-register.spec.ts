/** The user rights register, as a specification: which rights are in force after these events. */
import { PostgresEventStore } from '@atlauja/event-store';
import { ev, LogWriter, MANAGE_AND_RESORT_VIEW, MINISTRY, SLIDING, SUBORDINATE, USER_ANNA, USER_JANIS, VIEW_MINISTRY, at } from '../testing/applications';
import { databases, eachFreshDatabase, type ReadModelDatabase } from '../testing/databases';
import { project, replayEveryPrefix } from '../testing/projection-spec';
import { rightsRegister } from './rights-register.projection';
import { readUserRights } from './rights-register.query';

const NOW = new Date('2026-06-01T09:00:00Z');
const approvedNewUser = (id: string, user = USER_ANNA, rights = VIEW_MINISTRY, institution = MINISTRY) => [
  ev.drafted(id, { user, institution }), ev.rightsSet(rights), ev.submitted(), ev.signed(), ev.claimed(), ev.approved(),
];

describe.each(databases())('user rights register on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  eachFreshDatabase(open, (fresh) => ({ db, store, schema, log } = fresh));

  const rights = async (filter: Partial<Parameters<typeof readUserRights>[2]> = {}, reveal = false, now = NOW) =>
    (await readUserRights(db.sql, schema, { limit: 100, ...filter }, now, reveal)).items;
  const scopes = async (filter: Partial<Parameters<typeof readUserRights>[2]> = {}) =>
    (await rights(filter)).map((r) => `${r.user.surname}:${r.scope.kind === 'institution' ? r.scope.institution : `resort ${r.scope.resort}`}:${r.groups.join('+')}:${r.grantedBy.applicationId}`);

  it('an approved application puts its rights in force, per scope, with the term and the granting application', async () => {
    await log.append('a', ...approvedNewUser('a', USER_ANNA, MANAGE_AND_RESORT_VIEW));
    await log.append('pending', ev.drafted('pending', { user: USER_JANIS }), ev.rightsSet(VIEW_MINISTRY), ev.submitted(), ev.signed());
    await log.append('refused', ev.drafted('refused', { user: USER_JANIS }), ev.rightsSet(VIEW_MINISTRY), ev.submitted(), ev.signed(), ev.rejected('no'));
    await project(store, db.sql, schema, [rightsRegister]);

    const held = await rights({ personalCode: USER_ANNA.personalCode });
    expect(held.map((r) => [r.scope, r.groups])).toEqual([
      [{ kind: 'institution', institution: MINISTRY }, ['MANAGE']],
      [{ kind: 'resort', resort: MINISTRY }, ['VIEW']],
    ]);
    expect(held[0]).toMatchObject({ employer: MINISTRY, term: { kind: 'until', date: '2027-12-31' }, grantedBy: { applicationId: 'a', at: at(6) } });
    expect(held[0].user.personalCode).toBe(`${USER_ANNA.personalCode.slice(0, 6)}-*****`);
    expect((await rights({ personalCode: USER_ANNA.personalCode }, true))[0].user.personalCode).toBe(USER_ANNA.personalCode);
    expect(await rights({ personalCode: USER_JANIS.personalCode })).toEqual([]);
  });

  it('revocation, expiry and an ending (institution merged) end the rights the application granted', async () => {
    await log.append('revoked', ...approvedNewUser('revoked', USER_ANNA), ev.revoked('left the ministry'));
    await log.append('expired', ...approvedNewUser('expired', USER_JANIS), ev.expired());
    await log.append('merged', ...approvedNewUser('merged', USER_JANIS, [{ kind: 'institution', institution: SUBORDINATE, groups: ['MANAGE'] }], SUBORDINATE), ev.ended());
    await log.append('kept', ...approvedNewUser('kept', USER_JANIS, [{ kind: 'institution', institution: SUBORDINATE, groups: ['VIEW'] }], SUBORDINATE));
    await project(store, db.sql, schema, [rightsRegister]);
    expect(await scopes()).toEqual([`Ozoliņš:${SUBORDINATE}:VIEW:kept`]);

    const history = await db.sql.query<{ application_id: string; end_reason: string }>(`select application_id, end_reason from ${schema}.user_rights where ended_at is not null order by 1`);
    expect(history).toEqual([
      { application_id: 'expired', end_reason: 'expired' },
      { application_id: 'merged', end_reason: 'institution-merged' },
      { application_id: 'revoked', end_reason: 'revoked' },
    ]);
  });

  it('an approved change replaces the rights of the application it replaces', async () => {
    await log.append('first', ...approvedNewUser('first'));
    await log.append('change', ev.drafted('change', { kind: 'change', replaces: 'first' }), ev.rightsSet(MANAGE_AND_RESORT_VIEW), ev.submitted(), ev.signed(), ev.approved('change', 'first', 40));
    await log.append('first', ev.superseded('change'));
    await project(store, db.sql, schema, [rightsRegister]);
    expect(await scopes({ personalCode: USER_ANNA.personalCode })).toEqual([`Bērziņa:${MINISTRY}:MANAGE:change`, `Bērziņa:resort ${MINISTRY}:VIEW:change`]);
  });

  it("an approved termination ends the user's rights at that institution, and only there", async () => {
    await log.append('ministry', ...approvedNewUser('ministry'));
    await log.append('subordinate', ...approvedNewUser('subordinate', USER_ANNA, [{ kind: 'institution', institution: SUBORDINATE, groups: ['VIEW'] }], SUBORDINATE));
    await log.append('other-user', ...approvedNewUser('other-user', USER_JANIS));
    await log.append('end', ev.drafted('end', { kind: 'termination', replaces: 'ministry' }), ev.submitted(), ev.signed(), ev.approved('termination', 'ministry', 50));
    await project(store, db.sql, schema, [rightsRegister]);
    expect(await scopes()).toEqual([`Bērziņa:${SUBORDINATE}:VIEW:subordinate`, `Ozoliņš:${MINISTRY}:VIEW:other-user`]);
    expect(await scopes({ employer: MINISTRY })).toEqual([`Ozoliņš:${MINISTRY}:VIEW:other-user`]);
  });

  it('an end date that has passed is no longer in force, even before the expiry is recorded', async () => {
    await log.append('dated', ...approvedNewUser('dated'));
    await log.append('sliding', ev.drafted('sliding', { user: USER_JANIS, term: SLIDING }), ev.rightsSet(VIEW_MINISTRY), ev.submitted(), ev.signed(), ev.approved());
    await project(store, db.sql, schema, [rightsRegister]);
    expect((await rights({}, false, new Date('2027-12-31T21:59:00Z'))).length).toBe(2); // 23:59 in Riga: the last day
    expect((await rights({}, false, new Date('2027-12-31T22:01:00Z'))).map((r) => r.grantedBy.applicationId)).toEqual(['sliding']);
  });

  it('re-applying any prefix of the log changes nothing', async () => {
    await log.append('first', ...approvedNewUser('first'));
    await log.append('change', ev.drafted('change', { kind: 'change', replaces: 'first' }), ev.rightsSet(MANAGE_AND_RESORT_VIEW), ev.submitted(), ev.signed(), ev.approved('change', 'first'));
    await log.append('j', ...approvedNewUser('j', USER_JANIS), ev.revoked('gone'));
    await log.append('end', ev.drafted('end', { kind: 'termination', replaces: 'change' }), ev.submitted(), ev.signed(), ev.approved('termination', 'change'));
    await project(store, db.sql, schema, [rightsRegister]);
    expect(await replayEveryPrefix(store, db.sql, schema, rightsRegister)).toEqual([]);
  });
});
