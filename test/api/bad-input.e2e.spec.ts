import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';
import { testPki } from '../../libs/signatures/src/testing/test-pki';

/** Bad input gets the right 4xx naming the field and the rule, and the stream is unchanged after. */
describe('bad input', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({}, { BODY_LIMIT_BYTES: '65536' })));
  afterAll(() => h.close());

  const rep = () => bearer(h.tokens.representative);

  async function eventCount(id: string): Promise<number> {
    const result = await h.store.readStream(`application-${id}`);
    return result.found ? result.events.length : 0;
  }

  async function headPosition(): Promise<bigint> {
    return h.store.headPosition();
  }

  async function submitted(): Promise<{ id: string; document: string }> {
    const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(rep()).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(rep()).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(rep()).expect(200);
    return { id, document: doc.body.contentBase64 };
  }

  describe('refused before the domain, nothing appended', () => {
    it.each([
      ['malformed JSON', '{"kind": "new-user",', 400],
      ['a JSON array', '[]', 400],
    ])('%s', async (_case, raw, status) => {
      const before = await headPosition();
      const res = await h.http().post('/applications').set(rep()).set('content-type', 'application/json').send(raw);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await headPosition()).toBe(before);
    });

    it('wrong types and unknown fields: every failing field named', async () => {
      const res = await h.http().post('/applications').set(rep())
        .send({ ...draftBody(), kind: 7, institution: 'ministry', term: { kind: 'forever' }, isAdmin: true, user: { ...draftBody().user, email: 42 } })
        .expect(400);
      const fields = res.body.errors.map((e: { field: string; rule: string }) => `${e.field}:${e.rule}`);
      expect(fields).toEqual(expect.arrayContaining(['kind:isIn', 'institution:matches', 'term.kind:isIn', 'isAdmin:unknownField', 'user.email:isEmail']));
    });

    it('an oversized body: 413', async () => {
      const res = await h.http().post('/applications').set(rep()).send({ ...draftBody(), justification: 'x'.repeat(70_000) });
      expect(res.status).toBe(413);
      expect(res.body.status).toBe(413);
    });

    it('a personal code with the wrong shape: 400 naming user.personalCode, and the code is not echoed', async () => {
      const res = await h.http().post('/applications').set(rep()).send(draftBody({ user: { ...draftBody().user, personalCode: '12-34' } })).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'user.personalCode', rule: 'matches' })]);
      expect(JSON.stringify(res.body)).not.toContain('12-34');
    });
  });

  describe('refused by the domain: 422 with the rule code', () => {
    it('a personal code whose check digit is wrong', async () => {
      const valid = draftBody().user.personalCode as string;
      const wrong = valid.slice(0, -1) + String((Number(valid.slice(-1)) + 1) % 10);
      const before = await headPosition();
      const res = await h.http().post('/applications').set(rep()).send(draftBody({ user: { ...draftBody().user, personalCode: wrong } })).expect(422);
      expect(res.body).toMatchObject({ code: 'PERSONAL_CODE_CHECKSUM', errors: [expect.objectContaining({ field: 'user.personalCode' })] });
      expect(JSON.stringify(res.body)).not.toContain(wrong.slice(7));
      expect(await headPosition()).toBe(before);
    });

    it('a term that ended in the past', async () => {
      const res = await h.http().post('/applications').set(rep()).send(draftBody({ term: { kind: 'until', date: '2020-01-31' } })).expect(422);
      expect(res.body).toMatchObject({ code: 'TERM_IN_PAST', errors: [expect.objectContaining({ field: 'term.date' })] });
    });

    it('impossible rights: COORDINATE_MIN on an institution, a resort scope for a subordinate\'s user', async () => {
      const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
      const before = await eventCount(id);
      const onInstitution = await h.http().put(`/applications/${id}/rights`).set(rep())
        .send({ rights: [{ kind: 'institution', institution: MINISTRY, groups: ['COORDINATE_MIN'] }] }).expect(422);
      expect(onInstitution.body.code).toBe('RIGHTS_COORDINATE_MIN_NOT_ON_RESORT');
      const sub = (await h.http().post('/applications').set(bearer(h.tokens.subordinateRepresentative)).send(draftBody({ institution: '90000000002' })).expect(201)).body.applicationId;
      const resort = await h.http().put(`/applications/${sub}/rights`).set(bearer(h.tokens.subordinateRepresentative))
        .send({ rights: [{ kind: 'resort', resort: MINISTRY, groups: ['VIEW'] }] }).expect(422);
      expect(resort.body.code).toBe('RIGHTS_RESORT_SCOPE_NOT_ALLOWED');
      expect(await eventCount(id)).toBe(before);
    });

    it('editing after submission: the content is frozen', async () => {
      const { id } = await submitted();
      const res = await h.http().patch(`/applications/${id}`).set(rep()).send({ justification: 'changed' }).expect(422);
      expect(res.body.code).toBe('TRANSITION_NOT_ALLOWED');
    });
  });

  describe('signatures that are refused: 422 with every failed check, nothing appended', () => {
    it('signed by another person', async () => {
      const { id, document } = await submitted();
      const before = await eventCount(id);
      const res = await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signDocument(h.otherPersonChain, document) }).expect(422);
      expect(res.body.failures).toContain('SIGNER_MISMATCH');
      expect(await eventCount(id)).toBe(before);
    });

    it('a signature over another application\'s document (an older revision or another id)', async () => {
      const first = await submitted();
      const second = await submitted();
      const res = await h.http().post(`/applications/${second.id}/signature`).set(rep()).send({ signature: signDocument(h.representativeChain, first.document) }).expect(422);
      expect(res.body.failures).toContain('CONTENT_MISMATCH');
    });

    it('a certificate that is not qualified (no QCStatements)', async () => {
      const { id, document } = await submitted();
      const chain = testPki().ec;
      const plain = chain.issueHolder({ qcStatements: undefined });
      const { signDetachedCades } = await import('@atlauja/signatures');
      const signature = signDetachedCades(Buffer.from(document, 'base64'), { key: plain.privateKey, certificate: plain.der, chain: [chain.ica.der], signingTime: new Date() });
      const res = await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signature.toString('base64') }).expect(422);
      expect(res.body.failures).toContain('NOT_QUALIFIED');
    });

    it('garbage, raw or base64, is MALFORMED; a non-base64 field is a 400', async () => {
      const { id } = await submitted();
      const raw = await h.http().post(`/applications/${id}/signature`).set(rep()).set('content-type', 'application/pkcs7-signature').send(Buffer.from('not a signature')).expect(422);
      expect(raw.body.failures).toContain('MALFORMED');
      const notBase64 = await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: '***' }).expect(400);
      expect(notBase64.body.errors).toEqual([expect.objectContaining({ field: 'signature', rule: 'isBase64' })]);
    });
  });
});

describe('malformed requests Fastify refuses before any route', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());
  const inject = (opts: { method: 'GET' | 'POST'; url: string; payload?: string }) =>
    h.app.getHttpAdapter().getInstance().inject({ ...opts, headers: { authorization: `Bearer ${h.tokens.representative}`, 'content-type': 'application/json' } });

  it('a malformed URL and an over-long id are problem+json too', async () => {
    for (const url of ['/applications/%E0%A4%A', `/applications/${'a'.repeat(200)}`]) {
      const res = await inject({ method: 'GET', url });
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });

  it('a body nested 5,000 levels deep is a 400, not a 500', async () => {
    const deep = '{"justification":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    const before = await h.store.headPosition();
    const res = await inject({ method: 'POST', url: '/applications', payload: deep });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await h.store.headPosition()).toBe(before);
  });

  it('a JSON null in an optional filter is that filter not given, never a 500', async () => {
    const auditor = { authorization: `Bearer ${h.tokens.auditor}`, 'content-type': 'application/json' };
    for (const [url, body] of [['/rights/search', { minPosition: null }], ['/audit-log/search', { minPosition: null }], ['/audit-log/search', { actor: null }]] as const) {
      const res = await h.app.getHttpAdapter().getInstance().inject({ method: 'POST', url, headers: auditor, payload: JSON.stringify(body) });
      expect([url, body, res.statusCode]).toEqual([url, body, 200]);
      expect(res.json()).toMatchObject({ items: expect.any(Array) });
    }
  });
});
