/**
 * The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) on a local data directory, or in
 * memory. One connection in one process; every use goes through a SerialQueue so that transactions
 * never interleave. PGlite never fsyncs: data survive a process crash, not an OS crash.
 *
 * Every call is bounded (timeoutMs): a call that cannot start within it (the queue is held by a long
 * transaction) is dropped from the queue and fails with StoreUnavailable, and so does a statement
 * that does not finish within it. A full or read-only data directory is StorageFull / StorageReadOnly
 * naming the directory.
 */
import { PGlite } from '@electric-sql/pglite';
import { StoreUnavailable, storageFailure } from '../errors';
import { SerialQueue } from './serial-queue';
import type { SqlDriver, SqlExecutor } from './sql-driver';

export const IN_MEMORY = ':memory:';

/**
 * PostgreSQL's memory inside PGlite's WebAssembly heap, sized for one process's database: with the
 * defaults (128 MB of shared buffers, 64 MB for maintenance) the heap grew to ~200 MB, which a
 * WebAssembly memory never gives back; the server's RSS at rest on 100k events went from ~360 MB
 * (64 MB of buffers) and ~290 MB (32 MB) to ~265 MB (16 MB). Pages beyond the buffers are read from
 * the OS page cache. Passed as start parameters, so nothing is written into the data directory.
 */
const MEMORY_SETTINGS = ['shared_buffers=16MB', 'work_mem=4MB', 'maintenance_work_mem=16MB', 'temp_buffers=2MB', 'wal_buffers=1MB'];

export interface PgliteDriverOptions {
  /** Bound of the wait for the connection and of each statement. Default 5000. */
  timeoutMs?: number;
}

export async function openPgliteDriver(dataDir: string, options: PgliteDriverOptions = {}): Promise<SqlDriver> {
  let db: PGlite;
  try {
    const start = { startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS.flatMap((setting) => ['-c', setting])] };
    db = dataDir === IN_MEMORY ? await PGlite.create(start) : await PGlite.create(dataDir, start);
  } catch (error) {
    const storage = storageFailure(error, dataDir);
    if (storage) throw storage;
    // PGlite sometimes rejects with a bare WebAssembly abort or a non-Error; say what we know.
    const reason = error instanceof Error && error.message ? error.message : String(error ?? 'unknown error');
    throw new StoreUnavailable(`cannot open the embedded database in ${dataDir}: ${reason}`, { cause: error });
  }
  return new PgliteDriver(db, dataDir, options.timeoutMs ?? 5000);
}

class PgliteDriver implements SqlDriver {
  private readonly queue = new SerialQueue();

  constructor(
    private readonly db: PGlite,
    private readonly dataDir: string,
    private readonly timeoutMs: number,
  ) {}

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.bounded('query', async () => (await this.db.query<Row>(sql, params)).rows);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.bounded('transaction', () =>
      this.db.transaction((tx) =>
        work({ query: async <Row>(sql: string, params?: unknown[]) => (await this.statement(tx.query<Row>(sql, params), sql)).rows }),
      ),
    );
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (!this.db.closed) await this.db.close();
    });
  }

  /** Waits at most timeoutMs for its turn (else it never runs), then runs `task` with every statement bounded. */
  private async bounded<T>(what: string, task: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    let gaveUp = false;
    const started = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        reject(new StoreUnavailable(`the embedded database in ${this.dataDir} was busy: the ${what} did not start within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    const run = this.queue.run(async () => {
      if (gaveUp) throw new StoreUnavailable('abandoned');
      clearTimeout(timer);
      if (this.db.closed) throw new StoreUnavailable('the embedded database is closed');
      try {
        return await (what === 'query' ? this.statement(task(), what) : task());
      } catch (error) {
        throw storageFailure(error, this.dataDir) ?? error;
      }
    });
    try {
      return await Promise.race([run, started]);
    } finally {
      clearTimeout(timer);
      run.catch(() => undefined); // after a give-up its rejection is nobody's
    }
  }

  /** A statement that does not finish within timeoutMs fails (PGlite runs on; the queue waits for it). */
  private statement<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailable(`the embedded database in ${this.dataDir} did not answer within ${this.timeoutMs} ms (${what.slice(0, 40)})`)),
        this.timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}
