/** The approvers' queue, as a specification: given these events, the queue shows these entries. */
import { PostgresEventStore } from '@atlauja/event-store';
import { readCheckpoints } from '../checkpoints';
import { InvalidCursor } from '../cursor';
import { APPROVER, ev, LogWriter, MINISTRY, REPRESENTATIVE, SUBORDINATE, USER_ANNA, USER_JANIS, at } from '../testing/applications';
import { databases, eachFreshDatabase, type ReadModelDatabase } from '../testing/databases';
import { project, replayEveryPrefix } from '../testing/projection-spec';
import { approvalQueue } from './approval-queue.projection';
import { readApprovalQueue } from './approval-queue.query';

const NOW = new Date(Date.parse(at(60)));

describe.each(databases())('approval queue on %s', (_label, open) => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let schema: string;
  let log: LogWriter;
  eachFreshDatabase(open, (fresh) => ({ db, store, schema, log } = fresh));

  const queue = (filter: Partial<Parameters<typeof readApprovalQueue>[2]> = {}, viewer = APPROVER) =>
    readApprovalQueue(db.sql, schema, { limit: 50, ...filter }, viewer, NOW);

  it('holds signed applications awaiting a decision, oldest first, with age, institution, kind and a masked code', async () => {
    await log.append('b', ev.drafted('b', { user: USER_JANIS }), ev.submitted(), ev.signed(20));
    await log.append('a', ev.drafted('a', { kind: 'change', institution: SUBORDINATE, replaces: 'x' }), ev.submitted(), ev.signed(10));
    await log.append('draft-only', ev.drafted('draft-only'));
    await log.append('submitted', ev.drafted('submitted'), ev.submitted());
    await project(store, db.sql, schema, [approvalQueue]);

    const page = await queue();
    expect(page.items.map((i) => [i.applicationId, i.institution, i.kind, i.ageSeconds])).toEqual([
      ['a', SUBORDINATE, 'change', 50 * 60],
      ['b', MINISTRY, 'new-user', 40 * 60],
    ]);
    expect(page.items[1].user).toEqual({ givenName: 'Jānis', surname: 'Ozoliņš', personalCode: `${USER_JANIS.personalCode.slice(0, 6)}-*****` });
    expect(page.items[0].queuedAt).toBe(at(10));
    expect(JSON.stringify(page)).not.toContain(USER_ANNA.personalCode);
    expect(JSON.stringify(page)).not.toContain(REPRESENTATIVE);
  });

  it('leaves the queue on approval, rejection or withdrawal, and shows who claimed', async () => {
    const other = '010101-10008';
    await log.append('approved', ev.drafted('approved'), ev.submitted(), ev.signed(), ev.claimed(), ev.approved());
    await log.append('rejected', ev.drafted('rejected'), ev.submitted(), ev.signed(), ev.rejected('incomplete'));
    await log.append('withdrawn', ev.drafted('withdrawn'), ev.submitted(), ev.withdrawn());
    await log.append('mine', ev.drafted('mine'), ev.submitted(), ev.signed(5), ev.claimed(APPROVER, 7));
    await log.append('theirs', ev.drafted('theirs'), ev.submitted(), ev.signed(6), ev.claimed(other, 8));
    await log.append('released', ev.drafted('released'), ev.submitted(), ev.signed(7), ev.claimed(other, 9), ev.released(other, 11));
    await project(store, db.sql, schema, [approvalQueue]);

    expect((await queue()).items.map((i) => i.applicationId)).toEqual(['mine', 'theirs', 'released']);
    const mine = (await queue({ claimed: 'mine' })).items;
    expect(mine.map((i) => [i.applicationId, i.claimedBy, i.claimedByMe])).toEqual([['mine', `${APPROVER.slice(0, 6)}-*****`, true]]);
    expect((await queue({ claimed: 'yes' })).items.map((i) => i.applicationId)).toEqual(['mine', 'theirs']);
    expect((await queue({ claimed: 'no' })).items.map((i) => [i.applicationId, i.claimedBy])).toEqual([['released', null]]);
  });

  it('filters by institution and kind, and flags what four eyes forbids the viewer to decide', async () => {
    await log.append('m', ev.drafted('m'), ev.submitted(), ev.signed(1));
    await log.append('s', ev.drafted('s', { institution: SUBORDINATE, kind: 'termination', replaces: 'm' }), ev.submitted(), ev.signed(2));
    await project(store, db.sql, schema, [approvalQueue]);

    expect((await queue({ institution: SUBORDINATE })).items.map((i) => i.applicationId)).toEqual(['s']);
    expect((await queue({ kind: 'new-user' })).items.map((i) => i.applicationId)).toEqual(['m']);
    expect((await queue({}, REPRESENTATIVE)).items.every((i) => i.fourEyesConflict)).toBe(true);
    expect((await queue({}, APPROVER)).items.some((i) => i.fourEyesConflict)).toBe(false);
  });

  it('pages with an opaque cursor, with no entry lost or repeated among equal times', async () => {
    for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await log.append(id, ev.drafted(id), ev.submitted(), ev.signed(id === 'p1' ? 9 : 3));
    await project(store, db.sql, schema, [approvalQueue]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await queue({ limit: 2, cursor });
      seen.push(...page.items.map((i) => i.applicationId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['p2', 'p3', 'p4', 'p5', 'p1']);
    await expect(queue({ cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidCursor);
  });

  it('re-applying any prefix of the log changes nothing', async () => {
    await log.append('a', ev.drafted('a'), ev.edited({ user: USER_JANIS }), ev.submitted(), ev.signed(), ev.claimed(), ev.released(), ev.claimed());
    await log.append('b', ev.drafted('b'), ev.submitted(), ev.signed(), ev.claimed(), ev.approved(), ev.revoked('left'));
    await project(store, db.sql, schema, [approvalQueue]);
    expect(await replayEveryPrefix(store, db.sql, schema, approvalQueue)).toEqual([]);
    expect((await readCheckpoints(db.sql, schema)).get('approval_queue')?.position).toBe(await store.headPosition());
  });
});
