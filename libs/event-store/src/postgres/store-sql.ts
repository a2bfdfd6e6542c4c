import { DEFAULT_TIMEOUT_MS, type EventStoreConfig } from '../config';
import type { EventStore } from '../event-store';
import { OpeningEventStore } from './opening-store';
import { createPgDriver } from './pg-driver';
import { PostgresEventStore } from './postgres-event-store';
import type { SqlDriver } from './sql-driver';

/**
 * The SQL connection of a store that lives in a PostgreSQL database (a server, or the embedded one,
 * opened or still opening), where the read models live beside the log unless READ_DATABASE_URL says
 * otherwise; null for a store without one (in memory, EventStoreDB).
 */
export function storeSql(store: EventStore): SqlDriver | null {
  return store instanceof PostgresEventStore || store instanceof OpeningEventStore ? store.sql : null;
}

/** A process's connection to its read models' database, and how to let go of it. */
export interface ReadModelConnection {
  readonly sql: SqlDriver;
  /** Closes the connection when it is READ_DATABASE_URL's, opened for this process; the store's own closes with the store. */
  release(): Promise<void>;
}

/**
 * Where a process's read models live: READ_DATABASE_URL's database (bounded by the store's
 * timeout; a statement by at least `minStatementTimeoutMs`, for the CLI's long rebuilds), else the
 * store's own (storeSql). Null when neither exists.
 */
export function readModelConnection(store: EventStore, storeConfig: EventStoreConfig, readDatabaseUrl: string | undefined, minStatementTimeoutMs = 0): ReadModelConnection | null {
  if (!readDatabaseUrl) {
    const sql = storeSql(store);
    return sql && { sql, release: async () => undefined };
  }
  const timeoutMs = storeConfig.kind === 'in-memory' ? DEFAULT_TIMEOUT_MS : storeConfig.timeoutMs;
  const sql = createPgDriver({ connectionString: readDatabaseUrl, connectionTimeoutMs: timeoutMs, statementTimeoutMs: Math.max(timeoutMs, minStatementTimeoutMs) });
  return { sql, release: () => sql.close() };
}
