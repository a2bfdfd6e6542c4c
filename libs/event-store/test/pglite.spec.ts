/** The postgres adapter on PGlite: the embedded default. */
import { loadEventStoreConfig } from '@atlauja/config';
import * as fs from 'fs';
import * as path from 'path';
import { OpeningEventStore, StoreUnavailable, createEventStore, openEmbeddedEventStore, verifyStream } from '@atlauja/event-store';
import { copyEmbeddedTemplate } from '../src/testing';
import { aStream, describeEventStoreContract, newEvent } from './event-store-contract';
import { describePositionsBeyondDoublePrecision } from './positions-beyond-double';
import { assertPgliteLoadableUnderJest, embeddedSubject } from './subjects';

beforeAll(() => assertPgliteLoadableUnderJest());

describeEventStoreContract('embedded (PGlite)', () => embeddedSubject());

// What the api holds while the store opens behind its listen: handed out before the open, it is the same store.
describeEventStoreContract('embedded (PGlite), handed out while opening', async () => {
  const { dataDir, remove } = await copyEmbeddedTemplate();
  const store = new OpeningEventStore(openEmbeddedEventStore(dataDir, { pollIntervalMs: 20 }));
  return { store, dispose: async () => { await store.close(); remove(); } };
});

describePositionsBeyondDoublePrecision('embedded (PGlite)', async () => {
  const subject = await embeddedSubject();
  // Through the store's own connection: PGlite is one connection, owned by the store.
  return { ...subject, sql: async (statement: string) => { await subject.store.sql.query(statement); } };
});

describe('embedded data directory', () => {
  let dataDir: string;
  let remove: () => void;

  beforeEach(async () => {
    ({ dataDir, remove } = await copyEmbeddedTemplate());
  });
  afterEach(() => remove());

  it('keeps the events across close and reopen', async () => {
    const stream = aStream();
    const first = await openEmbeddedEventStore(dataDir);
    const appended = await first.append(stream, [newEvent('Submitted', { n: 1 }), newEvent('Approved')], 'no-stream');
    await first.close();

    const reopened = await openEmbeddedEventStore(dataDir);
    try {
      const read = await reopened.readStream(stream);
      expect(read.found && read.events.map((e) => [e.revision, e.type])).toEqual([[0n, 'Submitted'], [1n, 'Approved']]);
      expect(read.found && verifyStream(read.events)).toEqual({ ok: true });
      expect(await reopened.headPosition()).toBe(appended.position);
      // The chain continues where it stopped.
      await reopened.append(stream, [newEvent('Signed')], 1n);
      const after = await reopened.readStream(stream);
      expect(after.found && verifyStream(after.events)).toEqual({ ok: true });
    } finally {
      await reopened.close();
    }
  });

  it('is owned by one store at a time: a second opener is refused until the first closes', async () => {
    const owner = await openEmbeddedEventStore(dataDir);
    await expect(openEmbeddedEventStore(dataDir)).rejects.toThrow(StoreUnavailable);
    await owner.close();
    const next = await openEmbeddedEventStore(dataDir);
    await next.close();
  });

  it('takes over the lock left by a process that no longer runs', async () => {
    // pid 2^22 + 1 is above Linux's default pid_max, so no process has it.
    fs.writeFileSync(path.join(dataDir, 'event-store.lock'), String(2 ** 22 + 1));
    const store = await openEmbeddedEventStore(dataDir);
    await store.close();
    expect(fs.existsSync(path.join(dataDir, 'event-store.lock'))).toBe(false);
  });
});

describe('embedded in memory', () => {
  it("EVENT_STORE=embedded with DATA_DIR=':memory:' keeps the log in memory, writing no directory", async () => {
    const store = await createEventStore(loadEventStoreConfig({ EVENT_STORE: 'embedded', DATA_DIR: ':memory:' }));
    try {
      await store.append(aStream(), [newEvent('A')], 'no-stream');
      expect(await store.headPosition()).toBe(1n);
      expect(fs.existsSync(':memory:')).toBe(false);
    } finally {
      await store.close();
    }
  });
});
