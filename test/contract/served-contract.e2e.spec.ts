import Ajv from 'ajv';
import type { Response } from 'supertest';
import { CODES } from '@atlauja/problems';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { OpenApi, resolve } from './openapi-support';

/**
 * What the document promises, the running API keeps: the bodies of a lifecycle's answers match the
 * documented schemas (success and problem alike), a problem's type resolves in the catalogue the
 * API serves, its instance names the request without leaking it, and If-None-Match gives 304.
 */
describe('the API keeps its documented contract', () => {
  let h: Harness;
  let document: OpenApi;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const validators = new Map<string, ReturnType<Ajv['compile']>>();

  beforeAll(async () => {
    h = await startHarness();
    document = (await h.http().get('/docs-json').expect(200)).body;
  });
  afterAll(() => h.close());

  /** The response's body matches the schema the document gives for this operation, status and media type. */
  function expectConforms(method: string, template: string, res: Response): void {
    const op = document.paths[template]?.[method];
    expect({ operation: `${method} ${template}`, documented: Boolean(op) }).toEqual({ operation: `${method} ${template}`, documented: true });
    const response = resolve(document, op.responses[String(res.status)]);
    expect({ operation: `${method} ${template}`, status: res.status, documented: Boolean(response) }).toEqual({ operation: `${method} ${template}`, status: res.status, documented: true });
    const media = String(res.headers['content-type'] ?? '').split(';')[0];
    const schema = response.content?.[media]?.schema;
    expect({ operation: `${method} ${template}`, status: res.status, media, schema: Boolean(schema) }).toEqual({ operation: `${method} ${template}`, status: res.status, media, schema: true });
    const key = `${method} ${template} ${res.status} ${media}`;
    if (!validators.has(key)) validators.set(key, ajv.compile({ ...schema, components: document.components }));
    const validate = validators.get(key)!;
    const valid = validate(res.body);
    expect({ operation: key, errors: valid ? [] : validate.errors }).toEqual({ operation: key, errors: [] });
  }

  it("a lifecycle's answers match their documented schemas", async () => {
    const rep = bearer(h.tokens.representative);
    const drafted = await h.http().post('/applications').set(rep).send(draftBody()).expect(201);
    expectConforms('post', '/applications', drafted);
    const id: string = drafted.body.applicationId;
    expectConforms('put', '/applications/{id}/rights', await h.http().put(`/applications/${id}/rights`).set(rep).send(MINISTRY_USER_RIGHTS).expect(200));
    expectConforms('post', '/applications/{id}/submit', await h.http().post(`/applications/${id}/submit`).set(rep).expect(200));
    const doc = await h.http().get(`/applications/${id}/document`).set(rep).expect(200);
    expectConforms('get', '/applications/{id}/document', doc);
    const signed = await h.http().post(`/applications/${id}/signature`).set(rep).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);
    expectConforms('post', '/applications/{id}/signature', signed);
    expectConforms('post', '/applications/{id}/claim', await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200));
    expectConforms('get', '/session/applications/{id}', await h.http().get(`/session/applications/${id}`).set(bearer(h.tokens.approver)).expect(200));
    const approved = await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200);
    expectConforms('post', '/applications/{id}/approve', approved);
    const minPosition = approved.body.position;

    expectConforms('get', '/applications/{id}', await h.http().get(`/applications/${id}`).set(rep).expect(200));
    expectConforms('get', '/applications/{id}/events', await h.http().get(`/applications/${id}/events`).set(rep).expect(200));
    expectConforms('get', '/queue', await h.http().get('/queue').query({ minPosition }).set(bearer(h.tokens.approver)).expect(200));
    expectConforms('get', '/institutions/{regNo}/applications', await h.http().get(`/institutions/${MINISTRY}/applications`).query({ minPosition }).set(rep).expect(200));
    expectConforms('post', '/rights/search', await h.http().post('/rights/search').set(rep).send({ employer: MINISTRY, minPosition }).expect(200));
    const auditor = bearer(h.tokens.auditor);
    expectConforms('get', '/audit-log', await h.http().get('/audit-log').query({ minPosition }).set(auditor).expect(200));
    expectConforms('get', '/audit/applications/{id}/history', await h.http().get(`/audit/applications/${id}/history`).set(auditor).expect(200));
    expectConforms('get', '/audit/applications/{id}/state', await h.http().get(`/audit/applications/${id}/state`).query({ revision: '1' }).set(auditor).expect(200));
    expectConforms('get', '/audit/applications/{id}/signatures', await h.http().get(`/audit/applications/${id}/signatures`).set(auditor).expect(200));
    expectConforms('get', '/read-models/status', await h.http().get('/read-models/status').set(auditor).expect(200));
    expectConforms('get', '/session/decisions', await h.http().get('/session/decisions').set(bearer(h.tokens.approver)).expect(200));
    expectConforms('get', '/institutions', await h.http().get('/institutions').set(bearer(h.tokens.admin)).expect(200));
    expectConforms('get', '/health', await h.http().get('/health').expect(200));
    expectConforms('get', '/session', await h.http().get('/session').expect(200));

    // Refusals: each one problem+json of the one schema.
    expectConforms('post', '/applications/{id}/approve', await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(422));
    expectConforms('get', '/applications/{id}', await h.http().get(`/applications/${id}`).expect(401));
    expectConforms('post', '/applications', await h.http().post('/applications').set(rep).send({ ...draftBody(), extra: 1 }).expect(400));
    expectConforms('get', '/applications/{id}', await h.http().get('/applications/not-a-uuid').set(rep).expect(404));
    expectConforms('patch', '/applications/{id}', await h.http().patch(`/applications/${id}`).set(rep).set('if-match', '"0"').send({ justification: 'x' }).expect(412));
  });

  it('a problem names its catalogue entry as its type, which the API serves in Latvian and English', async () => {
    const refused = await h.http().get('/applications/6f1c2a4e-0d1b-4c8e-9a57-2b1f3f4d5e6a').expect(401);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: '/problems/UNAUTHENTICATED', status: 401, instance: '/applications/6f1c2a4e-0d1b-4c8e-9a57-2b1f3f4d5e6a' });
    const entry = await h.http().get(refused.body.type).expect(200);
    expectConforms('get', '/problems/{code}', entry);
    expect(entry.body).toEqual({ code: 'UNAUTHENTICATED', type: '/problems/UNAUTHENTICATED', lv: CODES.UNAUTHENTICATED.lv, en: CODES.UNAUTHENTICATED.en });

    // A domain refusal's type is its own code's entry.
    const invalid = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody({ user: { ...draftBody().user, email: 'not-an-email' } }));
    expect(invalid.status).toBeGreaterThanOrEqual(400);
    expect((await h.http().get(invalid.body.type).expect(200)).body.code).toBe(invalid.body.code ?? invalid.body.type.replace('/problems/', ''));

    const list = await h.http().get('/problems').expect(200);
    expectConforms('get', '/problems', list);
    expect(list.body.items.map((i: { code: string }) => i.code).sort()).toEqual(Object.keys(CODES).sort());
    expect(list.body.items.find((i: { code: string }) => i.code === 'FOUR_EYES')).toEqual({ code: 'FOUR_EYES', type: '/problems/FOUR_EYES', lv: CODES.FOUR_EYES.lv, en: CODES.FOUR_EYES.en });

    const unknown = await h.http().get('/problems/NO_SUCH_CODE').expect(404);
    expectConforms('get', '/problems/{code}', unknown);
    expect(unknown.body).toMatchObject({ type: '/problems/NOT_FOUND', instance: '/problems/NO_SUCH_CODE' });
  });

  it("a problem's instance is the path without its query, never a personal code or a token", async () => {
    const withQuery = await h.http().get('/audit/applications/6f1c2a4e-0d1b-4c8e-9a57-2b1f3f4d5e6a/state?at=nonsense&secret=1').expect(401);
    expect(withQuery.body.instance).toBe('/audit/applications/6f1c2a4e-0d1b-4c8e-9a57-2b1f3f4d5e6a/state');
    const personal = await h.http().get('/applications/121288-15555').set(bearer(h.tokens.representative)).expect(404);
    expect(personal.body.instance).toBe(`urn:atlauja:request:${personal.body.correlationId}`);
    expect(JSON.stringify(personal.body)).not.toContain('121288');
    const token = await h.http().get(`/x/${h.tokens.representative}`).expect(404);
    expect(JSON.stringify(token.body)).not.toContain(h.tokens.representative.slice(0, 40));
    expect(token.body.instance).toMatch(/^urn:atlauja:request:/);
  });

  it('If-None-Match with the current ETag answers 304 with no body; a stale one the read', async () => {
    const rep = bearer(h.tokens.representative);
    const drafted = await h.http().post('/applications').set(rep).send(draftBody({ user: { ...draftBody().user, personalCode: oldFormatPersonalCode('010190', 1, 234) } }));
    expect(drafted.body).toMatchObject({ revision: '0' });
    const id = drafted.body.applicationId;
    const read = await h.http().get(`/applications/${id}`).set(rep).expect(200);
    expect(read.headers.etag).toBe('"0"');
    const same = await h.http().get(`/applications/${id}`).set(rep).set('if-none-match', read.headers.etag).expect(304);
    expect(same.text ?? '').toBe('');
    expect(same.headers.etag).toBe('"0"');
    await h.http().get(`/applications/${id}`).set(rep).set('if-none-match', 'W/"0", "7"').expect(304);
    await h.http().put(`/applications/${id}/rights`).set(rep).send(MINISTRY_USER_RIGHTS).expect(200);
    const changed = await h.http().get(`/applications/${id}`).set(rep).set('if-none-match', read.headers.etag).expect(200);
    expect(changed.headers.etag).toBe('"1"');
    expect(changed.body.id).toBe(id);

    // Another's If-None-Match never passes the read's authorization: 403 before any 304.
    await h.http().get(`/applications/${id}`).set(bearer(h.tokens.subordinateRepresentative)).set('if-none-match', '*').expect(403);

    const admin = bearer(h.tokens.admin);
    const reg = '90000000009';
    expectConforms('post', '/institutions', await h.http().post('/institutions').set(admin).send({ registrationNumber: reg, officialName: 'Izdomātā ministrija', type: 'ministry', coordinationVariant: 2 }).expect(201));
    const registry = await h.http().get(`/institutions/${reg}`).set(admin).expect(200);
    expectConforms('get', '/institutions/{reg}', registry);
    expect(registry.headers.etag).toBe('"0"');
    await h.http().get(`/institutions/${reg}`).set(admin).set('if-none-match', registry.headers.etag).expect(304);
    await h.http().post(`/institutions/${reg}/suspend`).set(admin).send({ reason: 'Pārbaude' }).expect(200);
    expect((await h.http().get(`/institutions/${reg}`).set(admin).set('if-none-match', registry.headers.etag).expect(200)).headers.etag).toBe('"1"');
  });
});
