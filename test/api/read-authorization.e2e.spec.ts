/**
 * Reads are authorized like commands: a representative reads only what their institution holds,
 * by the registry (not the token alone); a service credential is refused on every route that is a
 * person's (PERSON_REQUIRED); and who sees a personal code unmasked is the one rule of
 * libs/auth/src/disclosure.ts: auditors all, the institution's listed representatives its users,
 * approvers the applications they decide, administrators the representatives they keep, everyone
 * else masked. Over HTTP, against the real application.
 */
import { bearer, CVI, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { approvedApplication } from '../support/approved-application';

const masked = (code: string) => `${code.slice(0, 6)}-*****`;
/** A person the ministry's token names but the registry does not list. */
const IMPOSTOR = oldFormatPersonalCode('111181', 1, 123);
const USER = oldFormatPersonalCode('121288', 1, 555);

describe('reads authorized like commands', () => {
  let h: Harness;
  let tokens: { impostor: string; impostorApprover: string; service: string; portal: string; cviRepresentative: string };
  let decided: string; // approved by h.tokens.approver
  let waiting: string; // signed, in the queue, unclaimed
  let decidedAt: string;

  const rep = () => bearer(h.tokens.representative);
  async function walk(id: string, to: 'signed' | 'approved'): Promise<string> {
    await h.http().put(`/applications/${id}/rights`).set(rep()).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(rep()).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(rep()).expect(200);
    let position = (await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200)).body.position;
    if (to === 'approved') {
      await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
      position = (await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200)).body.position;
    }
    return position;
  }

  beforeAll(async () => {
    h = await startHarness();
    const admin = bearer(h.tokens.admin);
    // Given the registry holds the ministry with one listed representative (the EC chain's holder).
    await h.http().post('/institutions').set(admin).send({ registrationNumber: MINISTRY, officialName: 'Izdomātā ministrija', type: 'ministry', coordinationVariant: 2 }).expect(201);
    await h.http().post(`/institutions/${MINISTRY}/representatives`).set(admin).send({ personalCode: h.representativeChain.personalCode }).expect(200);
    tokens = {
      impostor: await h.mint({ subject: IMPOSTOR, roles: ['representative'], institutions: [MINISTRY] }),
      impostorApprover: await h.mint({ subject: IMPOSTOR, roles: ['representative', 'approver'], institutions: [MINISTRY] }),
      service: await h.mint({ subject: 'budzets', roles: ['representative', 'approver', 'auditor', 'admin'], institutions: [MINISTRY], service: 'budzets' }),
      portal: await h.mint({ subject: 'budzets-portal', roles: [], institutions: [], service: 'budzets-portal' }),
      cviRepresentative: await h.mint({ subject: oldFormatPersonalCode('150385', 1, 418), roles: ['representative'], institutions: [CVI] }),
    };
    decided = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    decidedAt = await walk(decided, 'approved');
    waiting = (await h.http().post('/applications').set(rep()).send(draftBody({ user: { ...draftBody().user, personalCode: oldFormatPersonalCode('010180', 1, 777) } })).expect(201)).body.applicationId;
    await walk(waiting, 'signed');
  }, 120_000);
  afterAll(() => h?.close());

  describe('a representative reads only what the registry says they represent', () => {
    const reads = (id: () => string) => [
      ['GET', () => `/applications/${id()}`],
      ['GET', () => `/applications/${id()}/events`],
      ['GET', () => `/applications/${id()}/document`],
      ['GET', () => `/institutions/${MINISTRY}/applications`],
      ['GET', () => `/institutions/${MINISTRY}`],
      ['POST', () => '/rights/search', { employer: MINISTRY }],
      ['POST', () => `/applications/${id()}/changes`, { kind: 'change', justification: 'Moves to procurement.' }],
    ] as const;

    it('given a token naming the ministry for a person the registry does not list, when they read anything of it, then 403 NOT_REPRESENTATIVE_IN_REGISTRY and no code in the answer', async () => {
      for (const [method, path, body] of reads(() => decided)) {
        const before = await h.store.headPosition();
        const res = await h.http()[method === 'GET' ? 'get' : 'post'](path()).set(bearer(tokens.impostor)).send(body ?? {});
        expect({ path: path(), status: res.status, code: res.body.code }).toEqual({ path: path(), status: 403, code: 'NOT_REPRESENTATIVE_IN_REGISTRY' });
        expect(JSON.stringify(res.body)).not.toMatch(/\d{6}-\d{5}/);
        expect(await h.store.headPosition()).toBe(before);
      }
    });

    it("given the listed representative, when they read, then they see their users' codes unmasked, other people's masked, no evidence", async () => {
      const view = await h.http().get(`/applications/${decided}`).set(rep()).expect(200);
      expect(view.body.user.personalCode).toBe(USER);
      expect(view.body.decidedBy).toMatch(/^\d{6}-\*{5}$/);
      const events = await h.http().get(`/applications/${decided}/events`).set(rep()).expect(200);
      expect(events.body.events[0].data.user.personalCode).toBe(USER);
      expect(events.body.events.map((e: { actor: string }) => e.actor).every((a: string) => /^\d{6}-\*{5}$/.test(a))).toBe(true);
      expect(events.body.events[3].data).toMatchObject({ evidenceKept: true });
      expect(events.body.events[3].data.evidence).toBeUndefined();
      const rights = await h.http().post('/rights/search').set(rep()).send({ employer: MINISTRY, minPosition: decidedAt }).expect(200);
      // One row per scope of the grant, each with the user's code.
      expect([...new Set(rights.body.items.map((i: { user: { personalCode: string } }) => i.user.personalCode))]).toEqual([USER]);
    });

    it('given a person who also holds the approver role, when they read as an approver, then they may, but see the user masked (they neither represent in the registry nor decide it)', async () => {
      const view = await h.http().get(`/applications/${decided}`).set(bearer(tokens.impostorApprover)).expect(200);
      expect(view.body.user.personalCode).toBe(masked(USER));
      const list = await h.http().get(`/institutions/${MINISTRY}/applications`).set(bearer(tokens.impostorApprover));
      expect(list.body.code).toBe('NOT_REPRESENTATIVE_IN_REGISTRY');
    });

    it('given an institution the registry does not hold, then the token alone admits its representative, as for commands', async () => {
      const id = await approvedApplication(h, CVI, oldFormatPersonalCode('020202', 1, 202), 'draft');
      const view = await h.http().get(`/applications/${id}`).set(bearer(tokens.cviRepresentative)).expect(200);
      expect(view.body.user.personalCode).toBe(oldFormatPersonalCode('020202', 1, 202));
      await h.http().get(`/institutions/${CVI}/applications`).set(bearer(tokens.cviRepresentative)).expect(200);
    });

    it('given the representative removed from the registry, then the same token reads nothing more; listed again, it reads again', async () => {
      const admin = bearer(h.tokens.admin);
      await h.http().post(`/institutions/${MINISTRY}/representatives/remove`).set(admin).send({ personalCode: h.representativeChain.personalCode, reason: 'Left the ministry.' }).expect(200);
      try {
        for (const path of [`/applications/${decided}`, `/institutions/${MINISTRY}/applications`]) {
          expect((await h.http().get(path).set(rep()).expect(403)).body.code).toBe('NOT_REPRESENTATIVE_IN_REGISTRY');
        }
      } finally {
        await h.http().post(`/institutions/${MINISTRY}/representatives`).set(admin).send({ personalCode: h.representativeChain.personalCode }).expect(200);
      }
      await h.http().get(`/applications/${decided}`).set(rep()).expect(200);
    });
  });

  describe('who sees a personal code: the one rule', () => {
    it('an approver sees the user of an application they hold the claim on or decided, and masked before they claim it', async () => {
      const before = await h.http().get(`/applications/${waiting}`).set(bearer(h.tokens.approver)).expect(200);
      expect(before.body.user.personalCode).toMatch(/^\d{6}-\*{5}$/);
      await h.http().post(`/applications/${waiting}/claim`).set(bearer(h.tokens.approver)).expect(200);
      try {
        const claimed = await h.http().get(`/applications/${waiting}`).set(bearer(h.tokens.approver)).expect(200);
        expect(claimed.body.user.personalCode).toBe(oldFormatPersonalCode('010180', 1, 777));
        expect((await h.http().get(`/applications/${waiting}`).set(bearer(h.tokens.secondApprover)).expect(200)).body.user.personalCode).toMatch(/\*{5}$/);
      } finally {
        await h.http().post(`/applications/${waiting}/release`).set(bearer(h.tokens.approver)).expect(200);
      }
      expect((await h.http().get(`/applications/${decided}`).set(bearer(h.tokens.approver)).expect(200)).body.user.personalCode).toBe(USER);
      expect((await h.http().get(`/applications/${decided}`).set(bearer(h.tokens.secondApprover)).expect(200)).body.user.personalCode).toBe(masked(USER));
      const rights = await h.http().post('/rights/search').set(bearer(h.tokens.approver)).send({ personalCode: USER }).expect(200);
      expect(rights.body.items[0].user.personalCode).toBe(masked(USER));
    });

    it('an auditor sees every code: users, actors, evidence, the audit log', async () => {
      const view = await h.http().get(`/applications/${decided}`).set(bearer(h.tokens.auditor)).expect(200);
      expect(view.body).toMatchObject({ user: { personalCode: USER }, draftedBy: h.representativeChain.personalCode });
      const events = await h.http().get(`/applications/${decided}/events`).set(bearer(h.tokens.auditor)).expect(200);
      expect(events.body.events[3].data.evidence).toBeDefined();
      const rights = await h.http().post('/rights/search').set(bearer(h.tokens.auditor)).send({ personalCode: USER }).expect(200);
      expect(rights.body.items[0].user.personalCode).toBe(USER);
      const log = await h.http().get('/audit-log').query({ stream: `application-${decided}`, order: 'asc' }).set(bearer(h.tokens.auditor)).expect(200);
      expect(log.body.items[0].actor).toBe(h.representativeChain.personalCode);
    });

    it("an administrator sees the representatives they keep, and users' codes masked", async () => {
      const institution = await h.http().get(`/institutions/${MINISTRY}`).set(bearer(h.tokens.admin)).expect(200);
      expect(institution.body.representatives).toEqual([h.representativeChain.personalCode]);
      const forRepresentative = await h.http().get(`/institutions/${MINISTRY}`).set(rep()).expect(200);
      expect(forRepresentative.body.representatives).toEqual([masked(h.representativeChain.personalCode)]);
      expect((await h.http().get(`/applications/${decided}`).set(bearer(h.tokens.admin)).expect(200)).body.user.personalCode).toBe(masked(USER));
    });

    it('the lists show every user\'s code masked, to every reader of the queue and of an institution\'s applications', async () => {
      const queue = await h.http().get('/queue').set(bearer(h.tokens.auditor)).expect(200);
      const list = await h.http().get(`/institutions/${MINISTRY}/applications`).set(rep()).expect(200);
      for (const item of [...queue.body.items, ...list.body.items]) expect(item.user.personalCode).toMatch(/^\d{6}-\*{5}$/);
    });
  });

  describe('service credentials: refused on every route that is a person\'s', () => {
    /** The routes a service credential calls: each a conscious decision, listed here. */
    const FOR_SERVICES = ['POST /portal/logins', 'POST /e-service/authorizations'];
    const send = (route: string, headers: Record<string, string>) => {
      const [method, url] = route.split(' ');
      const path = url.replace(/:id\b/, decided).replace(/:(reg|regNo|registrationNumber)\b/, MINISTRY);
      const body = method === 'GET' ? {} : { payload: '{}', headers: { ...headers, 'content-type': 'application/json' } };
      return h.app.getHttpAdapter().getInstance().inject({ method: method as 'GET', url: path, headers, ...body });
    };

    it('given a service credential carrying every role, when it calls any route that needs a token, then 403 PERSON_REQUIRED before anything is read or appended', async () => {
      const routes = [...new Set(h.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS').map((r) => `${r.method} ${r.url}`))];
      // The routes that need a token are those that refuse a caller without one; the others (health, docs) are anyone's.
      const guarded: string[] = [];
      for (const route of routes) if ((await send(route, {})).statusCode === 401) guarded.push(route);
      const personal = guarded.filter((r) => !FOR_SERVICES.includes(r));
      expect(personal.length).toBeGreaterThan(40);
      for (const route of personal) {
        const before = await h.store.headPosition();
        const res = await send(route, bearer(tokens.service));
        expect({ route, status: res.statusCode, code: res.json().code }).toEqual({ route, status: 403, code: 'PERSON_REQUIRED' });
        expect(await h.store.headPosition()).toBe(before);
      }
    });

    it('the service routes are exactly those listed, and each refuses a person: SERVICE_CREDENTIAL_REQUIRED', async () => {
      const routes = h.routes.map((r) => `${r.method} ${r.url}`);
      for (const route of FOR_SERVICES) {
        expect(routes).toContain(route);
        const [, url] = route.split(' ');
        const question = url === '/e-service/authorizations' ? { group: 'VIEW', scope: { kind: 'institution', id: MINISTRY } } : {};
        const res = await h.http().post(url).set(bearer(h.tokens.admin)).send({ personalCode: USER, ...question });
        expect(res.body).toMatchObject({ status: 403, code: 'SERVICE_CREDENTIAL_REQUIRED' });
      }
      await h.http().post('/portal/logins').set(bearer(tokens.portal)).send({ personalCode: USER }).expect(202);
    });
  });
});
