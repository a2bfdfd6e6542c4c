/**
 * The portal's session: local mode's demo sign-in puts the token in an httpOnly, SameSite=Strict
 * cookie that the API accepts like a bearer token; unsafe requests need the session's CSRF header;
 * plain http is allowed only on the loopback address in local mode.
 */
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.close());

function cookieOf(setCookie: string[] | string | undefined, name: string): string | undefined {
  const lines = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return lines.find((l) => l.startsWith(`${name}=`) || l.startsWith(`__Host-${name}=`));
}

async function signIn(person: string, host = '127.0.0.1:3000') {
  const response = await h.http().post('/session/demo').set('host', host).send({ person });
  expect(response.status).toBe(200);
  const line = cookieOf(response.headers['set-cookie'], 'atlauja_session')!;
  return { line, cookie: line.split(';')[0], csrf: response.body.csrfToken as string };
}

describe('demo sign-in (local mode)', () => {
  it('lists the demo people: a representative of the demo ministry, two approvers, an auditor, an administrator', async () => {
    const response = await h.http().get('/session/demo-people');
    expect(response.status).toBe(200);
    const roles = response.body.people.map((p: { roles: string[] }) => p.roles[0]);
    expect(roles).toEqual(['representative', 'approver', 'approver', 'auditor', 'admin']);
    expect(response.body.people[0].institutions).toEqual(['90000000001']);
    expect(JSON.stringify(response.body)).not.toMatch(/\d{6}-\d{5}/);
  });

  it('sets an httpOnly, SameSite=Strict cookie, without Secure only for plain http on the loopback address', async () => {
    const { line } = await signIn('approver-1');
    expect(line).toMatch(/HttpOnly/);
    expect(line).toMatch(/SameSite=Strict/);
    expect(line).toMatch(/Path=\//);
    expect(line).not.toMatch(/Secure/);
    const elsewhere = await signIn('approver-1', 'portal.example.lv');
    expect(elsewhere.line).toMatch(/^__Host-atlauja_session=/);
    expect(elsewhere.line).toMatch(/Secure/);
  });

  it('GET /session tells who is signed in (masked) and the CSRF token; never the token itself', async () => {
    const { cookie, csrf } = await signIn('representative');
    const response = await h.http().get('/session').set('cookie', cookie);
    expect(response.body).toMatchObject({ signedIn: true, mode: 'local', person: { roles: ['representative'], institutions: ['90000000001'], personalCode: '329999-*****' }, csrfToken: csrf });
    expect(JSON.stringify(response.body)).not.toContain(cookie.split('=')[1]);
    expect((await h.http().get('/session')).body).toMatchObject({ signedIn: false, signIn: 'demo' });
  });

  it('the API accepts the cookie as it accepts a bearer token', async () => {
    const { cookie } = await signIn('approver-1');
    expect((await h.http().get('/queue').set('cookie', cookie)).status).toBe(200);
    expect((await h.http().get('/queue')).status).toBe(401);
  });

  it('an unsafe request by cookie without the CSRF header is refused and records nothing; with it, it goes through', async () => {
    const { cookie, csrf } = await signIn('representative');
    const before = (await h.store.readAll(0n, 10_000)).length;
    const refused = await h.http().post('/applications').set('cookie', cookie).send(draftBody({ institution: '90000000001' }));
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CSRF_TOKEN_INVALID');
    const forged = await h.http().post('/applications').set('cookie', cookie).set('x-csrf-token', 'guessed').send(draftBody());
    expect(forged.status).toBe(403);
    expect((await h.store.readAll(0n, 10_000)).length).toBe(before);
    const accepted = await h.http().post('/applications').set('cookie', cookie).set('x-csrf-token', csrf).send(draftBody());
    expect(accepted.status).toBe(201);
  });

  it('a bearer token needs no CSRF header (no browser sends it on its own)', async () => {
    const response = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody({ user: { ...draftBody().user, personalCode: '329999-00031' } }));
    expect(response.status).toBe(201);
  });

  it('sign-in takes JSON only and a known person; sign-out needs the CSRF header and clears the cookie', async () => {
    expect((await h.http().post('/session/demo').set('content-type', 'text/plain').send('person=admin')).status).toBeGreaterThanOrEqual(400);
    const unknown = await h.http().post('/session/demo').send({ person: 'root' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('person');
    const { cookie, csrf } = await signIn('auditor');
    expect((await h.http().post('/session/sign-out').set('cookie', cookie)).status).toBe(403);
    const out = await h.http().post('/session/sign-out').set('cookie', cookie).set('x-csrf-token', csrf);
    expect(out.status).toBe(204);
    expect(cookieOf(out.headers['set-cookie'], 'atlauja_session')).toMatch(/Max-Age=0/);
  });
});

describe("the portal's view of an application", () => {
  it('names the four-eyes conflict before any button: a representative who is also an approver may not claim what they signed', async () => {
    const as = bearer(h.tokens.representativeAndApprover);
    const draft = await h.http().post('/applications').set(as).send(draftBody({ user: { ...draftBody().user, personalCode: '329999-00032' } }));
    expect(draft.status).toBe(201);
    const id = draft.body.applicationId;
    const early = await h.http().get(`/session/applications/${id}`).set(as);
    expect(early.body.actions.submit.code).toBe('RIGHTS_NOT_SET');
    expect(early.body.actions.claim.code).toBe('TRANSITION_NOT_ALLOWED');
    expect((await h.http().put(`/applications/${id}/rights`).set(as).send(MINISTRY_USER_RIGHTS)).status).toBe(200);
    expect((await h.http().post(`/applications/${id}/submit`).set(as)).status).toBe(200);
    const document = await h.http().get(`/applications/${id}/document`).set(as);
    const signed = await h.http().post(`/applications/${id}/signature`).set(as).send({ signature: signDocument(h.representativeChain, document.body.contentBase64) });
    expect(signed.status).toBe(200);

    const own = await h.http().get(`/session/applications/${id}`).set(as);
    expect(own.body.actions.claim.code).toBe('FOUR_EYES');
    expect(own.body.actions.approve.code).toBe('FOUR_EYES');
    // The B-level .p7s is stamped by the harness's TSA, as the Latvian policy requires.
    expect(own.body.signature).toMatchObject({ valid: true, qualified: true, timestamped: true });
    expect(own.body.document.sha256).toBe(document.body.sha256);

    const other = await h.http().get(`/session/applications/${id}`).set(bearer(h.tokens.approver));
    expect(Object.keys(other.body.actions)).toEqual(['claim', 'release', 'approve', 'reject']);
    expect(other.body.actions.claim).toBeNull();
    expect(other.body.actions.approve.code).toBe('CLAIM_NOT_HELD');
    expect(JSON.stringify(other.body.actions)).not.toMatch(/\d{6}-\d{5}/);
  });
});
