/**
 * Issue 9 through the API: the registry (seed 001), its authority over applications, the merge
 * (seed 003) and the re-certification campaign with its lockout (seed 000). Registration numbers
 * are fictional; personal codes are new-format (`32…`, no date) or the test PKI's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalTokenIssuer, type Principal } from '@atlauja/auth';
import { TOKEN_VERIFIER } from '../../apps/api/src/auth/bearer.guard';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, startHarness, SUBORDINATE } from '../support/api-harness';
import { approvedApplication, REP_A } from '../support/approved-application';

const MUNICIPALITY_A = '90000000201';
const MUNICIPALITY_B = '90000000202';
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const userCode = (i: number) => `32${String(i).padStart(4, '0')}-${String(i).padStart(5, '0')}`;

describe('the institution registry through the API', () => {
  let h: Harness;
  let adminToken: string;
  let repAToken: string;
  let representativeCode: string;
  const admin = () => bearer(adminToken);

  beforeAll(async () => {
    h = await startHarness();
    adminToken = h.tokens.admin;
    representativeCode = h.representativeChain.personalCode;
    await h.http().post('/institutions').set(admin()).send({ registrationNumber: MINISTRY, officialName: 'Izdomātā ministrija', type: 'ministry', coordinationVariant: 2 }).expect(201);
    await h.http().post('/institutions').set(admin()).send({ registrationNumber: SUBORDINATE, officialName: 'Izdomātā padotības iestāde', type: 'subordinate', resortHead: MINISTRY, coordinationVariant: 1 }).expect(201);
    await h.http().post(`/institutions/${MINISTRY}/representatives`).set(admin()).send({ personalCode: representativeCode }).expect(200);
    for (const reg of [MUNICIPALITY_A, MUNICIPALITY_B]) {
      await h.http().post('/institutions').set(admin()).send({ registrationNumber: reg, officialName: `Izdomātā pašvaldība ${reg.slice(-1)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
    }
    await h.http().post(`/institutions/${MUNICIPALITY_A}/representatives`).set(admin()).send({ personalCode: REP_A }).expect(200);
    repAToken = await mintFor(h, { subject: REP_A, roles: ['representative'], institutions: [MUNICIPALITY_A] });
  });
  afterAll(() => h.close());

  describe('the registry (seed 001)', () => {
    it('shows an institution, its hierarchy, and masks representatives for all but admins', async () => {
      const asAdmin = await h.http().get(`/institutions/${MINISTRY}`).set(admin()).expect(200);
      expect(asAdmin.body).toMatchObject({ registrationNumber: MINISTRY, status: 'active', type: 'ministry', resortHead: MINISTRY, eAddress: `_DEFAULT@${MINISTRY}`, representatives: [representativeCode] });
      const asRep = await h.http().get(`/institutions/${MINISTRY}`).set(bearer(h.tokens.representative)).expect(200);
      expect(asRep.body.representatives[0]).toMatch(/-\*{5}$/);
      const list = await h.http().get('/institutions').set(admin()).expect(200);
      expect(list.body.resorts.find((r: { registrationNumber: string }) => r.registrationNumber === MINISTRY).subordinates).toEqual([
        { registrationNumber: SUBORDINATE, officialName: 'Izdomātā padotības iestāde', type: 'subordinate', status: 'active' },
      ]);
    });

    it('refuses a registry change by anyone but an admin (403 ROLE_REQUIRED) and a broken rule with its code (422)', async () => {
      const res = await h.http().post(`/institutions/${MINISTRY}/suspend`).set(bearer(h.tokens.representative)).send({ reason: 'x' }).expect(403);
      expect(res.body.code).toBe('ROLE_REQUIRED');
      const bad = await h.http().post('/institutions').set(admin()).send({ registrationNumber: '90000000299', officialName: 'X', type: 'subordinate', resortHead: '90000000298', coordinationVariant: 1 }).expect(422);
      expect(bad.body.code).toBe('RESORT_HEAD_UNKNOWN');
      const again = await h.http().post('/institutions').set(admin()).send({ registrationNumber: MINISTRY, officialName: 'X', type: 'ministry', coordinationVariant: 1 }).expect(422);
      expect(again.body.code).toBe('TRANSITION_NOT_ALLOWED');
    });

    it('an update that changes nothing records nothing', async () => {
      const res = await h.http().patch(`/institutions/${MINISTRY}`).set(admin()).send({ officialName: 'Izdomātā ministrija' }).expect(200);
      expect(res.body.recorded).toBe(0);
    });
  });

  describe('the registry over applications', () => {
    it('a representative the registry does not list is refused even with the token (403 NOT_REPRESENTATIVE_IN_REGISTRY)', async () => {
      const res = await h.http().post('/applications').set(bearer(h.tokens.otherRepresentative)).send(draftBody()).expect(403);
      expect(res.body.code).toBe('NOT_REPRESENTATIVE_IN_REGISTRY');
    });

    it('a representative removed in the registry is refused from then on', async () => {
      await h.http().post(`/institutions/${MINISTRY}/representatives`).set(admin()).send({ personalCode: h.otherPersonChain.personalCode }).expect(200);
      const id = (await h.http().post('/applications').set(bearer(h.tokens.otherRepresentative)).send(draftBody()).expect(201)).body.applicationId;
      await h.http().post(`/institutions/${MINISTRY}/representatives/remove`).set(admin()).send({ personalCode: h.otherPersonChain.personalCode, reason: 'Left' }).expect(200);
      const res = await h.http().put(`/applications/${id}/rights`).set(bearer(h.tokens.otherRepresentative)).send(MINISTRY_USER_RIGHTS).expect(403);
      expect(res.body.code).toBe('NOT_REPRESENTATIVE_IN_REGISTRY');
    });

    it('drafting is refused for a suspended institution (422 INSTITUTION_NOT_ACTIVE) and allowed again once reactivated', async () => {
      await h.http().post(`/institutions/${MINISTRY}/suspend`).set(admin()).send({ reason: 'Module access paused' }).expect(200);
      const res = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(422);
      expect(res.body).toMatchObject({ code: 'INSTITUTION_NOT_ACTIVE' });
      expect(res.body.detail).toContain('Module access paused');
      await h.http().post(`/institutions/${MINISTRY}/reactivate`).set(admin()).expect(200);
      await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
    });

    it('the rights rules read the registry: a variant changed there is what they check', async () => {
      await h.http().patch(`/institutions/${SUBORDINATE}`).set(admin()).send({ coordinationVariant: 3 }).expect(200);
      const id = (await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201)).body.applicationId;
      const res = await h.http().put(`/applications/${id}/rights`).set(bearer(h.tokens.representative)).send({ rights: [{ kind: 'institution', institution: SUBORDINATE, groups: ['COORDINATE'] }] }).expect(422);
      expect(res.body.code).toBe('RIGHTS_VARIANT_FORBIDS_COORDINATE');
    });
  });

  describe('a merge (seed 003)', () => {
    it('with 1,000 active users ends exactly those rights, once, each with its cause; A is deactivated and keeps its history', async () => {
      const atA = await Promise.all(Array.from({ length: 1000 }, (_, i) => approvedApplication(h, MUNICIPALITY_A, userCode(i + 1))));
      const draftAtA = await approvedApplication(h, MUNICIPALITY_A, userCode(2001), 'draft');
      const atB = await approvedApplication(h, MUNICIPALITY_B, userCode(3001));

      const res = await h.http().post(`/institutions/${MUNICIPALITY_A}/merge`).set(admin()).send({ into: MUNICIPALITY_B, effectiveDate: today() }).expect(200);
      expect(res.body.rightsEnded.ended.sort()).toEqual([...atA].sort());
      const mergeRevision = res.body.revision;

      const ended = await h.store.readStream(`application-${atA[0]}`);
      const last = ended.found ? ended.events[ended.events.length - 1] : undefined;
      expect(last).toMatchObject({ type: 'ApplicationEnded', data: { cause: 'institution-merged', causeRef: `institution-${MUNICIPALITY_A}@${mergeRevision}` } });
      for (const untouched of [draftAtA, atB]) {
        const stream = await h.store.readStream(`application-${untouched}`);
        expect(stream.found && stream.events.some((e) => e.type === 'ApplicationEnded')).toBe(false);
      }
      // Once: a rerun ends nothing more, and names the same rights as the merge did.
      const rerun = await h.http().post(`/institutions/${MUNICIPALITY_A}/merge/finish`).set(admin()).expect(200);
      expect(rerun.body.rightsEnded.ended.sort()).toEqual([...atA].sort());
      let endedCount = 0;
      for (const id of atA.slice(0, 50)) {
        const s = await h.store.readStream(`application-${id}`);
        endedCount += s.found ? s.events.filter((e) => e.type === 'ApplicationEnded').length : 0;
      }
      expect(endedCount).toBe(50);

      const a = await h.http().get(`/institutions/${MUNICIPALITY_A}`).set(admin()).expect(200);
      expect(a.body).toMatchObject({ status: 'deactivated', mergedInto: MUNICIPALITY_B, officialName: 'Izdomātā pašvaldība 1' });
      const draft = await h.http().post('/applications').set(bearer(repAToken)).send(draftBody({ institution: MUNICIPALITY_A })).expect(422);
      expect(draft.body.code).toBe('INSTITUTION_NOT_ACTIVE');
      const reactivate = await h.http().post(`/institutions/${MUNICIPALITY_A}/reactivate`).set(admin()).expect(422);
      expect(reactivate.body.code).toBe('INSTITUTION_MERGED');
    }, 300_000);
  });

  describe('a re-certification campaign (seed 000)', () => {
    const CAMPAIGN_INSTITUTION = MUNICIPALITY_B;
    const REP_B = '329999-20003';
    let repB: string;
    let holders: string[];
    let campaignId: string;

    beforeAll(async () => {
      await h.http().post(`/institutions/${CAMPAIGN_INSTITUTION}/representatives`).set(admin()).send({ personalCode: REP_B }).expect(200);
      repB = await mintFor(h, { subject: REP_B, roles: ['representative'], institutions: [CAMPAIGN_INSTITUTION] });
      holders = [userCode(4001), userCode(4002), userCode(4003)];
      for (const code of holders) await approvedApplication(h, CAMPAIGN_INSTITUTION, code);
    });

    it('opens for the institution with its current rights holders; a second one at once is refused (409)', async () => {
      const res = await h.http().post('/recertifications').set(admin()).send({ institution: CAMPAIGN_INSTITUTION, deadline: inDays(30) }).expect(201);
      campaignId = res.body.id;
      const view = await h.http().get(`/recertifications/${campaignId}`).set(admin()).expect(200);
      // B also holds the user approved before the merge test: 4 holders in all.
      expect(view.body.progress).toEqual({ holders: 4, confirmed: 0, dropped: 0, pending: 4 });
      // The lock is the institution's own: a second campaign is the domain's refusal, whatever the timing.
      const again = await h.http().post('/recertifications').set(admin()).send({ institution: CAMPAIGN_INSTITUTION, deadline: inDays(30) }).expect(422);
      expect(again.body.code).toBe('CAMPAIGN_ALREADY_OPEN');
    });

    it('while open, every application command is refused with 423 and the reason, the representative\'s too (seed 000: only the campaign\'s work goes on)', async () => {
      const id = await approvedApplication(h, CAMPAIGN_INSTITUTION, userCode(4999), 'draft');
      const commands: [string, string, object | undefined][] = [
        ['post', `/applications/${id}/claim`, undefined],
        ['post', `/applications/${id}/release`, undefined],
        ['post', `/applications/${id}/approve`, undefined],
        ['post', `/applications/${id}/reject`, { reason: 'r' }],
      ];
      for (const [, path, body] of commands) {
        const res = await h.http().post(path).set(bearer(h.tokens.approver)).send(body ?? {}).expect(423);
        expect(res.body).toMatchObject({ code: 'INSTITUTION_LOCKED_FOR_RECERTIFICATION' });
        expect(res.body.detail).toContain(campaignId);
      }
      // The representative is locked out of applications too: no edits, no new drafts, no signing.
      const own = await h.http().patch(`/applications/${id}`).set(bearer(repB)).send({ justification: 'Still needed.' }).expect(423);
      expect(own.body.code).toBe('INSTITUTION_LOCKED_FOR_RECERTIFICATION');
      const draft = await h.http().post('/applications').set(bearer(repB)).send(draftBody({ institution: CAMPAIGN_INSTITUTION })).expect(423);
      expect(draft.body.code).toBe('INSTITUTION_LOCKED_FOR_RECERTIFICATION');
    });

    it('only a representative listed in the registry marks users (403 otherwise)', async () => {
      const res = await h.http().post(`/recertifications/${campaignId}/confirm`).set(bearer(repAToken)).send({ personalCode: holders[0] }).expect(403);
      expect(res.body.code).toBe('NOT_REPRESENTATIVE_OF_INSTITUTION');
    });

    it('confirmed, dropped and forgotten: completing leaves exactly the confirmed rights in force, and lifts the lock', async () => {
      await h.http().post(`/recertifications/${campaignId}/confirm`).set(bearer(repB)).send({ personalCode: holders[0] }).expect(200);
      await h.http().post(`/recertifications/${campaignId}/drop`).set(bearer(repB)).send({ personalCode: holders[1], reason: 'Left' }).expect(200);
      const early = await h.http().post(`/recertifications/${campaignId}/close-at-deadline`).set(admin()).expect(422);
      expect(early.body.code).toBe('CAMPAIGN_DEADLINE_NOT_REACHED');
      const done = await h.http().post(`/recertifications/${campaignId}/complete`).set(bearer(repB)).expect(200);
      expect(done.body.rightsEnded.ended).toHaveLength(3);
      // The institution's representative sees its users' codes (the disclosure rule); the administrator sees them masked.
      const view = await h.http().get(`/recertifications/${campaignId}`).set(bearer(repB)).expect(200);
      expect(view.body.status).toBe('completed');
      expect(view.body.ended.map((e: { personalCode: string }) => e.personalCode).sort()).toEqual([holders[1], holders[2], userCode(3001)].sort());
      const forAdmin = await h.http().get(`/recertifications/${campaignId}`).set(admin()).expect(200);
      expect(forAdmin.body.ended.map((e: { personalCode: string }) => e.personalCode)).toEqual(expect.arrayContaining([`${holders[1].slice(0, 6)}-*****`]));
      // A rerun names the same rights and ends none of them twice.
      const rerun = await h.http().post(`/recertifications/${campaignId}/finish`).set(admin()).expect(200);
      expect(rerun.body.rightsEnded.ended.sort()).toEqual([...done.body.rightsEnded.ended].sort());
      const list = await h.http().get('/institutions').set(admin()).expect(200);
      expect(list.body.openCampaigns).toEqual([]);
    });
  });

  describe('the import', () => {
    it('imports the fixture list, and importing it again appends nothing', async () => {
      const csv = readFileSync(join(__dirname, '..', 'fixtures', 'institutions.csv'), 'utf8');
      const first = await h.http().post('/institutions/import').set(admin()).send({ csv }).expect(200);
      expect(first.body).toMatchObject({ appended: 6, refused: [], problems: [] });
      expect(first.body.registered).toHaveLength(6);
      const second = await h.http().post('/institutions/import').set(admin()).send({ csv }).expect(200);
      expect(second.body).toMatchObject({ appended: 0, registered: [], updated: [] });
      expect(second.body.unchanged).toHaveLength(6);
    });
  });
});

/** A token from the harness's own issuer (its key lives in the harness's data folder). */
function mintFor(h: Harness, principal: Principal): Promise<string> {
  return h.app.get<symbol, LocalTokenIssuer>(TOKEN_VERIFIER, { strict: false }).mint(principal);
}
