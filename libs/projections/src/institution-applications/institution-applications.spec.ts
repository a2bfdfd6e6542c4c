/** Each institution's applications, as a specification. */
import { PostgresEventStore } from '@atlauja/event-store';
import { ev, LogWriter, MINISTRY, SUBORDINATE, USER_ANNA, USER_JANIS } from '../testing/applications';
import { databases, eachFreshDatabase, type ReadModelDatabase } from '../testing/databases';
import { project, replayEveryPrefix } from '../testing/projection-spec';
import { institutionApplications } from './institution-applications.projection';
import { readInstitutionApplications } from './institution-applications.query';

describe.each(databases())('applications per institution on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  eachFreshDatabase(open, (fresh) => ({ db, store, schema, log } = fresh));

  const list = (institution: string, filter: Partial<Parameters<typeof readInstitutionApplications>[3]> = {}) =>
    readInstitutionApplications(db.sql, schema, institution, { limit: 50, ...filter });

  it("lists an institution's applications with their status, most recently changed first, personal codes masked", async () => {
    await log.append('a', ev.drafted('a', { t: 0 }), ev.submitted(1), ev.signed(2), ev.approved('new-user', undefined, 30));
    await log.append('b', ev.drafted('b', { user: USER_JANIS, t: 5 }), ev.submitted(6), ev.signed(7), ev.rejected('rights for 031190-12345 do not fit', 8));
    await log.append('c', ev.drafted('c', { t: 10 }));
    await log.append('elsewhere', ev.drafted('elsewhere', { institution: SUBORDINATE }));
    await project(store, db.sql, schema, [institutionApplications]);

    const page = await list(MINISTRY);
    expect(page.items.map((i) => [i.applicationId, i.status])).toEqual([['a', 'approved'], ['c', 'draft'], ['b', 'rejected']]);
    expect(page.items[2]).toMatchObject({ user: { givenName: 'Jānis', surname: 'Ozoliņš', personalCode: `${USER_JANIS.personalCode.slice(0, 6)}-*****` }, reason: 'rights for 031190-***** do not fit', revision: '3' });
    expect(page.items[0]).toMatchObject({ term: { kind: 'until', date: '2027-12-31' }, decidedAt: expect.any(String), claimed: false });
    const stored = JSON.stringify(await db.sql.query(`select * from ${schema}.institution_applications`));
    expect(stored).not.toContain(USER_ANNA.personalCode);
    expect(stored).not.toContain(USER_JANIS.personalCode);
  });

  it('filters by status and kind', async () => {
    await log.append('a', ev.drafted('a'), ev.submitted(), ev.signed());
    await log.append('b', ev.drafted('b', { kind: 'termination', replaces: 'a' }));
    await log.append('c', ev.drafted('c'), ev.withdrawn());
    await project(store, db.sql, schema, [institutionApplications]);

    expect((await list(MINISTRY, { statuses: ['signed', 'withdrawn'] })).items.map((i) => i.applicationId).sort()).toEqual(['a', 'c']);
    expect((await list(MINISTRY, { kind: 'termination' })).items.map((i) => i.applicationId)).toEqual(['b']);
  });

  it('finds a user by name regardless of case and Latvian diacritics, and by an edited name', async () => {
    await log.append('anna', ev.drafted('anna'));
    await log.append('janis', ev.drafted('janis', { user: USER_JANIS }));
    await log.append('renamed', ev.drafted('renamed'), ev.edited({ user: { ...USER_ANNA, givenName: 'Ērika', surname: 'Kalniņa' } }));
    await project(store, db.sql, schema, [institutionApplications]);

    const names = async (name: string) => (await list(MINISTRY, { name })).items.map((i) => i.applicationId).sort();
    expect(await names('berzina')).toEqual(['anna']);
    expect(await names('BĒRZIŅA')).toEqual(['anna']);
    expect(await names('janis ozolins')).toEqual(['janis']);
    expect(await names('erika')).toEqual(['renamed']);
    expect(await names('%')).toEqual([]);
  });

  it('pages with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) await log.append(`a${i}`, ev.drafted(`a${i}`, { t: i % 2 }));
    await project(store, db.sql, schema, [institutionApplications]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(MINISTRY, { limit: 2, cursor });
      seen.push(...page.items.map((i) => i.applicationId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['a3', 'a1', 'a4', 'a2', 'a0']);
  });

  it('re-applying any prefix of the log changes nothing', async () => {
    await log.append('a', ev.drafted('a'), ev.edited({ user: USER_JANIS }), ev.rightsSet([]), ev.submitted(), ev.signed(), ev.claimed(), ev.approved(), ev.expired());
    await log.append('b', ev.drafted('b'), ev.withdrawn());
    await project(store, db.sql, schema, [institutionApplications]);
    expect(await replayEveryPrefix(store, db.sql, schema, institutionApplications)).toEqual([]);
  });
});
