import * as net from 'node:net';
import { EventStoreDbEventStore } from '@atlauja/event-store';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, startHarness } from '../support/api-harness';

describe('ETag / If-Match, Idempotency-Key, and the logs', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());
  const rep = () => bearer(h.tokens.representative);
  const events = async (id: string) => {
    const r = await h.store.readStream(`application-${id}`);
    return r.found ? r.events : [];
  };

  it('a read returns the revision as ETag; a command with a stale If-Match is 412 and appends nothing', async () => {
    const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    const read = await h.http().get(`/applications/${id}`).set(rep()).expect(200);
    expect(read.headers.etag).toBe('"0"');
    const first = await h.http().put(`/applications/${id}/rights`).set(rep()).set('if-match', read.headers.etag).send(MINISTRY_USER_RIGHTS).expect(200);
    expect(first.headers.etag).toBe('"1"');
    const stale = await h.http().patch(`/applications/${id}`).set(rep()).set('if-match', '"0"').send({ justification: 'Based on an old read.' }).expect(412);
    expect(stale.body).toMatchObject({ status: 412, code: 'STALE_REVISION' });
    expect(await events(id)).toHaveLength(2);
    await h.http().patch(`/applications/${id}`).set(rep()).set('if-match', 'yesterday').send({ justification: 'x' }).expect(400);
  });

  it('parallel edits from the same revision: exactly one wins, the others get 409 (lost inside the store) or 412', async () => {
    const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => h.http().patch(`/applications/${id}`).set(rep()).set('if-match', '"0"').send({ justification: `Edit number ${i}.` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => [200, 409, 412].includes(s))).toBe(true);
    expect(await events(id)).toHaveLength(2);
  });

  it('a retried draft with the same Idempotency-Key returns the first response and drafts nothing more', async () => {
    const before = await h.store.headPosition();
    const first = await h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0001-anna').send(draftBody()).expect(201);
    const again = await h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0001-anna').send(draftBody()).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(await h.store.headPosition()).toBe(BigInt(first.body.position));
    expect(BigInt(first.body.position)).toBeGreaterThan(before);
  });

  it('two requests with one key at the same moment still draft once', async () => {
    const [a, b] = await Promise.all([
      h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0002-parallel').send(draftBody()),
      h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0002-parallel').send(draftBody()),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.applicationId).toBe(b.body.applicationId);
  });

  it('the same key with another body is 422 and appends nothing', async () => {
    await h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0003-reuse').send(draftBody()).expect(201);
    const head = await h.store.headPosition();
    const res = await h.http().post('/applications').set(rep()).set('idempotency-key', 'draft-0003-reuse').send(draftBody({ justification: 'Another one.' })).expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.store.headPosition()).toBe(head);
  });

  it('the logs hold no personal code and no token', async () => {
    const codes = [draftBody().user.personalCode as string, h.representativeChain.personalCode, h.otherPersonChain.personalCode];
    const log = h.logLines.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(log).not.toContain(code);
      expect(log).not.toContain(code.replace('-', ''));
    }
    for (const token of Object.values(h.tokens)) expect(log).not.toContain(token.split('.')[2]);
  });
});

describe('an event store that does not answer', () => {
  const sockets = new Set<net.Socket>();
  let server: net.Server;
  let h: Harness;

  beforeAll(async () => {
    server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    h = await startHarness({ eventStore: await EventStoreDbEventStore.connect(`esdb://127.0.0.1:${port}?tls=false`, { timeoutMs: 300 }) });
  });
  afterAll(async () => {
    await h.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('commands and reads answer 503 with Retry-After, and /ready says not ready', async () => {
    const draft = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody());
    expect(draft.status).toBe(503);
    expect(draft.headers['retry-after']).toBe('5');
    expect(draft.body).toMatchObject({ status: 503, code: 'STORE_UNAVAILABLE' });
    const ready = await h.http().get('/ready');
    expect(ready.status).toBe(503);
    await h.http().get('/health').expect(200);
  });
});
