/** The embedded driver across its thread: what callers see of rows, errors, transactions and a dead thread. */
import * as path from 'path';
import type { Worker } from 'node:worker_threads';
import { StoreUnavailable } from '../errors';
import { copyEmbeddedTemplate } from '../testing';
import { EMBEDDED_SUBDIR } from './embedded';
import { openPgliteDriver } from './pglite-driver';
import { sqlState, violatedConstraint, type SqlDriver } from './sql-driver';

async function openCopy(timeoutMs?: number): Promise<{ driver: SqlDriver; dispose: () => Promise<void> }> {
  const { dataDir, remove } = await copyEmbeddedTemplate();
  const driver = await openPgliteDriver(path.join(dataDir, EMBEDDED_SUBDIR), { timeoutMs });
  return { driver, dispose: async () => { await driver.close(); remove(); } };
}

describe('the embedded driver (PGlite in its own thread)', () => {
  let driver: SqlDriver;
  let dispose: () => Promise<void>;

  beforeAll(async () => {
    ({ driver, dispose } = await openCopy());
    await driver.query('create table things (key text primary key, n bigint, at timestamptz, doc jsonb)');
  });
  afterAll(() => dispose());

  it('returns rows with the values PGlite gives: numbers, dates, parsed JSON, bytes', async () => {
    const [row] = await driver.query<Record<string, unknown>>(
      `select 9007199254740993::bigint::text as big, 5::int as small, '2026-01-02T03:04:05Z'::timestamptz as at, $1::jsonb as doc, '\\x01ff'::bytea as bytes`,
      ['{"a":[1,2]}'],
    );
    expect(row.big).toBe('9007199254740993');
    expect(row.small).toBe(5);
    // A Date of Node's realm, not of jest's sandbox: the rows are rebuilt outside it.
    expect(Object.prototype.toString.call(row.at)).toBe('[object Date]');
    expect((row.at as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(row.doc).toEqual({ a: [1, 2] });
    expect(Array.from(row.bytes as Uint8Array)).toEqual([1, 255]);
  });

  it('reports a PostgreSQL error with its code, constraint and detail', async () => {
    await driver.query(`insert into things (key) values ('taken')`);
    const error = await driver.query(`insert into things (key) values ('taken')`).catch((e: unknown) => e);
    expect(sqlState(error)).toBe('23505');
    expect(violatedConstraint(error)).toBe('things_pkey');
    expect(error).toMatchObject({ message: expect.stringContaining('duplicate key'), detail: 'Key (key)=(taken) already exists.' });
    expect(sqlState(await driver.query('select * from nowhere').catch((e: unknown) => e))).toBe('42P01');
  });

  it('commits a transaction whose work resolves and rolls back one whose work throws', async () => {
    await driver.transaction(async (tx) => {
      await tx.query(`insert into things (key, n) values ('kept', 1)`);
    });
    const refused = await driver
      .transaction(async (tx) => {
        await tx.query(`insert into things (key, n) values ('dropped', 2)`);
        throw new Error('changed my mind');
      })
      .catch((e: unknown) => e);
    expect(refused).toEqual(new Error('changed my mind'));
    const keys = await driver.query<{ key: string }>(`select key from things where key in ('kept', 'dropped')`);
    expect(keys.map((row) => row.key)).toEqual(['kept']);
  });

  it("never lets another call's statement into an open transaction", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = driver.transaction(async (tx) => {
      await tx.query(`insert into things (key) values ('inside')`);
      await held;
      throw new Error('undo');
    });
    // Issued while the transaction is open: it must run after the rollback, not inside the transaction.
    const outside = driver.query(`insert into things (key) values ('outside')`);
    release();
    await expect(transaction).rejects.toThrow('undo');
    await outside;
    const keys = await driver.query<{ key: string }>(`select key from things where key in ('inside', 'outside')`);
    expect(keys.map((row) => row.key)).toEqual(['outside']);
  });

});

describe('the embedded driver past its bound', () => {
  it('fails a statement that does not answer in time, and a call that cannot start in time never runs', async () => {
    const { driver, dispose } = await openCopy(1000);
    try {
      await driver.query('create table marks (key text primary key)');
      await expect(driver.query('select pg_sleep(4)')).rejects.toThrow(/did not answer within 1000 ms/);
      // The thread is still sleeping: this insert cannot start within its bound and is dropped.
      await expect(driver.query(`insert into marks values ('late')`)).rejects.toThrow(/busy: the query did not start within 1000 ms/);
      const marks = await untilAnswered(() => driver.query<{ key: string }>('select key from marks'));
      expect(marks).toEqual([]);
    } finally {
      await dispose();
    }
  });
});

/** Asks again while the store is busy (a statement given up on is still running in the thread). */
async function untilAnswered<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreUnavailable) || attempt === 10) throw error;
    }
  }
}

describe('the embedded driver when its thread dies', () => {
  it('fails the pending call and every later one with StoreUnavailable', async () => {
    const { driver, dispose } = await openCopy();
    try {
      const pending = driver.query('select pg_sleep(2)');
      // As an out-of-memory abort or a crash of the WebAssembly would.
      await (driver as unknown as { thread: Worker }).thread.terminate();
      await expect(pending).rejects.toBeInstanceOf(StoreUnavailable);
      await expect(driver.query('select 1')).rejects.toThrow(/unavailable: its thread exited/);
      await expect(driver.transaction(async (tx) => tx.query('select 1'))).rejects.toBeInstanceOf(StoreUnavailable);
    } finally {
      await dispose();
    }
  });
});
