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

/**
 * Where a process's read models live: READ_DATABASE_URL's database (bounded by the store's
 * timeout; a statement by at least `minStatementTimeoutMs`, for the CLI's long rebuilds), else the
 * store's own (storeSql). Null when neither exists.
 */
export function readModelSql(store: EventStore, storeConfig: EventStoreConfig, readDatabaseUrl: string | undefined, minStatementTimeoutMs = 0): SqlDriver | null {
  if (!readDatabaseUrl) return storeSql(store);
  const timeoutMs = storeConfig.kind === 'in-memory' ? DEFAULT_TIMEOUT_MS : storeConfig.timeoutMs;
  return createPgDriver({ connectionString: readDatabaseUrl, connectionTimeoutMs: timeoutMs, statementTimeoutMs: Math.max(timeoutMs, minStatementTimeoutMs) });
}
