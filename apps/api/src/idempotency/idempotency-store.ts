import type { SqlDriver } from '@atlauja/event-store';

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

/** The first response to a keyed command, kept so a retry gets it back instead of acting twice. */
export interface IdempotencyRecord {
  /** SHA-256 of the request (method, path, If-Match, body): the same key with another body is refused. */
  fingerprint: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface IdempotencyStore {
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Keeps the first record for a key; a later put for the same key changes nothing. */
  put(key: string, record: IdempotencyRecord): Promise<void>;
}

/** For tests and the in-memory event store: bounded, oldest dropped first. */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  constructor(private readonly capacity = 100_000) {}

  async get(key: string) {
    return this.records.get(key);
  }

  async put(key: string, record: IdempotencyRecord) {
    if (this.records.has(key)) return;
    if (this.records.size >= this.capacity) this.records.delete(this.records.keys().next().value as string);
    this.records.set(key, record);
  }
}

/** In the service's SQL database (PGlite locally, PostgreSQL on a server), so retries survive restarts. */
export class SqlIdempotencyStore implements IdempotencyStore {
  private constructor(private readonly sql: SqlDriver, private readonly table: string) {}

  static async open(sql: SqlDriver, schema = 'read_models'): Promise<SqlIdempotencyStore> {
    await sql.query(`create schema if not exists ${schema}`);
    await sql.query(
      `create table if not exists ${schema}.idempotency (
         key text primary key, fingerprint text not null, status int not null,
         headers jsonb not null, body jsonb, created_at timestamptz not null default now())`,
    );
    return new SqlIdempotencyStore(sql, `${schema}.idempotency`);
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const rows = await this.sql.query<{ fingerprint: string; status: number; headers: Record<string, string>; body: unknown }>(
      `select fingerprint, status, headers, body from ${this.table} where key = $1`,
      [key],
    );
    return rows[0];
  }

  async put(key: string, record: IdempotencyRecord): Promise<void> {
    await this.sql.query(
      `insert into ${this.table} (key, fingerprint, status, headers, body) values ($1, $2, $3, $4::jsonb, $5::jsonb) on conflict (key) do nothing`,
      [key, record.fingerprint, String(record.status), JSON.stringify(record.headers), JSON.stringify(record.body ?? null)],
    );
  }
}
