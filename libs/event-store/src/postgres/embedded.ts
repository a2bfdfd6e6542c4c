/**
 * The embedded store: PGlite under DATA_DIR/event-store (DATA_DIR also holds other local state),
 * owned by this process through DATA_DIR/event-store.lock. DATA_DIR ':memory:' keeps it in memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { StoreUnavailable, storageFailure } from '../errors';
import { IN_MEMORY, openPgliteDriver } from './pglite-driver';
import { acquireDataDirLock } from './data-dir-lock';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import type { SqlDriver } from './sql-driver';

export const EMBEDDED_SUBDIR = 'event-store';

export async function openEmbeddedEventStore(dataDir: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
  if (dataDir === IN_MEMORY) return PostgresEventStore.open(await openPgliteDriver(IN_MEMORY, { timeoutMs: options.timeoutMs }), options);
  assertWritableDirectory(dataDir, 'DATA_DIR');
  const release = acquireDataDirLock(path.join(dataDir, `${EMBEDDED_SUBDIR}.lock`));
  try {
    const driver = releasingOnClose(await openPgliteDriver(path.join(dataDir, EMBEDDED_SUBDIR), { timeoutMs: options.timeoutMs }), release);
    return await PostgresEventStore.open(driver, options);
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Creates `dir` if missing and proves it writable with a small file written, flushed and removed, so
 * that a read-only or full directory is named at start, not discovered later as an odd error deep in
 * PGlite or in a key file. Throws StorageReadOnly / StorageFull (or StoreUnavailable) naming the
 * directory and the variable that chose it.
 */
export function assertWritableDirectory(dir: string, variable: string): void {
  const probe = path.join(dir, `.write-probe-${process.pid}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const fd = fs.openSync(probe, 'w');
    try {
      fs.writeSync(fd, Buffer.alloc(4096));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const storage = storageFailure(error, dir);
    const hint = `; give the process a writable ${variable} with free space`;
    if (storage) throw Object.assign(storage, { message: `${variable} ${dir}: ${storage.message}${hint}` });
    if (code === 'EACCES' || code === 'EPERM') throw new StoreUnavailable(`${variable} ${dir} is not writable by this process (${code})${hint}`, { cause: error });
    if (code === 'ENOTDIR' || code === 'EEXIST') throw new StoreUnavailable(`${variable} ${dir} is not a directory`, { cause: error });
    throw new StoreUnavailable(`${variable} ${dir} cannot be used: ${(error as Error).message}`, { cause: error });
  } finally {
    fs.rmSync(probe, { force: true });
  }
}

function releasingOnClose(driver: SqlDriver, release: () => void): SqlDriver {
  return {
    query: (sql, params) => driver.query(sql, params),
    transaction: (work) => driver.transaction(work),
    close: async () => {
      try {
        await driver.close();
      } finally {
        release();
      }
    },
  };
}
