/**
 * Exactly once across a lost reply: the append commits, then the process fails before it answers
 * (here: the store's answer is lost, as when a connection dies after COMMIT). The client retries
 * with the same Idempotency-Key and gets the first response; the stream holds one event. A keyed
 * retry of a submit that succeeded answers as it did, not with a 422 for a second submit; a caller
 * who has since lost access gets 403, not the stored answer.
 */
import { openEmbeddedEventStore, StoreUnavailable, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent, type PostgresEventStore } from '@atlauja/event-store';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, startHarness } from '../support/api-harness';

/** A store whose next append commits and then loses its answer. */
class LostReplyStore implements EventStore {
  loseNextReply = false;
  constructor(private readonly inner: PostgresEventStore) {}

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    const result = await this.inner.append(stream, events, expected);
    if (this.loseNextReply) {
      this.loseNextReply = false;
      throw new StoreUnavailable('the connection died after COMMIT (simulated)');
    }
    return result;
  }
  readStream: EventStore['readStream'] = (...args) => this.inner.readStream(...args);
  readStreams: EventStore['readStreams'] = (...args) => this.inner.readStreams(...args);
  readAll: EventStore['readAll'] = (...args) => this.inner.readAll(...args);
  subscribe: EventStore['subscribe'] = (...args) => this.inner.subscribe(...args);
  headPosition: EventStore['headPosition'] = () => this.inner.headPosition();
  ping: EventStore['ping'] = () => this.inner.ping();
  close: EventStore['close'] = () => this.inner.close();
}

describe('exactly once across a lost reply', () => {
  let h: Harness;
  let store: LostReplyStore;

  beforeAll(async () => {
    const inner = await openEmbeddedEventStore(':memory:');
    store = new LostReplyStore(inner);
    h = await startHarness({ eventStore: store, readModelSql: inner.sql });
  }, 120_000);
  afterAll(() => h.close());

  const rep = () => bearer(h.tokens.representative);

  it('a draft whose reply was lost: the keyed retry gets the first response and the stream holds one event', async () => {
    store.loseNextReply = true;
    const lost = await h.http().post('/applications').set(rep()).set('idempotency-key', 'lost-reply-draft-1').send(draftBody());
    expect(lost.status).toBe(503);
    const retry = await h.http().post('/applications').set(rep()).set('idempotency-key', 'lost-reply-draft-1').send(draftBody()).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const again = await h.http().post('/applications').set(rep()).set('idempotency-key', 'lost-reply-draft-1').send(draftBody()).expect(201);
    expect(again.body).toEqual(retry.body);
    const stream = await h.store.readStream(`application-${retry.body.applicationId}`);
    expect(stream.found && stream.events.map((e) => e.type)).toEqual(['ApplicationDrafted']);
  });

  it('a submit that succeeded, retried with its key, answers as it did (not 422), and records nothing more', async () => {
    const drafted = await h.http().post('/applications').set(rep()).send(draftBody()).expect(201);
    const id = drafted.body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(rep()).send(MINISTRY_USER_RIGHTS).expect(200);
    store.loseNextReply = true;
    await h.http().post(`/applications/${id}/submit`).set(rep()).set('idempotency-key', 'lost-reply-submit').expect(503);
    const retry = await h.http().post(`/applications/${id}/submit`).set(rep()).set('idempotency-key', 'lost-reply-submit').expect(200);
    expect(retry.body.revision).toBe('2');
    const stream = await h.store.readStream(`application-${id}`);
    expect(stream.found && stream.events.map((e) => e.type)).toEqual(['ApplicationDrafted', 'RightsSet', 'ApplicationSubmitted']);
    // Without the key, a second submit is the machine's refusal, as it should be.
    await h.http().post(`/applications/${id}/submit`).set(rep()).expect(422);
  });

  it('the same key with another body is 422; the key is authorized again before a replay', async () => {
    const first = await h.http().post('/applications').set(rep()).set('idempotency-key', 'reauthorized-key').send(draftBody()).expect(201);
    const other = await h.http().post('/applications').set(rep()).set('idempotency-key', 'reauthorized-key').send(draftBody({ justification: 'Another reason.' })).expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // An edit that succeeded, retried by the same person whose token no longer names the institution: refused, not replayed.
    const edit = { justification: 'Still needed for the estimate.' };
    await h.http().patch(`/applications/${first.body.applicationId}`).set(rep()).set('idempotency-key', 'reauthorized-edit').send(edit).expect(200);
    const withoutAccess = await h.mint({ subject: h.representativeChain.personalCode, roles: ['representative'], institutions: [] });
    const replay = await h.http().patch(`/applications/${first.body.applicationId}`).set(bearer(withoutAccess)).set('idempotency-key', 'reauthorized-edit').send(edit).expect(403);
    expect(replay.body.code).toBe('NOT_REPRESENTATIVE_OF_INSTITUTION');
  });
});
