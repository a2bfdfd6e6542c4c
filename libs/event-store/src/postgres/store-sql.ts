import type { EventStore } from '../event-store';
import { OpeningEventStore } from './opening-store';
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
