/**
 * The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) on a local data directory, or in
 * memory. One connection in one process; every use goes through a SerialQueue so that transactions
 * never interleave. PGlite never fsyncs: data survive a process crash, not an OS crash.
 *
 * PGlite runs in a worker thread (see pglite-thread.ts): its statements execute synchronously in
 * WebAssembly, and on the main thread every one of them stopped the HTTP server's event loop for its
 * whole duration and kept the database and the server on one core. Here the main thread only sends
 * each statement (BEGIN, the work's statements, COMMIT or ROLLBACK) by message and awaits the answer.
 *
 * Every call is bounded (timeoutMs): a call that cannot start within it (the queue is held by a long
 * transaction) is dropped from the queue and fails with StoreUnavailable, and so does a statement
 * that does not finish within it (the thread runs it to its end; the next statement waits for it).
 * A full or read-only data directory is StorageFull / StorageReadOnly naming the directory. A thread
 * that stops (a WebAssembly abort, an exit) fails every pending and later call with StoreUnavailable.
 */
import { StoreUnavailable, storageFailure } from '../errors';
import { SerialQueue } from './serial-queue';
import type { SqlDriver, SqlExecutor } from './sql-driver';
import { PgliteThread } from './pglite-thread';

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
  const startParams = MEMORY_SETTINGS.flatMap((setting) => ['-c', setting]);
  const thread = await PgliteThread.open(dataDir === IN_MEMORY ? undefined : dataDir, startParams).catch((error: unknown) => {
    const storage = storageFailure(error, dataDir);
    if (storage) throw storage;
    // PGlite sometimes rejects with a bare WebAssembly abort or a non-Error; say what we know.
    const reason = error instanceof Error && error.message ? error.message : String(error ?? 'unknown error');
    throw new StoreUnavailable(`cannot open the embedded database in ${dataDir}: ${reason}`, { cause: error });
  });
  return new PgliteDriver(thread, dataDir, options.timeoutMs ?? 5000);
}

class PgliteDriver implements SqlDriver {
  private readonly queue = new SerialQueue();
  private closed = false;

  constructor(
    private readonly thread: PgliteThread,
    private readonly dataDir: string,
    private readonly timeoutMs: number,
  ) {}

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.bounded('query', () => this.statement<Row>('query', sql, params));
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.bounded('transaction', async () => {
      let open = true;
      const tx: SqlExecutor = {
        query: <Row>(sql: string, params?: unknown[]) => {
          if (!open) return Promise.reject(new Error('the transaction is closed'));
          return this.statement<Row>('query', sql, params);
        },
      };
      let result: T;
      try {
        // Inside the try: a BEGIN that timed out still runs in the thread, and its ROLLBACK must follow it.
        await this.statement('exec', 'BEGIN');
        result = await work(tx);
      } catch (error) {
        open = false;
        // A ROLLBACK that fails (the thread stopped, or is still busy) leaves nothing to undo here.
        await this.statement('exec', 'ROLLBACK').catch(() => undefined);
        throw error;
      }
      open = false;
      await this.statement('exec', 'COMMIT');
      return result;
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      await this.thread.close(this.timeoutMs);
    });
  }

  /** Waits at most timeoutMs for its turn (else it never runs), then runs `task`. */
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
      if (this.closed) throw new StoreUnavailable('the embedded database is closed');
      try {
        return await task();
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

  /** One statement sent to the thread; it fails when no answer comes within timeoutMs. */
  private statement<Row>(op: 'query' | 'exec', sql: string, params?: unknown[]): Promise<Row[]> {
    return this.thread.send<Row>(op, sql, params, this.timeoutMs, () =>
      new StoreUnavailable(`the embedded database in ${this.dataDir} did not answer within ${this.timeoutMs} ms (${sql.slice(0, 40)})`),
    );
  }
}
