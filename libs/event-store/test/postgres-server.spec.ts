/** The postgres adapter on a PostgreSQL server through pg (DATABASE_URL), each file in a schema of its own. */
import { Client } from 'pg';
import { StoreUnavailable, createPgDriver, PostgresEventStore, verifyStream } from '@atlauja/event-store';
import { aStream, describeEventStoreContract, newEvent } from './event-store-contract';
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
