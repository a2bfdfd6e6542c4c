/**
 * The one contract every EventStore adapter keeps. Each adapter's spec calls
 * describeEventStoreContract with a way to open a fresh, empty store.
 * Tests share one store per adapter and use their own streams; positions are taken relative to the
 * head at the start of a test, so they do not depend on each other.
 */
import { randomUUID } from 'crypto';
import {
  GENESIS_HASH, WrongExpectedRevision, verifyStream,
  type EventStore, type ExpectedRevision, type NewEvent, type RecordedEvent,
} from '@atlauja/event-store';

export interface ContractSubject {
  store: EventStore;
  /** Closes the store and removes what it created (schema, directory). */
  dispose(): Promise<void>;
}

export function newEvent(type: string, data: unknown = {}, actor = 'user:contract'): NewEvent {
  return { type, data, metadata: { actor, correlationId: randomUUID(), occurredAt: '2025-01-02T03:04:05.000Z', schemaVersion: 1 } };
}

export function aStream(prefix = 'contract'): string {
  return `${prefix}-${randomUUID()}`;
}

/** The rejection of `promise`, asserting it is a WrongExpectedRevision. */
export async function conflictOf(promise: Promise<unknown>): Promise<WrongExpectedRevision> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  return error as WrongExpectedRevision;
}

export async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Runs a subscription in the background, collecting what it yields until stopped. */
export function follow(store: EventStore, fromPosition: bigint): { received: RecordedEvent[]; stop(): Promise<void> } {
  const controller = new AbortController();
  const received: RecordedEvent[] = [];
  const done = (async () => {
    for await (const event of store.subscribe(fromPosition, { signal: controller.signal })) received.push(event);
  })();
  return { received, stop: async () => { controller.abort(); await done; } };
}

export function describeEventStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    async function streamEvents(stream: string): Promise<RecordedEvent[]> {
      const result = await store.readStream(stream);
      if (!result.found) throw new Error(`stream ${stream} not found`);
      return result.events;
    }

    describe('expected revision', () => {
      it('no-stream: creates a stream and records the envelope', async () => {
        const stream = aStream();
        const event = newEvent('ApplicationSubmitted', { applicant: 'Anna Bērziņa', rights: ['read'], nested: { n: 1.5, ok: true, none: null } });
        const id = randomUUID();
        const result = await store.append(stream, [{ ...event, id }], 'no-stream');
        expect(result.nextExpectedRevision).toBe(0n);
        expect(typeof result.position).toBe('bigint');
        expect(result.position).toBeGreaterThan(0n);
        const [recorded] = await streamEvents(stream);
        expect(recorded).toMatchObject({ id, stream, revision: 0n, position: result.position, type: 'ApplicationSubmitted', data: event.data });
        expect(recorded.metadata).toMatchObject({ ...event.metadata, prevHash: GENESIS_HASH });
        expect(recorded.metadata.hash).toMatch(/^[0-9a-f]{64}$/);
      });

      it('no-stream: refuses an existing stream, reporting its revision', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('A'), newEvent('B')], 'no-stream');
        const conflict = await conflictOf(store.append(stream, [newEvent('C')], 'no-stream'));
        expect(conflict).toMatchObject({ stream, expected: 'no-stream', actual: 1n });
        expect(await streamEvents(stream)).toHaveLength(2);
      });

      it('revision: appends after exactly that revision', async () => {
        const stream = aStream();
        const first = await store.append(stream, [newEvent('A')], 'no-stream');
        const second = await store.append(stream, [newEvent('B'), newEvent('C')], first.nextExpectedRevision);
        expect(second.nextExpectedRevision).toBe(2n);
        expect((await streamEvents(stream)).map((e) => [e.revision, e.type])).toEqual([[0n, 'A'], [1n, 'B'], [2n, 'C']]);
      });

      it('revision: refuses a stale, a future, or a missing stream, reporting the actual revision', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('A'), newEvent('B')], 'no-stream');
        expect(await conflictOf(store.append(stream, [newEvent('X')], 0n))).toMatchObject({ stream, expected: 0n, actual: 1n });
        expect(await conflictOf(store.append(stream, [newEvent('X')], 5n))).toMatchObject({ expected: 5n, actual: 1n });
        const missing = aStream();
        expect(await conflictOf(store.append(missing, [newEvent('X')], 0n))).toMatchObject({ stream: missing, expected: 0n, actual: 'no-stream' });
        expect(await store.readStream(missing)).toEqual({ found: false });
        expect(await streamEvents(stream)).toHaveLength(2);
      });

      it('stream-exists: appends to an existing stream, refuses a missing one', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('A')], 'no-stream');
        expect((await store.append(stream, [newEvent('B')], 'stream-exists')).nextExpectedRevision).toBe(1n);
        const missing = aStream();
        expect(await conflictOf(store.append(missing, [newEvent('A')], 'stream-exists'))).toMatchObject({ expected: 'stream-exists', actual: 'no-stream' });
        expect(await store.readStream(missing)).toEqual({ found: false });
      });

      it('any: creates a missing stream and appends to an existing one', async () => {
        const stream = aStream();
        expect((await store.append(stream, [newEvent('A')], 'any')).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream, [newEvent('B')], 'any')).nextExpectedRevision).toBe(1n);
      });

      it('refuses malformed input before writing anything', async () => {
        const stream = aStream();
        await expect(store.append(stream, [], 'any')).rejects.toThrow(TypeError);
        await expect(store.append(stream, [newEvent('A')], -1n as ExpectedRevision)).rejects.toThrow(TypeError);
        await expect(store.append(stream, [{ type: 'A', data: {} } as unknown as NewEvent], 'any')).rejects.toThrow(TypeError);
        expect(await store.readStream(stream)).toEqual({ found: false });
      });
    });

    describe('concurrency', () => {
      it('exactly one of concurrent appends at the same revision wins; the others learn the new revision', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('Created')], 'no-stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.append(stream, [newEvent('Edited', { i })], 0n)));
        const winners = outcomes.filter((o) => o.status === 'fulfilled');
        expect(winners).toHaveLength(1);
        for (const o of outcomes) {
          if (o.status === 'rejected') expect(o.reason).toMatchObject({ name: 'WrongExpectedRevision', expected: 0n, actual: 1n });
        }
        const events = await streamEvents(stream);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n]);
        expect(verifyStream(events)).toEqual({ ok: true });
      });

      it('exactly one of concurrent creations of a stream wins', async () => {
        const stream = aStream();
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => store.append(stream, [newEvent('Created'), newEvent('Named')], 'no-stream')));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await streamEvents(stream)).toHaveLength(2);
      });

      it("concurrent 'any' appends all succeed, one revision each, and the chain holds", async () => {
        const stream = aStream();
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(stream, [newEvent('Noted', { i })], 'any')));
        expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => Number(a - b))).toEqual([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
        expect(verifyStream(await streamEvents(stream))).toEqual({ ok: true });
      });

      it("concurrent 'stream-exists' appends all succeed on an existing stream, and the chain holds", async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('Created')], 'no-stream');
        const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.append(stream, [newEvent('Noted', { i })], 'stream-exists')));
        expect(results.map((r) => r.nextExpectedRevision).sort((a, b) => Number(a - b))).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
        expect(verifyStream(await streamEvents(stream))).toEqual({ ok: true });
      });

      it('of concurrent appends at the same revision exactly one wins; the others report the new revision', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('Created')], 'no-stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.append(stream, [newEvent('Edited', { i }), newEvent('Checked')], 0n)));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ name: 'WrongExpectedRevision', expected: 0n, actual: 2n });
        const events = await streamEvents(stream);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(verifyStream(events)).toEqual({ ok: true });
      });
    });

    describe('metadata', () => {
      it("keeps every member of an event's metadata, the idempotency record included, and hashes it", async () => {
        const stream = aStream();
        const base = newEvent('ApplicationDrafted', { n: 1 });
        const metadata = { ...base.metadata, idempotencyKey: 'key-7f3a', requestFingerprint: 'sha256:9c1e', causationId: 'cmd-1' };
        await store.append(stream, [{ ...base, metadata }, newEvent('RightsSet')], 'no-stream');
        const [first, second] = await streamEvents(stream);
        const { prevHash, hash, eventId, ...stored } = first.metadata;
        expect(stored).toEqual(metadata);
        // The id is inside the hashed metadata too, so the chain covers it.
        expect(eventId).toBe(first.id);
        expect([prevHash, hash]).toEqual([GENESIS_HASH, second.metadata.prevHash]);
        expect(second.metadata).not.toHaveProperty('idempotencyKey');
        expect(verifyStream([first, second])).toEqual({ ok: true });
        const forged = { ...first, metadata: { ...first.metadata, idempotencyKey: 'key-other' } };
        expect(verifyStream([forged, second])).toEqual({ ok: false, failures: [{ revision: 0n, problem: 'hash-mismatch' }] });
      });

      it('the chain is the store\'s: a prevHash or hash given in the metadata is replaced', async () => {
        const stream = aStream();
        const base = newEvent('A');
        await store.append(stream, [{ ...base, metadata: { ...base.metadata, prevHash: 'f'.repeat(64), hash: 'e'.repeat(64) } as NewEvent['metadata'] }], 'no-stream');
        const events = await streamEvents(stream);
        expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
        expect(verifyStream(events)).toEqual({ ok: true });
      });
    });

    describe('reading a stream', () => {
      it('a missing stream is an explicit result', async () => {
        expect(await store.readStream(aStream('never-written'))).toEqual({ found: false });
      });

      it('reads from a revision, at most maxCount events; past the end is found and empty', async () => {
        const stream = aStream();
        await store.append(stream, ['A', 'B', 'C', 'D'].map((t) => newEvent(t)), 'no-stream');
        const slice = await store.readStream(stream, { fromRevision: 1n, maxCount: 2 });
        expect(slice.found && slice.events.map((e) => e.type)).toEqual(['B', 'C']);
        expect(await store.readStream(stream, { fromRevision: 9n })).toEqual({ found: true, events: [] });
      });

      it('reads several streams in one call: each whole and in revision order, a missing one empty; an append after it chains on', async () => {
        const [a, b, missing] = [aStream('several-a'), aStream('several-b'), aStream('several-missing')];
        let expected: ExpectedRevision = 'no-stream';
        for (let i = 0; i < 11; i += 1) expected = (await store.append(a, [newEvent('Step', { i })], expected)).nextExpectedRevision;
        await store.append(b, [newEvent('Only')], 'no-stream');
        const read = await store.readStreams([b, missing, a]);
        expect([...read.keys()].sort()).toEqual([a, b, missing].sort());
        expect(read.get(a)!.map((e) => e.revision)).toEqual([...Array(11).keys()].map(BigInt));
        expect(read.get(b)!.map((e) => e.type)).toEqual(['Only']);
        expect(read.get(missing)).toEqual([]);
        expect(read.get(a)).toEqual(await streamEvents(a));
        await store.append(a, [newEvent('After')], 10n);
        expect(verifyStream(await streamEvents(a))).toEqual({ ok: true });
        expect((await store.readStreams([])).size).toBe(0);
      });

      it('reads a long stream in revision order and appends after its true last revision', async () => {
        // 12 events: beyond 10, ordering revisions as text instead of numbers would put 10 before 2.
        const stream = aStream();
        let expected: ExpectedRevision = 'no-stream';
        for (let i = 0; i < 12; i += 1) expected = (await store.append(stream, [newEvent('Step', { i })], expected)).nextExpectedRevision;
        expect(expected).toBe(11n);
        const events = await streamEvents(stream);
        expect(events.map((e) => (e.data as { i: number }).i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(verifyStream(events)).toEqual({ ok: true });
        const page = await store.readStream(stream, { fromRevision: 9n, maxCount: 2 });
        expect(page.found && page.events.map((e) => e.revision)).toEqual([9n, 10n]);
      });

      it('a multi-event append is atomic: all its events, or none when it is refused', async () => {
        const stream = aStream();
        const head = await store.headPosition();
        const result = await store.append(stream, [newEvent('A'), newEvent('B'), newEvent('C')], 'no-stream');
        const events = await streamEvents(stream);
        expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(events[2].position).toBe(result.position);
        expect(events[0].position).toBeLessThan(events[1].position);
        expect(events[1].position).toBeLessThan(events[2].position);
        await conflictOf(store.append(stream, [newEvent('D'), newEvent('E')], 1n));
        expect(await streamEvents(stream)).toHaveLength(3);
        expect(await store.readAll(head, 100)).toHaveLength(3);
      });
    });

    describe('the global log', () => {
      it('readAll returns events after a position, in append order, page by page; positions are bigint', async () => {
        const head = await store.headPosition();
        const [a, b] = [aStream('a'), aStream('b')];
        await store.append(a, [newEvent('A1'), newEvent('A2')], 'no-stream');
        await store.append(b, [newEvent('B1')], 'no-stream');
        const last = await store.append(a, [newEvent('A3')], 1n);
        const firstPage = await store.readAll(head, 3);
        expect(firstPage.map((e) => e.type)).toEqual(['A1', 'A2', 'B1']);
        const secondPage = await store.readAll(firstPage[2].position, 3);
        expect(secondPage.map((e) => e.type)).toEqual(['A3']);
        expect(secondPage[0].position).toBe(last.position);
        const all = [...firstPage, ...secondPage];
        for (const event of all) expect(typeof event.position).toBe('bigint');
        for (let i = 1; i < all.length; i += 1) expect(all[i].position).toBeGreaterThan(all[i - 1].position);
        expect(await store.headPosition()).toBe(last.position);
        expect(await store.readAll(last.position, 10)).toEqual([]);
      });

      it('readAll(0n) starts at the first event', async () => {
        const [first] = await store.readAll(0n, 1);
        expect(first.position).toBeGreaterThan(0n);
        expect(await store.readAll(0n, 5)).toEqual(await store.readAll(first.position - 1n, 5));
      });

      it('a subscriber started mid-way gets every later event exactly once, in order, also those appended after it caught up', async () => {
        const stream = aStream();
        await store.append(stream, [newEvent('Before1'), newEvent('Before2')], 'no-stream');
        const from = await store.headPosition();
        await store.append(stream, [newEvent('Backlog1'), newEvent('Backlog2'), newEvent('Backlog3')], 1n);
        const subscriber = follow(store, from);
        try {
          await eventually(() => subscriber.received.length >= 3, 'the backlog');
          const other = aStream();
          await store.append(other, [newEvent('Live1')], 'no-stream');
          await store.append(stream, [newEvent('Live2'), newEvent('Live3')], 4n);
          await eventually(() => subscriber.received.length >= 6, 'the live events');
          await new Promise((resolve) => setTimeout(resolve, 300)); // time for a duplicate to show up
        } finally {
          await subscriber.stop();
        }
        expect(subscriber.received.map((e) => e.type)).toEqual(['Backlog1', 'Backlog2', 'Backlog3', 'Live1', 'Live2', 'Live3']);
        expect(subscriber.received).toEqual(await store.readAll(from, 100));
      });

      it('subscribe(0n) delivers the whole log; aborting ends the iteration', async () => {
        const head = await store.headPosition();
        const subscriber = follow(store, 0n);
        await eventually(() => subscriber.received.length > 0 && subscriber.received[subscriber.received.length - 1].position >= head, 'the whole log');
        await subscriber.stop(); // resolves: the for-await ended without an error
        expect(subscriber.received.map((e) => e.position)).toEqual((await store.readAll(0n, 100_000)).map((e) => e.position).filter((p) => p <= subscriber.received[subscriber.received.length - 1].position));
      });
    });

    describe('the hash chain', () => {
      let events: RecordedEvent[];

      beforeAll(async () => {
        const stream = aStream('chain');
        await store.append(stream, [newEvent('Submitted', { text: 'apply for access' })], 'no-stream');
        await store.append(stream, [newEvent('Reviewed', { verdict: 'ok' }), newEvent('Approved', { until: '2026-01-01' })], 0n);
        await store.append(stream, [newEvent('Signed', { by: 'notary' })], 2n);
        events = await streamEvents(stream);
      });

      const tampered = (change: (copy: RecordedEvent[]) => RecordedEvent[] | void): RecordedEvent[] => {
        const copy = events.map((e) => ({ ...e, data: structuredClone(e.data), metadata: { ...e.metadata } }));
        return change(copy) ?? copy;
      };

      it('verifies as stored, chaining each event to the previous one from the genesis hash', () => {
        expect(verifyStream(events)).toEqual({ ok: true });
        expect(events[0].metadata.prevHash).toBe(GENESIS_HASH);
        for (let i = 1; i < events.length; i += 1) expect(events[i].metadata.prevHash).toBe(events[i - 1].metadata.hash);
      });

      it('detects a changed byte in data, metadata or type', () => {
        const inData = tampered((c) => { (c[1].data as { verdict: string }).verdict = 'ok!'; });
        expect(verifyStream(inData)).toEqual({ ok: false, failures: [{ revision: 1n, problem: 'hash-mismatch' }] });
        const inMetadata = tampered((c) => { c[2].metadata.actor = 'user:contracT'; });
        expect(verifyStream(inMetadata)).toEqual({ ok: false, failures: [{ revision: 2n, problem: 'hash-mismatch' }] });
        const inType = tampered((c) => { c[0].type = 'Submitteb'; });
        expect(verifyStream(inType)).toEqual({ ok: false, failures: [{ revision: 0n, problem: 'hash-mismatch' }] });
      });

      it('detects a removed event', () => {
        const result = verifyStream(tampered((c) => c.filter((e) => e.revision !== 1n)));
        expect(result).toEqual({ ok: false, failures: [{ revision: 2n, problem: 'revision-gap' }, { revision: 2n, problem: 'chain-broken' }] });
      });

      it('detects two swapped events', () => {
        const result = verifyStream(tampered((c) => [c[0], c[2], c[1], c[3]]));
        expect(result.ok).toBe(false);
        expect(result.ok === false && result.failures).toEqual(expect.arrayContaining([
          { revision: 2n, problem: 'revision-gap' }, { revision: 2n, problem: 'chain-broken' },
          { revision: 1n, problem: 'revision-gap' }, { revision: 1n, problem: 'chain-broken' },
        ]));
      });
    });
  });
}
