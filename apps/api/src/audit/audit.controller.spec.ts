/**
 * The auditor's API over HTTP, against the real application (embedded store, test PKI, local
 * tokens): an application walked to approval through the public endpoints, then audited.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../../../../test/support/api-harness';

describe('the auditor API', () => {
  let h: Harness;
  let id: string;
  let archive: string;
  const user = draftBody().user as { personalCode: string };
  // A clock the test moves: one minute per command, so instants name distinct events.
  let now = Date.now() - 30 * 60_000;
  const clock = { now: () => new Date(now) };
  const tick = () => (now += 60_000);

  beforeAll(async () => {
    archive = mkdtempSync(join(tmpdir(), 'atlauja-trust-archive-'));
    h = await startHarness({ clock }, { CRL_ARCHIVE_DIR: archive });
    const as = (token: string) => bearer(token);
    const drafted = await h.http().post('/applications').set(as(h.tokens.representative)).send(draftBody()).expect(201);
    id = drafted.body.applicationId;
    tick();
    await h.http().put(`/applications/${id}/rights`).set(as(h.tokens.representative)).send(MINISTRY_USER_RIGHTS).expect(200);
    tick();
    await h.http().post(`/applications/${id}/submit`).set(as(h.tokens.representative)).expect(200);
    tick();
    const doc = await h.http().get(`/applications/${id}/document`).set(as(h.tokens.representative)).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(as(h.tokens.representative))
      .send({ signature: signDocument(h.representativeChain, doc.body.contentBase64, new Date(now - 10_000)) }).expect(200);
    tick();
    await h.http().post(`/applications/${id}/claim`).set(as(h.tokens.approver)).expect(200);
    tick();
    await h.http().post(`/applications/${id}/approve`).set(as(h.tokens.approver)).expect(200);
  });
  afterAll(async () => {
    await h?.close();
    rmSync(archive, { recursive: true, force: true });
  });

  it('answers who did what, when, unmasked, and that every transition was allowed and the chain is intact', async () => {
    const res = await h.http().get(`/audit/applications/${id}/history`).set(bearer(h.tokens.auditor)).expect(200);
    expect(res.body.who.map((w: { type: string }) => w.type)).toEqual([
      'ApplicationDrafted', 'RightsSet', 'ApplicationSubmitted', 'ApplicationSigned', 'ApplicationClaimed', 'ApplicationApproved',
    ]);
    expect(res.body.who[3]).toMatchObject({ revision: '3', actor: h.representativeChain.personalCode });
    expect(res.body.who[5].actor).toMatch(/^\d{6}-\d{5}$/);
    expect(res.body.events[0].data.user.personalCode).toBe(user.personalCode);
    expect(res.body.events[3].data.evidence).toBeDefined();
    expect(res.body.findings).toEqual([]);
  });

  it('gives the state at a revision and at an instant (the last event at or before it)', async () => {
    const atRevision = await h.http().get(`/audit/applications/${id}/state`).query({ revision: '2' }).set(bearer(h.tokens.auditor)).expect(200);
    expect(atRevision.body).toMatchObject({ status: 'submitted', revision: '2', asOf: { revision: '2' } });

    const history = await h.http().get(`/audit/applications/${id}/history`).set(bearer(h.tokens.auditor)).expect(200);
    const signedAt: string = history.body.who[3].at;
    const justBefore = new Date(Date.parse(signedAt) - 1).toISOString();
    const before = await h.http().get(`/audit/applications/${id}/state`).query({ at: justBefore }).set(bearer(h.tokens.auditor)).expect(200);
    expect(before.body).toMatchObject({ status: 'submitted', asOf: { revision: '2' } });
    const exactly = await h.http().get(`/audit/applications/${id}/state`).query({ at: signedAt }).set(bearer(h.tokens.auditor)).expect(200);
    expect(exactly.body).toMatchObject({ status: 'signed', asOf: { revision: '3', occurredAt: signedAt } });

    await h.http().get(`/audit/applications/${id}/state`).query({ revision: '99' }).set(bearer(h.tokens.auditor)).expect(404);
    await h.http().get(`/audit/applications/${id}/state`).query({ at: '2025-01-01T10:00:00' }).set(bearer(h.tokens.auditor)).expect(400);
    await h.http().get(`/audit/applications/${id}/state`).set(bearer(h.tokens.auditor)).expect(400);
  });

  it('shows each signature with its stored evidence and a fresh re-verification verdict', async () => {
    const res = await h.http().get(`/audit/applications/${id}/signatures`).set(bearer(h.tokens.auditor)).expect(200);
    expect(res.body.signatures).toHaveLength(1);
    const [signature] = res.body.signatures;
    expect(signature).toMatchObject({ revision: '3', signedBy: h.representativeChain.personalCode, reverified: { valid: true, failures: [], crlsMissing: [] } });
    expect(signature.stored.evidence.signatureB64).toEqual(expect.any(String));
    expect(signature.stored.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
  });

  it('archived at start every anchor and CRL the service loaded, by SHA-256', () => {
    expect(readdirSync(join(archive, 'crls')).filter((n) => /^[0-9a-f]{64}\.crl$/.test(n))).toHaveLength(4);
    expect(readdirSync(join(archive, 'anchors'))).toHaveLength(2);
  });

  it("finds a user's applications by the personal code in the body; never in a URL, never in a log line", async () => {
    const res = await h.http().post('/audit/users/history').set(bearer(h.tokens.auditor)).send({ personalCode: user.personalCode.replace('-', '') }).expect(200);
    expect(res.body.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual([id]);
    const nobody = await h.http().post('/audit/users/history').set(bearer(h.tokens.auditor)).send({ personalCode: '010101-10006' }).expect(200);
    expect(nobody.body.applications).toEqual([]);
    await h.http().post('/audit/users/history').set(bearer(h.tokens.auditor)).send({ personalCode: user.personalCode, extra: 1 }).expect(400);
    await h.http().get(`/audit/users/${user.personalCode}/history`).set(bearer(h.tokens.auditor)).expect(404);
    expect(h.logLines.join('\n')).not.toContain(user.personalCode);
    expect(h.logLines.join('\n')).not.toContain(user.personalCode.replace('-', ''));
  });

  it("lists an institution's applications with their histories", async () => {
    const res = await h.http().get(`/audit/institutions/${MINISTRY}/history`).set(bearer(h.tokens.auditor)).expect(200);
    expect(res.body.applications.map((a: { applicationId: string }) => a.applicationId)).toContain(id);
    const none = await h.http().get('/audit/institutions/90000000002/history').set(bearer(h.tokens.auditor)).expect(200);
    expect(none.body.applications).toEqual([]);
  });

  it.each(['representative', 'approver', 'admin'] as const)('refuses a %s: 403', async (role) => {
    for (const path of [`/audit/applications/${id}/history`, `/audit/applications/${id}/signatures`, `/audit/institutions/${MINISTRY}/history`]) {
      const res = await h.http().get(path).set(bearer(h.tokens[role])).expect(403);
      expect(res.body).toMatchObject({ status: 403, code: 'ROLE_REQUIRED' });
    }
    await h.http().post('/audit/users/history').set(bearer(h.tokens[role])).send({ personalCode: user.personalCode }).expect(403);
  });

  it('refuses a caller without a token: 401; an unknown application: 404', async () => {
    await h.http().get(`/audit/applications/${id}/history`).expect(401);
    await h.http().get('/audit/applications/6d1f6f43-4c0a-4c4b-9a59-0b8c1c6a0e11/history').set(bearer(h.tokens.auditor)).expect(404);
    expect(existsSync(archive)).toBe(true);
  });
});
