/**
 * The stores a benchmark runs on: the embedded store (PGlite) on a fresh directory under the OS
 * temp directory, and PostgreSQL (pg) in a schema of its own when DATABASE_URL is set. Each comes
 * with its driver (the same one the store uses) and a cleanup that removes everything it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgDriver, openEmbeddedEventStore, PostgresEventStore, SqlDriver } from '@atlauja/event-store';

export type StoreKind = 'embedded' | 'postgres';

export interface BenchStore {
  kind: StoreKind;
  store: PostgresEventStore;
  driver: SqlDriver;
  schema: string;
  /** DATA_DIR (embedded) of this store. */
  dataDir?: string;
  /** Closes the store and removes its directory or schema. */
  cleanup(): Promise<void>;
}

export const databaseUrl = (): string | undefined => process.env.DATABASE_URL || undefined;

export function storeKinds(): StoreKind[] {
  return databaseUrl() ? ['embedded', 'postgres'] : ['embedded'];
}

let counter = 0;
export function uniqueSchema(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`.toLowerCase();
}

export async function dropSchema(schema: string): Promise<void> {
  const url = databaseUrl();
  if (!url) return;
  const driver = createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 1 });
  try {
    await driver.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await driver.close();
  }
}

/**
 * The bench's own filling and rebuilding run statements far longer than a request's (tens of
 * thousands of rows, an index over a whole table): bounded by a minute, not by the service's 5 s.
 */
export const BATCH_TIMEOUT_MS = 60_000;

export async function openBenchStore(kind: StoreKind, prefix = 'bench'): Promise<BenchStore> {
  if (kind === 'embedded') {
    const dataDir = mkdtempSync(join(tmpdir(), `atlauja-${prefix}-`));
    const store = await openEmbeddedEventStore(dataDir, { timeoutMs: BATCH_TIMEOUT_MS });
    return {
      kind, store, driver: store.sql, schema: 'event_store', dataDir,
      cleanup: async () => {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const url = databaseUrl();
  if (!url) throw new Error('DATABASE_URL is not set');
  const schema = uniqueSchema(prefix);
  const driver = createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, statementTimeoutMs: BATCH_TIMEOUT_MS, max: 10 });
  const store = await PostgresEventStore.open(driver, { schema });
  return {
    kind, store, driver, schema,
    cleanup: async () => {
      await driver.query(`drop schema if exists ${schema} cascade`).catch(() => undefined);
      await store.close();
    },
  };
}
