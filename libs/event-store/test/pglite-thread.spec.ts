/** The embedded driver runs PGlite in a worker thread: what crosses the thread, and the thread's end. */
import { Worker } from 'node:worker_threads';
import { StoreUnavailable, openPgliteDriver, type SqlDriver } from '@atlauja/event-store';
import { sqlState, violatedConstraint } from '../src/postgres/sql-driver';

/** Opens an in-memory driver and finds its thread: the one its first statement is posted to. */
async function openWithThread(timeoutMs = 30_000): Promise<{ driver: SqlDriver; thread: Worker }> {
  const driver = await openPgliteDriver(':memory:', { timeoutMs });
  const posted = jest.spyOn(Worker.prototype, 'postMessage');
  try {
    await driver.query('select 1');
    return { driver, thread: posted.mock.contexts[0] as Worker };
  } finally {
    posted.mockRestore();
  }
}

const exited = (thread: Worker) => new Promise<number>((resolve) => thread.once('exit', resolve));

describe('the embedded database in its thread', () => {
  let driver: SqlDriver;
  beforeAll(async () => {
    ({ driver } = await openWithThread());
  });
  afterAll(() => driver.close());

  it('a SQL error reaches the caller with its SQLSTATE, constraint and detail, and the transaction is rolled back', async () => {
    await driver.query('create table t (x int constraint t_x_unique unique)');
    await driver.query('insert into t values (1)');
    const failed = await driver
      .transaction(async (tx) => {
        await tx.query('insert into t values (2)');
        await tx.query('insert into t values (1)');
      })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(sqlState(failed)).toBe('23505');
    expect(violatedConstraint(failed)).toBe('t_x_unique');
    expect(failed).toMatchObject({ message: 'duplicate key value violates unique constraint "t_x_unique"', detail: 'Key (x)=(1) already exists.' });
    expect(await driver.query('select x from t order by x')).toEqual([{ x: 1 }]);
  });

  it('values come back as PGlite parses them: jsonb objects, times as Dates, bytea as bytes', async () => {
    const [row] = await driver.query<Record<string, unknown>>(`select '{"a":[1,"b"]}'::jsonb as j, '2026-01-02T03:04:05.678Z'::timestamptz as t, $1::bytea as b, null::text as n`, [new Uint8Array([0, 1, 255])]);
    expect(row).toEqual({ j: { a: [1, 'b'] }, t: new Date('2026-01-02T03:04:05.678Z'), b: new Uint8Array([0, 1, 255]), n: null });
    // Objects of the caller's own realm (jest runs this file in a vm sandbox): canonical JSON and `instanceof` accept them.
    expect(Object.getPrototypeOf(row.j)).toBe(Object.prototype);
    expect(row.t).toBeInstanceOf(Date);
    expect(row.b).toBeInstanceOf(Uint8Array);
  });

  it('a statement that outlasts the bound fails, and a transaction abandoned behind it leaves no transaction open', async () => {
    const { driver: bounded } = await openWithThread(500);
    try {
      await expect(bounded.query('select count(*) from generate_series(1, 5000000)')).rejects.toThrow(/did not answer within 500 ms/);
      // Its BEGIN waits in the thread behind the slow statement, past the bound.
      await expect(bounded.transaction((tx) => tx.query('select 1'))).rejects.toThrow(StoreUnavailable);
      let row: unknown;
      while (row === undefined) {
        // Once the thread is free: a statement in a transaction of its own starts the transaction itself.
        row = await bounded.query('select now() = statement_timestamp() as own').then(([first]) => first, () => undefined);
      }
      expect(row).toEqual({ own: true });
    } finally {
      await bounded.close();
    }
  });

  it('close ends the thread, and later calls fail with StoreUnavailable', async () => {
    const { driver, thread } = await openWithThread();
    const exit = exited(thread);
    await driver.close();
    await expect(exit).resolves.toEqual(expect.any(Number));
    await expect(driver.query('select 1')).rejects.toThrow(StoreUnavailable);
  });

  it('a thread that stops fails the pending call and every later one with StoreUnavailable', async () => {
    const { driver, thread } = await openWithThread();
    try {
      const pending = driver.query('select count(*) from generate_series(1, 20000000)');
      await thread.terminate();
      await expect(pending).rejects.toThrow(StoreUnavailable);
      await expect(pending).rejects.toThrow(/stopped/);
      await expect(driver.transaction((tx) => tx.query('select 1'))).rejects.toThrow(StoreUnavailable);
    } finally {
      await driver.close();
    }
  });
});
