/**
 * Where the projection specs run: PGlite (a copy of the event store's template data dir, opened
 * once per test file: creating one takes seconds) and, when DATABASE_URL is set, a PostgreSQL
 * server. Each spec gets its own log (an event-store schema) and its own read-model schema, dropped
 * at the end, so specs in one file never see each other's rows.
 */
import { randomBytes } from 'crypto';
import { createPgDriver, openEmbeddedEventStore, PostgresEventStore, type SqlDriver } from '@atlauja/event-store';
import { copyEmbeddedTemplate } from '../../../event-store/src/testing';
import { LogWriter } from './applications';

export const DATABASE_URL = process.env.DATABASE_URL;

export interface ReadModelDatabase {
  readonly label: string;
  readonly sql: SqlDriver;
  /** A fresh, empty log and read-model schema. */
  fresh(): Promise<{ store: PostgresEventStore; schema: string }>;
  close(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

function freshIn(sql: SqlDriver, created: string[]): ReadModelDatabase['fresh'] {
  return async () => {
    const logSchema = uniqueName('es');
    const schema = uniqueName('rm');
    created.push(logSchema, schema);
    return { store: await PostgresEventStore.open(sql, { schema: logSchema, pollIntervalMs: 20 }), schema };
  };
}

async function dropAll(sql: SqlDriver, schemas: string[]): Promise<void> {
  const rows = await sql.query<{ nspname: string }>(`select nspname from pg_namespace where ${schemas.map((_, i) => `nspname like $${i + 1} || '%'`).join(' or ') || 'false'}`, schemas);
  for (const { nspname } of rows) await sql.query(`drop schema if exists ${nspname} cascade`);
}

export async function openPglite(): Promise<ReadModelDatabase> {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.includes('--experimental-vm-modules')) throw new Error('PGlite under jest needs NODE_OPTIONS=--experimental-vm-modules');
  const { dataDir, remove } = await copyEmbeddedTemplate();
  const embedded = await openEmbeddedEventStore(dataDir);
  const created: string[] = [];
  return {
    label: 'PGlite',
    sql: embedded.sql,
    fresh: freshIn(embedded.sql, created),
    close: async () => {
      await embedded.close();
      remove();
    },
  };
}

export async function openPostgres(url: string): Promise<ReadModelDatabase> {
  const sql = createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 8 });
  const created: string[] = [];
  return {
    label: 'PostgreSQL',
    sql,
    fresh: freshIn(sql, created),
    close: async () => {
      // Rebuild schemas are named after the live one, so a prefix match drops them too.
      await dropAll(sql, created);
      await sql.close();
    },
  };
}

/** The databases to run a suite on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function databases(): [string, () => Promise<ReadModelDatabase>][] {
  const list: [string, () => Promise<ReadModelDatabase>][] = [['PGlite', openPglite]];
  if (DATABASE_URL) list.push(['PostgreSQL', () => openPostgres(DATABASE_URL)]);
  else console.info('PostgreSQL read-model specs skipped: DATABASE_URL is unset');
  return list;
}

export interface FreshDatabase {
  db: ReadModelDatabase;
  store: PostgresEventStore;
  schema: string;
  log: LogWriter;
}

/**
 * The hooks every projection spec needs: the file's database opened once and closed at the end, and
 * before each spec a fresh log and read-model schema, handed to `use` (which assigns the spec's variables).
 */
export function eachFreshDatabase(open: () => Promise<ReadModelDatabase>, use: (fresh: FreshDatabase) => void): void {
  let db: ReadModelDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    const { store, schema } = await db.fresh();
    use({ db, store, schema, log: new LogWriter(store) });
  });
}
