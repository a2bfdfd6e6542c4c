/** The postgres adapter on a PostgreSQL server through pg (DATABASE_URL), each file in a schema of its own. */
import { Client } from 'pg';
import { StoreUnavailable, createPgDriver, PostgresEventStore, verifyStream } from '@atlauja/event-store';
import { sealEvents } from '../src/hash-chain';
import { aStream, conflictOf, describeEventStoreContract, newEvent } from './event-store-contract';
import { DATABASE_URL, describeWhen, postgresSubject, uniqueSchema } from './subjects';
import { describePositionsBeyondDoublePrecision } from './positions-beyond-double';

describeWhen(DATABASE_URL, 'PostgreSQL server suites: DATABASE_URL is unset')('PostgreSQL server', () => {
  const url = DATABASE_URL as string;

  describeEventStoreContract('postgres (pg)', () => postgresSubject(url, { schema: uniqueSchema() }));

  describePositionsBeyondDoublePrecision('postgres (pg)', async () => {
    const subject = await postgresSubject(url, { schema: uniqueSchema() });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    return {
      ...subject,
      sql: async (statement: string) => { await admin.query(statement.replaceAll('event_store.', `${subject.schema}.`)); },
      dispose: async () => { await admin.end(); await subject.dispose(); },
    };
  });

  it('a row changed in the database is caught by verifyStream', async () => {
    const subject = await postgresSubject(url, { schema: uniqueSchema() });
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      const stream = aStream();
      await subject.store.append(stream, [newEvent('Granted', { right: 'read' }), newEvent('Granted', { right: 'write' })], 'no-stream');
      await admin.query(`update ${subject.schema}.events set data = '{"right":"admin"}' where stream = $1 and revision = 1`, [stream]);
      const read = await subject.store.readStream(stream);
      expect(read.found && verifyStream(read.events)).toEqual({ ok: false, failures: [{ revision: 1n, problem: 'hash-mismatch' }] });
    } finally {
      await admin.end();
      await subject.dispose();
    }
  });

  it('a writer that bypasses the append lock is still stopped by the unique (stream, revision) constraint', async () => {
    const subject = await postgresSubject(url, { schema: uniqueSchema() });
    const intruder = new Client({ connectionString: url });
    await intruder.connect();
    try {
      const stream = aStream();
      await subject.store.append(stream, [newEvent('Created')], 'no-stream');
      await intruder.query('begin');
      await intruder.query(
        `insert into ${subject.schema}.events (stream, revision, id, type, data, metadata, prev_hash, hash)
         values ($1, 1, gen_random_uuid(), 'Intruded', '{}', '{}', '', '')`, [stream]);
      // Our append sees revision 0, inserts revision 1 and waits on the intruder's uncommitted row.
      const append = subject.store.append(stream, [newEvent('Edited')], 0n).then(() => undefined, (e: unknown) => e);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await intruder.query('commit');
      expect(await append).toMatchObject({ name: 'WrongExpectedRevision', expected: 0n, actual: 1n });
    } finally {
      await intruder.end();
      await subject.dispose();
    }
  });

  it('an append is one autocommit call: a new stream, or after reading the stream, one statement and no transaction', async () => {
    const statements: string[] = [];
    let transactions = 0;
    const subject = await postgresSubject(url, {
      schema: uniqueSchema(),
      wrapDriver: (driver) => ({
        query: (sql, params) => { statements.push(sql); return driver.query(sql, params); },
        transaction: (work) => { transactions += 1; return driver.transaction(work); },
        close: () => driver.close(),
      }),
    });
    try {
      statements.length = 0;
      transactions = 0;
      const stream = aStream();
      await subject.store.append(stream, [newEvent('Created')], 'no-stream');
      expect(statements).toHaveLength(1);
      const read = await subject.store.readStream(stream);
      await subject.store.append(stream, [newEvent('Edited'), newEvent('Checked')], read.found ? read.events[read.events.length - 1].revision : 'no-stream');
      expect(statements).toHaveLength(3);
      expect(transactions).toBe(0);
    } finally {
      await subject.dispose();
    }
  });

  it("concurrent appends of one process share calls: one goes at once, the others together next; each keeps its own outcome", async () => {
    const statements: string[] = [];
    const subject = await postgresSubject(url, {
      schema: uniqueSchema(),
      wrapDriver: (driver) => ({
        query: (sql, params) => { statements.push(sql); return driver.query(sql, params); },
        transaction: (work) => driver.transaction(work),
        close: () => driver.close(),
      }),
    });
    try {
      const contested = aStream();
      await subject.store.append(contested, [newEvent('Created')], 'no-stream');
      statements.length = 0;
      const outcomes = await Promise.allSettled([
        ...Array.from({ length: 6 }, () => subject.store.append(aStream(), [newEvent('Drafted'), newEvent('Named')], 'no-stream')),
        subject.store.append(contested, [newEvent('Edited')], 0n),
        subject.store.append(contested, [newEvent('EditedToo')], 0n),
      ]);
      expect(statements).toHaveLength(2);
      expect(outcomes.slice(0, 6).every((o) => o.status === 'fulfilled')).toBe(true);
      expect(outcomes.slice(6).filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.slice(6).find((o) => o.status === 'rejected')).toMatchObject({ reason: { name: 'WrongExpectedRevision', expected: 0n, actual: 1n } });
      const positions = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.position] : []));
      expect(new Set(positions).size).toBe(7);
      const read = await subject.store.readStream(contested);
      expect(read.found && verifyStream(read.events)).toEqual({ ok: true });
    } finally {
      await subject.dispose();
    }
  });

  it('a tip another process moved is found under the lock: the chain continues from the true tip, a stale revision is a conflict', async () => {
    const schema = uniqueSchema();
    const mine = await postgresSubject(url, { schema });
    const other = await postgresSubject(url, { schema });
    try {
      const stream = aStream();
      await mine.store.append(stream, [newEvent('Created')], 'no-stream'); // mine now remembers revision 0 as the tip
      await other.store.append(stream, [newEvent('EditedElsewhere')], 0n);
      expect(await conflictOf(mine.store.append(stream, [newEvent('Edited')], 0n))).toMatchObject({ expected: 0n, actual: 1n });
      expect((await mine.store.append(stream, [newEvent('Noted')], 'any')).nextExpectedRevision).toBe(2n);
      await other.store.append(stream, [newEvent('NotedElsewhere')], 2n);
      expect((await mine.store.append(stream, [newEvent('Noted')], 'stream-exists')).nextExpectedRevision).toBe(4n);
      const read = await mine.store.readStream(stream);
      expect(read.found && read.events.map((e) => e.type)).toEqual(['Created', 'EditedElsewhere', 'Noted', 'NotedElsewhere', 'Noted']);
      expect(read.found && verifyStream(read.events)).toEqual({ ok: true });
    } finally {
      await mine.store.close();
      await other.dispose();
    }
  });

  it('opens a database made before the append function existed, and appends to its streams', async () => {
    const schema = uniqueSchema();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      // The schema as earlier versions created it: the table alone.
      await admin.query(`create schema ${schema}`);
      await admin.query(`create table ${schema}.events (
         position bigint generated always as identity primary key, stream text not null, revision bigint not null check (revision >= 0),
         id uuid not null, type text not null, data jsonb not null, metadata jsonb not null, prev_hash text not null, hash text not null,
         recorded_at timestamptz not null default now(), constraint events_stream_revision_key unique (stream, revision))`);
      const stream = aStream();
      const [sealed] = sealedForTest(stream);
      await admin.query(
        `insert into ${schema}.events (stream, revision, id, type, data, metadata, prev_hash, hash) values ($1, 0, $2, $3, $4, $5, $6, $7)`,
        [stream, sealed.id, sealed.type, JSON.stringify(sealed.data), JSON.stringify({ ...sealed.metadata, prevHash: undefined, hash: undefined }), sealed.metadata.prevHash, sealed.metadata.hash]);
      const subject = await postgresSubject(url, { schema });
      try {
        expect((await subject.store.append(stream, [newEvent('Edited')], 0n)).nextExpectedRevision).toBe(1n);
        const read = await subject.store.readStream(stream);
        expect(read.found && verifyStream(read.events)).toEqual({ ok: true });
      } finally {
        await subject.store.close();
      }
      // Opening again (the function exists now) changes nothing.
      const again = await postgresSubject(url, { schema });
      expect((await again.store.append(stream, [newEvent('Checked')], 1n)).nextExpectedRevision).toBe(2n);
      await again.dispose();
    } finally {
      await admin.end();
    }
  });

  /** A log this version created and closed, and a connection beside it to alter it as another version would have. */
  async function onExistingLog(work: (schema: string, admin: Client) => Promise<void>): Promise<void> {
    const schema = uniqueSchema();
    const first = await postgresSubject(url, { schema });
    await first.store.close();
    const admin = new Client({ connectionString: url });
    await admin.connect();
    try {
      await work(schema, admin);
    } finally {
      await admin.end();
    }
  }

  it("replaces another version's append function when it opens, and keeps this version's", async () => {
    await onExistingLog(async (schema, admin) => {
      // As another version of the function would stand: same signature, other body.
      await admin.query(`create or replace function ${schema}.append_batch(p_appends jsonb)
        returns table (append_no integer, outcome text, actual_revision text, actual_hash text, last_position text)
        language plpgsql volatile as $fn$ begin raise exception 'another version'; end $fn$`);
      const upgraded = await postgresSubject(url, { schema });
      expect((await upgraded.store.append(aStream(), [newEvent('Drafted')], 'no-stream')).nextExpectedRevision).toBe(0n);
      await upgraded.store.close();
      const replaced = await admin.query(`select p.xmin::text as version from pg_proc p where p.oid = to_regprocedure('${schema}.append_batch(jsonb)')`);
      // Opening again finds it current and leaves it as it is.
      const again = await postgresSubject(url, { schema });
      expect((await again.store.append(aStream(), [newEvent('Drafted')], 'no-stream')).nextExpectedRevision).toBe(0n);
      const after = await admin.query(`select p.xmin::text as version from pg_proc p where p.oid = to_regprocedure('${schema}.append_batch(jsonb)')`);
      await again.dispose();
      expect(after.rows[0].version).toBe(replaced.rows[0].version);
    });
  });

  it('runs the statements again on a log whose statements were another version\'s (its fingerprint differs)', async () => {
    await onExistingLog(async (schema, admin) => {
      const fingerprint = async () => (await admin.query(`select obj_description(to_regclass('${schema}.events'), 'pg_class') as c`)).rows[0].c as string | null;
      const written = await fingerprint();
      expect(written).toMatch(/^[0-9a-f]{64}$/);
      // As a version before the fingerprint, or one with other statements, left it.
      await admin.query(`comment on table ${schema}.events is 'another version'`);
      const again = await postgresSubject(url, { schema });
      expect((await again.store.append(aStream(), [newEvent('Drafted')], 'no-stream')).nextExpectedRevision).toBe(0n);
      const after = await fingerprint();
      await again.dispose();
      expect(after).toBe(written);
    });
  });

  it('two stores starting at once on a new schema both come up (schema creation is serialized)', async () => {
    const schema = uniqueSchema();
    const [a, b] = await Promise.all([postgresSubject(url, { schema }), postgresSubject(url, { schema })]);
    await a.store.append(aStream(), [newEvent('A')], 'no-stream');
    expect(await b.store.headPosition()).toBe(1n);
    await a.store.close();
    await b.dispose();
  });
});

describe('PostgreSQL server unreachable', () => {
  it('ping and append fail with StoreUnavailable, without the password in the message', async () => {
    // Port 1 on the loopback: nothing listens there, the connection is refused at once.
    const driver = createPgDriver({ connectionString: 'postgres://atlauja:s3cret-pw@127.0.0.1:1/none', connectionTimeoutMs: 1000 });
    const error = await PostgresEventStore.open(driver, { schema: 'event_store', timeoutMs: 1000 }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(String((error as Error).message)).not.toContain('s3cret-pw');
    await driver.close();
  });
});

/** One event sealed as the store seals it (hash chain from genesis), for a row written by hand. */
function sealedForTest(stream: string) {
  return sealEvents(stream, null, [newEvent('Created', { by: 'an earlier version' })]);
}
