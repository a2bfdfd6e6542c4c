/**
 * The rights are one truth (issue "invariants that span streams"), each case an operator or an
 * attacker found, now a named refusal, over HTTP on the embedded store:
 * - a termination naming another institution's grant; two grants in force for one person; two
 *   changes from one grant; an approval at a merged institution (and the merge closing what was
 *   undecided), also when the approval's checks passed before the merge and its append lands after
 *   it, before or after the merge's consequences; an approver deciding their own rights, or an
 *   application they edited;
 * - the lockout of seed 000 (logins, drafts, approvals, the e-service's answer) and its lifting;
 * - the e-service's question answered from the rights register.
 */
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import type { TestChain } from '../../libs/signatures/src/testing/test-pki';
import { ReadModelsHost } from '../../apps/api/src/read-models/read-models.host';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

const OTHER = '90000000501';
const MERGING = '90000000502';
const TAKING_OVER = '90000000503';
const LOCKING = '90000000504';
/** Merged while an approval there is between its checks and its append. */
const RACED_LATE = '90000000505';
const RACED_EARLY = '90000000506';
/** Merged while an approval is between its checks and its append, the merge's consequences carried out by the worker first. */
const RACED_WORKER_FIRST = '90000000507';
const user = (n: number) => ({ givenName: 'Ilze', surname: `Liepiņa ${n}`, personalCode: oldFormatPersonalCode('150590', 2, 600 + n * 10), email: `ilze${n}@iestade.example` });

describe('invariants that span streams, over HTTP', () => {
  let h: Harness;
  let portal: string;
  let eService: string;
  let municipal: string;

  beforeAll(async () => {
    h = await startHarness({}, { EXPIRY_INTERVAL_SECONDS: '0', REGISTRY_TIMER_SECONDS: '0' });
    portal = await h.mint({ subject: 'budzets-portal', roles: [], institutions: [], service: 'budzets-portal' });
    eService = await h.mint({ subject: 'budzets', roles: [], institutions: [], service: 'budzets' });
    const admin = bearer(h.tokens.admin);
    for (const reg of [OTHER, MERGING, TAKING_OVER, LOCKING, RACED_LATE, RACED_EARLY, RACED_WORKER_FIRST]) {
      await h.http().post('/institutions').set(admin).send({ registrationNumber: reg, officialName: `Izdomātā pašvaldība ${reg.slice(-1)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
      await h.http().post(`/institutions/${reg}/representatives`).set(admin).send({ personalCode: h.otherPersonChain.personalCode }).expect(200);
    }
    municipal = await h.mint({ subject: h.otherPersonChain.personalCode, roles: ['representative'], institutions: [OTHER, MERGING, TAKING_OVER, LOCKING, RACED_LATE, RACED_EARLY, RACED_WORKER_FIRST] });
    // Once the registry holds institutions it is the rules' only source: the ministry too, with its representatives.
    await h.http().post('/institutions').set(admin).send({ registrationNumber: MINISTRY, officialName: 'Izdomātā ministrija', type: 'ministry', coordinationVariant: 1 }).expect(201);
    for (const code of [h.representativeChain.personalCode, h.otherPersonChain.personalCode]) await h.http().post(`/institutions/${MINISTRY}/representatives`).set(admin).send({ personalCode: code }).expect(200);
  }, 180_000);
  afterAll(() => h.close());

  const rep = () => bearer(h.tokens.representative);
  const approver = () => bearer(h.tokens.approver);
  const rightsAt = (institution: string) => (institution === MINISTRY ? MINISTRY_USER_RIGHTS : { rights: [{ kind: 'institution', institution, groups: ['MANAGE'] }] });

  async function settled(): Promise<void> {
    expect(await h.app.get(ReadModelsHost).progress.waitForPosition(await h.store.headPosition(), 30_000)).toBe('reached');
  }

  /** Rights set (unless a termination), submitted and signed by the representative: in the queue. */
  async function signed(id: string, as: string, chain: TestChain, institution: string, termination = false): Promise<void> {
    if (!termination) await h.http().put(`/applications/${id}/rights`).set(bearer(as)).send(rightsAt(institution)).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(bearer(as)).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(bearer(as)).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(bearer(as)).send({ signature: signDocument(chain, doc.body.contentBase64) }).expect(200);
  }

  function draft(body: Record<string, unknown>, as = h.tokens.representative) {
    return h.http().post('/applications').set(bearer(as)).send(draftBody(body));
  }

  async function approve(id: string, as = approver()) {
    await h.http().post(`/applications/${id}/claim`).set(as).expect(200);
    return h.http().post(`/applications/${id}/approve`).set(as);
  }

  async function granted(body: Record<string, unknown>): Promise<string> {
    const id = (await draft(body).expect(201)).body.applicationId as string;
    await signed(id, h.tokens.representative, h.representativeChain, MINISTRY);
    await approve(id).then((r) => expect(r.status).toBe(200));
    return id;
  }

  const ask = (personalCode: string, institution: string, group = 'MANAGE') =>
    h.http().post('/e-service/authorizations').set(bearer(eService)).send({ personalCode, group, scope: { kind: 'institution', id: institution } }).expect(200);

  it('a termination naming another institution’s grant is refused at drafting (REPLACES_OTHER_INSTITUTION)', async () => {
    const grant = await granted({ user: user(1) });
    const refused = await draft({ kind: 'termination', institution: OTHER, replaces: grant, user: user(1) }, municipal).expect(422);
    expect(refused.body.code).toBe('REPLACES_OTHER_INSTITUTION');
    const otherPerson = await draft({ kind: 'termination', replaces: grant, user: user(2) }).expect(422);
    expect(otherPerson.body.code).toBe('REPLACES_OTHER_USER');
  });

  it('one grant in force per person per institution: a second new-user application is refused at drafting and, drafted earlier, at approval', async () => {
    const first = (await draft({ user: user(3) }).expect(201)).body.applicationId as string;
    const second = (await draft({ user: user(3) }).expect(201)).body.applicationId as string;
    await signed(first, h.tokens.representative, h.representativeChain, MINISTRY);
    await signed(second, h.tokens.representative, h.representativeChain, MINISTRY);
    expect((await approve(first)).status).toBe(200);
    const refused = await approve(second);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('GRANT_IN_FORCE');
    expect(refused.body.detail).toContain(first);
    expect((await h.http().get(`/applications/${second}`).set(approver()).expect(200)).body.status).toBe('signed');
    const third = await draft({ user: user(3) }).expect(422);
    expect(third.body.code).toBe('GRANT_IN_FORCE');
  });

  it('of two changes drafted from one grant, the first approval wins and the second is refused (GRANT_CHANGED)', async () => {
    const grant = await granted({ user: user(4) });
    const changes: string[] = [];
    for (let i = 0; i < 2; i++) changes.push((await h.http().post(`/applications/${grant}/changes`).set(rep()).send({ kind: 'change', justification: `Change ${i}` }).expect(201)).body.applicationId);
    for (const id of changes) await signed(id, h.tokens.representative, h.representativeChain, MINISTRY);
    expect((await approve(changes[0])).status).toBe(200);
    const second = await approve(changes[1]);
    expect(second.status).toBe(422);
    expect(second.body.code).toBe('GRANT_CHANGED');
    await settled();
    const rights = await h.http().post('/rights/search').set(bearer(h.tokens.auditor)).send({ personalCode: user(4).personalCode }).expect(200);
    expect(new Set(rights.body.items.map((r: { grantedBy: { applicationId: string } }) => r.grantedBy.applicationId))).toEqual(new Set([changes[0]]));
  });

  it('a merge ends the grants and closes what was undecided; nothing is approved there after it', async () => {
    const held = (await draft({ institution: MERGING, user: user(5) }, municipal).expect(201)).body.applicationId as string;
    await signed(held, municipal, h.otherPersonChain, MERGING);
    expect((await approve(held)).status).toBe(200);
    const waiting = (await draft({ institution: MERGING, user: user(6) }, municipal).expect(201)).body.applicationId as string;
    await signed(waiting, municipal, h.otherPersonChain, MERGING);
    await h.http().post(`/applications/${waiting}/claim`).set(approver()).expect(200);
    await settled();
    const merge = await h.http().post(`/institutions/${MERGING}/merge`).set(bearer(h.tokens.admin)).send({ into: TAKING_OVER, effectiveDate: new Date().toISOString().slice(0, 10) }).expect(200);
    expect(merge.body.rightsEnded.ended).toEqual([held]);
    expect(merge.body.applicationsClosed).toEqual([waiting]);
    const late = await h.http().post(`/applications/${waiting}/approve`).set(approver());
    expect(late.status).toBe(422);
    expect(['INSTITUTION_NOT_ACTIVE', 'TRANSITION_NOT_ALLOWED']).toContain(late.body.code);
    await settled();
    expect((await ask(user(5).personalCode, MERGING)).body).toMatchObject({ decision: 'deny', reason: 'ended' });
  });

  /**
   * An approval whose checks passed before the merge, held at its append (the store's append is
   * wrapped) until `release` says; the merge then runs. Returns the approval's answer.
   */
  async function approvalRacingAMerge(institution: string, userNo: number, release: 'after-the-merge-append' | 'after-the-merge-reply' | 'after-the-worker-ended-it') {
    const id = (await draft({ institution, user: user(userNo) }, municipal).expect(201)).body.applicationId as string;
    await signed(id, municipal, h.otherPersonChain, institution);
    await h.http().post(`/applications/${id}/claim`).set(approver()).expect(200);
    await settled();
    const append = h.store.append.bind(h.store);
    let held!: () => void;
    const heldAtAppend = new Promise<void>((resolve) => (held = resolve));
    let release_!: () => void;
    const released = new Promise<void>((resolve) => (release_ = resolve));
    let approvalAppended!: () => void;
    const appended = new Promise<void>((resolve) => (approvalAppended = resolve));
    h.store.append = async (stream, events, expected) => {
      if (stream === `application-${id}` && events.some((e) => e.type === 'ApplicationApproved')) {
        held();
        await released;
        try {
          return await append(stream, events, expected);
        } finally {
          approvalAppended();
        }
      }
      const result = await append(stream, events, expected);
      if (release !== 'after-the-merge-reply' && stream === `institution-${institution}` && events.some((e) => e.type === 'InstitutionMerged')) {
        release_(); // the approval lands between the merge and the merge's consequences
        await appended;
        // The worker's reactor follows the log: let it end the approval before this request's own run of the consequences.
        const endedByWorker = async () => {
          const read = await h.store.readStream(`application-${id}`);
          return read.found && read.events.some((e) => e.type === 'ApplicationEnded');
        };
        while (release === 'after-the-worker-ended-it' && !(await endedByWorker())) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (release === 'after-the-worker-ended-it') await settled(); // and the read models show it ended
      }
      return result;
    };
    try {
      const approval = h.http().post(`/applications/${id}/approve`).set(approver()).then((r) => r);
      await heldAtAppend;
      const merge = await h.http().post(`/institutions/${institution}/merge`).set(bearer(h.tokens.admin)).send({ into: TAKING_OVER, effectiveDate: new Date().toISOString().slice(0, 10) }).expect(200);
      release_();
      const approved = await approval;
      await settled();
      return { id, merge: merge.body, approved };
    } finally {
      h.store.append = append;
    }
  }

  it('an approval recorded between a merge and its consequences is ended by them: no right survives at a merged institution', async () => {
    const { id, merge, approved } = await approvalRacingAMerge(RACED_LATE, 12, 'after-the-merge-append');
    expect(approved.status).toBe(200);
    expect(merge.rightsEnded.ended).toEqual([id]);
    const after = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.auditor)).expect(200);
    expect(after.body.status).toBe('ended');
    expect((await ask(user(12).personalCode, RACED_LATE)).body).toMatchObject({ decision: 'deny' });
  });

  it('the merge’s reply names an approval recorded after it even when the worker ended it first (found by the model-based test on PostgreSQL)', async () => {
    const { id, merge, approved } = await approvalRacingAMerge(RACED_WORKER_FIRST, 14, 'after-the-worker-ended-it');
    expect(approved.status).toBe(200);
    expect(merge.rightsEnded.ended).toEqual([id]);
    const after = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.auditor)).expect(200);
    expect(after.body.status).toBe('ended');
    expect((await ask(user(14).personalCode, RACED_WORKER_FIRST)).body).toMatchObject({ decision: 'deny' });
  });

  it('an approval held past the merge’s consequences is refused by its expected revision: the application was closed first', async () => {
    const { id, merge, approved } = await approvalRacingAMerge(RACED_EARLY, 13, 'after-the-merge-reply');
    expect(approved.status).toBe(409);
    expect(merge.applicationsClosed).toEqual([id]);
    const after = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.auditor)).expect(200);
    expect(after.body.status).toBe('closed');
    expect((await ask(user(13).personalCode, RACED_EARLY)).body).toMatchObject({ decision: 'deny' });
    // The reservation the approval made was voided: the user may be granted rights there again one day.
    const grantEvents = (await h.store.readAll(0n, 100_000)).filter((e) => e.stream.startsWith(`grant-${RACED_EARLY}-`)).map((e) => e.type);
    expect(grantEvents).toEqual(['GrantReserved', 'GrantReservationVoided']);
  });

  it('four eyes, whole: no approver decides their own rights, nor an application they edited or set rights on', async () => {
    const approverCode = oldFormatPersonalCode('020290', 1, 101); // the harness approver
    const own = (await draft({ user: { ...user(7), personalCode: approverCode } }).expect(201)).body.applicationId as string;
    await signed(own, h.tokens.representative, h.representativeChain, MINISTRY);
    const claim = await h.http().post(`/applications/${own}/claim`).set(approver()).expect(422);
    expect(claim.body.code).toBe('FOUR_EYES');

    const both = await h.mint({ subject: h.otherPersonChain.personalCode, roles: ['representative', 'approver'], institutions: [MINISTRY] });
    const touched = (await draft({ user: user(8) }).expect(201)).body.applicationId as string;
    await h.http().patch(`/applications/${touched}`).set(bearer(both)).send({ justification: 'Edited by a colleague.' }).expect(200);
    await h.http().put(`/applications/${touched}/rights`).set(bearer(both)).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${touched}/submit`).set(rep()).expect(200);
    const doc = await h.http().get(`/applications/${touched}/document`).set(rep()).expect(200);
    await h.http().post(`/applications/${touched}/signature`).set(rep()).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);
    const editorClaims = await h.http().post(`/applications/${touched}/claim`).set(bearer(both)).expect(422);
    expect(editorClaims.body.code).toBe('FOUR_EYES');
  });

  it('seed 000: while a campaign is open the institution’s users are locked out (logins, drafts, decisions, the e-service), and it all lifts after', async () => {
    const held = (await draft({ institution: LOCKING, user: user(9) }, municipal).expect(201)).body.applicationId as string;
    await signed(held, municipal, h.otherPersonChain, LOCKING);
    expect((await approve(held)).status).toBe(200);
    await settled();
    expect((await ask(user(9).personalCode, LOCKING)).body).toMatchObject({ decision: 'allow', application: held });

    const campaign = (await h.http().post('/recertifications').set(bearer(h.tokens.admin)).send({ institution: LOCKING, deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10) }).expect(201)).body.campaignId as string;
    await settled();
    const login = await h.http().post('/portal/logins').set(bearer(portal)).send({ personalCode: user(9).personalCode }).expect(423);
    expect(login.body.code).toBe('USER_LOCKED_FOR_RECERTIFICATION');
    expect(JSON.stringify(login.body)).not.toContain(user(9).personalCode);
    expect((await draft({ institution: LOCKING, user: user(10) }, municipal).expect(423)).body.code).toBe('INSTITUTION_LOCKED_FOR_RECERTIFICATION');
    expect((await ask(user(9).personalCode, LOCKING)).body).toMatchObject({ decision: 'deny', reason: 'locked' });

    await h.http().post(`/recertifications/${campaign}/confirm`).set(bearer(municipal)).send({ personalCode: user(9).personalCode }).expect(200);
    await h.http().post(`/recertifications/${campaign}/complete`).set(bearer(municipal)).expect(200);
    await settled();
    await h.http().post('/portal/logins').set(bearer(portal)).send({ personalCode: user(9).personalCode }).expect(202);
    expect((await ask(user(9).personalCode, LOCKING)).body).toMatchObject({ decision: 'allow', application: held });
    await draft({ institution: LOCKING, user: user(10) }, municipal).expect(201);
  });

  it('the e-service’s answers: allow, VIEW implied, not granted, revoked; a person’s token is refused', async () => {
    const grant = await granted({ user: user(11) });
    await settled();
    expect((await ask(user(11).personalCode, MINISTRY)).body).toMatchObject({ decision: 'allow', application: grant });
    expect((await ask(user(11).personalCode, MINISTRY, 'VIEW')).body).toMatchObject({ decision: 'allow' });
    expect((await ask(user(11).personalCode, MINISTRY, 'APPROVE')).body).toMatchObject({ decision: 'deny', reason: 'not-granted' });
    await h.http().post(`/applications/${grant}/revoke`).set(rep()).send({ reason: 'Left the ministry', confirmed: true }).expect(200);
    await settled();
    const revoked = await ask(user(11).personalCode, MINISTRY);
    expect(revoked.body).toMatchObject({ decision: 'deny', reason: 'revoked', application: grant });
    expect(BigInt(revoked.body.position)).toBeGreaterThan(0n);
    const person = await h.http().post('/e-service/authorizations').set(rep()).send({ personalCode: user(11).personalCode, group: 'MANAGE', scope: { kind: 'institution', id: MINISTRY } }).expect(403);
    expect(person.body.code).toBe('SERVICE_CREDENTIAL_REQUIRED');
  });
});
