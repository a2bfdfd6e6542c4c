import type { EventStoreConfig } from './config';
import type { EventStore } from './event-store';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
import { InMemoryEventStore } from './in-memory/in-memory-event-store';
import { openEmbeddedEventStore } from './postgres/embedded';
import { createPgDriver } from './postgres/pg-driver';
import { OpeningEventStore } from './postgres/opening-store';
import { PostgresEventStore } from './postgres/postgres-event-store';

/** Opens the configured store; the postgres kinds create their schema if missing. */
export async function createEventStore(config: EventStoreConfig): Promise<EventStore> {
  switch (config.kind) {
    case 'embedded':
      return openEmbedded(config);
    case 'postgres': {
      const driver = createPgDriver({ connectionString: config.databaseUrl, connectionTimeoutMs: config.timeoutMs, statementTimeoutMs: config.timeoutMs });
      try {
        return await PostgresEventStore.open(driver, { schema: config.schema, timeoutMs: config.timeoutMs });
      } catch (error) {
        await driver.close().catch(() => undefined);
        throw error;
      }
    }
    case 'eventstoredb':
      return EventStoreDbEventStore.connect(config.url, { timeoutMs: config.timeoutMs });
    case 'in-memory':
      return new InMemoryEventStore();
  }
}

type EmbeddedConfig = Extract<EventStoreConfig, { kind: 'embedded' }>;

const openEmbedded = (config: EmbeddedConfig) => openEmbeddedEventStore(config.dataDir, { schema: config.schema, timeoutMs: config.timeoutMs });

/** The embedded store at once, opening behind its calls (see OpeningEventStore). */
export function startOpeningEmbedded(config: EmbeddedConfig): OpeningEventStore {
  return new OpeningEventStore(openEmbedded(config));
}
