/**
 * 200 concurrent commands against one application at the same revision: exactly one succeeds, the
 * others are refused (409: lost inside the store; 412: stale If-Match; 422: a rule saw the winner),
 * and the stream holds exactly the winner's event: no duplicate, no lost event, an unbroken chain.
 * On PGlite, and on PostgreSQL when DATABASE_URL is set.
 */
import { verifyStream } from '@atlauja/event-store';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { bearer, draftBody, MINISTRY_USER_RIGHTS, signDocument } from '../support/api-harness';
import { ReliabilityApp, startApp } from './support/app';
import { secretsIn } from './support/secrets';
import { testStores } from './support/stores';

const CONCURRENT = 200;

describe.each(testStores)('200 concurrent commands at one revision ($name)', (kind) => {
  let h: ReliabilityApp;
  let cleanup: () => Promise<void>;
  const minted: string[] = [];

  beforeAll(async () => {
    const opened = await kind.open();
    cleanup = opened.cleanup;
    h = await startApp(opened.store);
  });
  afterAll(async () => {
    await h?.close();
    await cleanup?.();
  });

  const inject = (method: 'POST' | 'PATCH' | 'PUT' | 'GET', url: string, token: string, payload?: object, headers: Record<string, string> = {}) =>
    h.inject({ method, url, headers: { ...bearer(token), ...headers }, ...(payload ? { payload } : {}) });

  async function streamOf(id: string) {
    const read = await h.store.readStream(`application-${id}`);
    if (!read.found) throw new Error('stream missing');
    return read.events;
  }

  function expectSound(events: Awaited<ReturnType<typeof streamOf>>, length: number) {
    expect(events).toHaveLength(length);
    expect(events.map((e) => e.revision)).toEqual(Array.from({ length }, (_, i) => BigInt(i)));
    expect(new Set(events.map((e) => e.id)).size).toBe(length);
    expect(new Set(events.map((e) => e.position)).size).toBe(length);
    expect(verifyStream(events)).toEqual({ ok: true });
  }

  it('edits with If-Match "0": one 200, every other one refused, two events in the stream', async () => {
    const drafted = await inject('POST', '/applications', h.tokens.representative, draftBody());
    expect(drafted.statusCode).toBe(201);
    const id = drafted.json().applicationId;
    const head = await h.store.headPosition();
    const results = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        inject('PATCH', `/applications/${id}`, h.tokens.representative, { justification: `Concurrent edit number ${i}.` }, { 'if-match': '"0"' })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 412)).toBe(true);
    const events = await streamOf(id);
    expectSound(events, 2);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect(JSON.stringify(events[1].data)).toMatch(/Concurrent edit number \d+\./);
    expect(BigInt(winner.position)).toBe(events[1].position);
    expect(await h.store.headPosition()).toBe(events[1].position);
    expect(events[1].position).toBeGreaterThan(head);
  });

  it('claims by 200 approvers without If-Match: exactly one holds the claim', async () => {
    const id = (await inject('POST', '/applications', h.tokens.representative, draftBody())).json().applicationId;
    expect((await inject('PUT', `/applications/${id}/rights`, h.tokens.representative, MINISTRY_USER_RIGHTS)).statusCode).toBe(200);
    expect((await inject('POST', `/applications/${id}/submit`, h.tokens.representative)).statusCode).toBe(200);
    const doc = (await inject('GET', `/applications/${id}/document`, h.tokens.representative)).json();
    const signed = await inject('POST', `/applications/${id}/signature`, h.tokens.representative, { signature: signDocument(h.chain, doc.contentBase64) });
    expect(signed.statusCode).toBe(200);

    const approvers = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        h.issuer.mint({ subject: oldFormatPersonalCode(i < 100 ? '010170' : '020270', 1, (i % 100) * 10), roles: ['approver'], institutions: [] })),
    );
    minted.push(...approvers);
    const results = await Promise.all(approvers.map((token) => inject('POST', `/applications/${id}/claim`, token)));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409 || s === 422)).toBe(true);
    const events = await streamOf(id);
    expectSound(events, 5);
    expect(events.filter((e) => e.type === 'ApplicationClaimed')).toHaveLength(1);
  });

  it('the logs hold no personal code and no token', () => {
    const codes = [draftBody().user.personalCode as string, ...h.codes];
    expect(secretsIn(h.logLines.join(''), codes, [...Object.values(h.tokens), ...minted])).toEqual([]);
  });
});

