/**
 * The embedded store: PGlite under DATA_DIR/event-store (DATA_DIR also holds other local state),
 * owned by this process through DATA_DIR/event-store.lock. DATA_DIR ':memory:' keeps it in memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { IN_MEMORY, openPgliteDriver } from './pglite-driver';
import { acquireDataDirLock } from './data-dir-lock';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store';
import type { SqlDriver } from './sql-driver';

export const EMBEDDED_SUBDIR = 'event-store';

export async function openEmbeddedEventStore(dataDir: string, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
  if (dataDir === IN_MEMORY) return PostgresEventStore.open(await openPgliteDriver(IN_MEMORY), options);
  fs.mkdirSync(dataDir, { recursive: true });
  const release = acquireDataDirLock(path.join(dataDir, `${EMBEDDED_SUBDIR}.lock`));
  try {
    const driver = releasingOnClose(await openPgliteDriver(path.join(dataDir, EMBEDDED_SUBDIR)), release);
    return await PostgresEventStore.open(driver, options);
  } catch (error) {
    release();
    throw error;
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
