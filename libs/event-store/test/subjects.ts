/** How each adapter's specs open a fresh store and clean up after it. */
import { randomBytes } from 'crypto';
import { Client } from 'pg';
import {
  EventStoreDbEventStore, PostgresEventStore, createPgDriver, openEmbeddedEventStore,
  type PostgresEventStoreOptions, type SqlDriver,
} from '@atlauja/event-store';
import { copyEmbeddedTemplate } from '../src/testing';
import type { ContractSubject } from './event-store-contract';

export const DATABASE_URL = process.env.DATABASE_URL;
export const EVENTSTORE_URL = process.env.EVENTSTORE_URL;

/** describe, or describe.skip with a note saying why, so a skipped suite is visible. */
export function describeWhen(condition: unknown, why: string): jest.Describe {
  if (!condition) console.info(`skipped: ${why}`);
  return condition ? describe : describe.skip;
}

/**
 * PGlite's CommonJS build loads parts of itself with dynamic import(), which jest's module sandbox
 * refuses unless node runs with --experimental-vm-modules (electric-sql/pglite#224). Fail with that
 * explanation instead of an uncaught error that ends the jest worker.
 */
export function assertPgliteLoadableUnderJest(): void {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.includes('--experimental-vm-modules')) {
    throw new Error('PGlite under jest needs node --experimental-vm-modules: run NODE_OPTIONS=--experimental-vm-modules npx jest ... (see docs/event-store.md)');
  }
}

export async function embeddedSubject(options: PostgresEventStoreOptions = {}): Promise<ContractSubject & { dataDir: string; store: PostgresEventStore }> {
  assertPgliteLoadableUnderJest();
  const { dataDir, remove } = await copyEmbeddedTemplate();
  const store = await openEmbeddedEventStore(dataDir, { pollIntervalMs: 20, ...options });
  return { dataDir, store, dispose: async () => { await store.close(); remove(); } };
}

/** A schema of its own on the shared server, dropped at the end. */
export function uniqueSchema(): string {
  return `es_test_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await admin.end();
  }
}

export async function postgresSubject(
  url: string,
  options: PostgresEventStoreOptions & { schema: string; max?: number; wrapDriver?: (driver: SqlDriver) => SqlDriver } = { schema: uniqueSchema() },
): Promise<ContractSubject & { store: PostgresEventStore; schema: string }> {
  const raw = createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: options.max ?? 10 });
  const driver = options.wrapDriver ? options.wrapDriver(raw) : raw;
  const store = await PostgresEventStore.open(driver, { pollIntervalMs: 20, ...options });
  return { store, schema: options.schema, dispose: async () => { await store.close(); await dropSchema(url, options.schema); } };
}

export async function eventStoreDbSubject(url: string): Promise<ContractSubject> {
  const store = await EventStoreDbEventStore.connect(url, { timeoutMs: 10_000 });
  return { store, dispose: () => store.close() };
}
