import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

describe('drafting a change from the application in force, retried', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());
  const rep = () => bearer(h.tokens.representative);

  it('with the same Idempotency-Key drafts once and answers the first response again', async () => {
    const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(rep()).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(rep()).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(rep()).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);
    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
    await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200);

    const send = () => h.http().post(`/applications/${id}/changes`).set(rep()).set('idempotency-key', 'change-0001-retry').send({ kind: 'change', justification: 'Now only reads.' });
    const first = await send().expect(201);
    const head = await h.store.headPosition();
    const again = await send().expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await h.store.headPosition()).toBe(head);
  });
});
