/**
 * The worker's configuration, validated at start: the event store (the same variables as the api)
 * and the read-model database (READ_DATABASE_URL, else the store's own PostgreSQL).
 */
import { loadEventStoreConfig, type EventStoreConfig } from '@atlauja/event-store';
import { DEFAULT_READ_MODEL_SCHEMA } from '@atlauja/projections';

export interface WorkerConfig {
  store: EventStoreConfig;
  readDatabaseUrl: string | null;
  readModelSchema: string;
  logLevel: string;
}

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const store = loadEventStoreConfig(env);
  const readDatabaseUrl = env.READ_DATABASE_URL?.trim() || null;
  const problems: string[] = [];
  if (store.kind === 'eventstoredb' && readDatabaseUrl === null) problems.push('READ_DATABASE_URL is required with EVENT_STORE=eventstoredb (the read models live in PostgreSQL)');
  if (readDatabaseUrl !== null && !/^postgres(ql)?:\/\//.test(readDatabaseUrl)) problems.push('READ_DATABASE_URL must start with postgres:// or postgresql://');
  const readModelSchema = env.READ_MODEL_SCHEMA?.trim() || DEFAULT_READ_MODEL_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(readModelSchema)) problems.push('READ_MODEL_SCHEMA must be a lower-case SQL identifier of at most 40 characters');
  if (problems.length > 0) throw new Error(`invalid worker configuration:\n  - ${problems.join('\n  - ')}`);
  return { store, readDatabaseUrl, readModelSchema, logLevel: env.LOG_LEVEL ?? 'info' };
}
