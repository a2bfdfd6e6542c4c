/** The stores the reliability suites run on: PGlite always, PostgreSQL when DATABASE_URL is set (a schema per use, dropped after). */
import { createPgDriver, EventStore, openEmbeddedEventStore, PostgresEventStore } from '@atlauja/event-store';
import { dropSchema, uniqueSchema } from '../../../bench/support/stores';

export interface TestStore {
  name: 'pglite' | 'postgres';
  open(): Promise<{ store: EventStore; cleanup(): Promise<void> }>;
}

export const DATABASE_URL = process.env.DATABASE_URL || undefined;

export const pglite: TestStore = {
  name: 'pglite',
  open: async () => {
    const store = await openEmbeddedEventStore(':memory:');
    return { store, cleanup: () => store.close() };
  },
};

export const postgres: TestStore = {
  name: 'postgres',
  open: async () => {
    const schema = uniqueSchema('rel');
    const driver = createPgDriver({ connectionString: DATABASE_URL!, connectionTimeoutMs: 5000, max: 10 });
    const store = await PostgresEventStore.open(driver, { schema });
    return {
      store,
      // The app closes the store on shutdown (idempotent); the schema is dropped through a connection of its own.
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  },
};

export const testStores: TestStore[] = DATABASE_URL ? [pglite, postgres] : [pglite];
