/**
 * The embedded driver: PGlite (PostgreSQL compiled to WebAssembly) on a local data directory, or in
 * memory. One connection in one process; every use goes through a SerialQueue so that transactions
 * never interleave. PGlite never fsyncs: data survive a process crash, not an OS crash.
 */
import { PGlite } from '@electric-sql/pglite';
import { StoreUnavailable } from '../errors';
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

export async function openPgliteDriver(dataDir: string): Promise<SqlDriver> {
  let db: PGlite;
  try {
    const options = { startParams: [...PGlite.defaultStartParams, ...MEMORY_SETTINGS.flatMap((setting) => ['-c', setting])] };
    db = dataDir === IN_MEMORY ? await PGlite.create(options) : await PGlite.create(dataDir, options);
  } catch (error) {
    throw new StoreUnavailable(`cannot open the embedded database in ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  return new PgliteDriver(db);
}

class PgliteDriver implements SqlDriver {
  private readonly queue = new SerialQueue();

  constructor(private readonly db: PGlite) {}

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.queue.run(async () => {
      this.assertOpen();
      return (await this.db.query<Row>(sql, params)).rows;
    });
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.assertOpen();
      return this.db.transaction((tx) => work({ query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows }));
    });
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (!this.db.closed) await this.db.close();
    });
  }

  private assertOpen(): void {
    if (this.db.closed) throw new StoreUnavailable('the embedded database is closed');
  }
}
