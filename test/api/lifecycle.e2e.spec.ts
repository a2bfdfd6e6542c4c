import { createHash } from 'node:crypto';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

/** The lifecycle as its users walk it, over HTTP against the real application on the embedded store. */
describe('an application from draft to approved, and its other endings', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());

  async function draftAndSubmit(): Promise<string> {
    const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
    const id = drafted.body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(bearer(h.tokens.representative)).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(bearer(h.tokens.representative)).expect(200);
    return id;
  }

  async function sign(id: string): Promise<void> {
    const doc = await h.http().get(`/applications/${id}/document`).set(bearer(h.tokens.representative)).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative))
      .send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);
  }

  it('draft -> rights -> submit -> document -> sign -> claim -> approve -> revoke', async () => {
    const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
    const id: string = drafted.body.applicationId;
    expect(drafted.headers.location).toBe(`/applications/${id}`);
    expect(drafted.headers.etag).toBe('"0"');
    expect(drafted.body).toMatchObject({ revision: '0' });
    expect(BigInt(drafted.body.position)).toBeGreaterThan(0n);

    const rights = await h.http().put(`/applications/${id}/rights`).set(bearer(h.tokens.representative))
      .send({ rights: [{ kind: 'resort', resort: '90000000001', groups: ['VIEW'] }, { kind: 'institution', institution: '90000000001', groups: ['MANAGE', 'VIEW'] }] })
      .expect(200);
    // VIEW beside MANAGE is redundant: normalized away and reported.
    expect(rights.body.warnings).toEqual([expect.objectContaining({ code: 'RIGHTS_VIEW_REDUNDANT' })]);

    await h.http().post(`/applications/${id}/submit`).set(bearer(h.tokens.representative)).expect(200);

    const doc = await h.http().get(`/applications/${id}/document`).set(bearer(h.tokens.representative)).expect(200);
    const bytes = Buffer.from(doc.body.contentBase64, 'base64');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(doc.body.sha256);
    expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ applicationId: id, revision: '2', content: { kind: 'new-user', institution: '90000000001' } });

    await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative))
      .send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);

    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
    await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200);

    let read = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.representative)).expect(200);
    expect(read.body).toMatchObject({ status: 'approved', signedBy: expect.stringMatching(/-\*{5}$/), documentSha256: doc.body.sha256 });
    expect(read.body.rights).toEqual(expect.arrayContaining([
      { kind: 'institution', institution: '90000000001', groups: ['MANAGE'] },
      { kind: 'resort', resort: '90000000001', groups: ['VIEW'] },
    ]));
    expect(read.body.rights).toHaveLength(2);

    await h.http().post(`/applications/${id}/revoke`).set(bearer(h.tokens.representative)).send({ reason: 'Left the ministry', confirmed: true }).expect(200);
    read = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.representative)).expect(200);
    expect(read.body.status).toBe('revoked');
    expect(read.headers.etag).toBe('"6"'); // seven events: revisions 0 to 6

    const history = await h.http().get(`/applications/${id}/events`).set(bearer(h.tokens.auditor)).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual([
      'ApplicationDrafted', 'RightsSet', 'ApplicationSubmitted', 'ApplicationSigned', 'ApplicationClaimed', 'ApplicationApproved', 'ApplicationRevoked',
    ]);
    const signed = history.body.events[3];
    expect(signed.data.evidence.verdict.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
  });

  it('reject with a reason: the reason is mandatory and kept', async () => {
    const id = await draftAndSubmit();
    await sign(id);
    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
    const missing = await h.http().post(`/applications/${id}/reject`).set(bearer(h.tokens.approver)).send({}).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['reason']));
    expect(missing.body.errors.every((e: { field: string }) => e.field === 'reason')).toBe(true);
    await h.http().post(`/applications/${id}/reject`).set(bearer(h.tokens.approver)).send({ reason: 'The rights do not match the duties.' }).expect(200);
    const read = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.approver)).expect(200);
    expect(read.body).toMatchObject({ status: 'rejected', reason: 'The rights do not match the duties.' });
  });

  it('withdraw a draft, and a submitted application before it is signed', async () => {
    const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
    await h.http().post(`/applications/${drafted.body.applicationId}/withdraw`).set(bearer(h.tokens.representative)).send({}).expect(200);
    const submitted = await draftAndSubmit();
    await h.http().post(`/applications/${submitted}/withdraw`).set(bearer(h.tokens.representative)).send({ reason: 'Drafted for the wrong person' }).expect(200);
    for (const id of [drafted.body.applicationId, submitted]) {
      const read = await h.http().get(`/applications/${id}`).set(bearer(h.tokens.representative)).expect(200);
      expect(read.body.status).toBe('withdrawn');
    }
  });

  it('four eyes: a person who signed the application cannot claim it as an approver', async () => {
    const id = await draftAndSubmit();
    await sign(id);
    const refused = await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.representativeAndApprover)).expect(422);
    expect(refused.body).toMatchObject({ code: 'FOUR_EYES' });
    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
  });
});
