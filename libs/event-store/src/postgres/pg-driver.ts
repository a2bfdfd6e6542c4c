/**
 * The server driver: a pg Pool on DATABASE_URL.
 *
 * No fault crashes the process and no call waits without bound:
 * - every client has an 'error' listener, idle in the pool (the pool's) and checked out in a
 *   transaction (ours): a backend terminated by the server (pg_terminate_backend, a restart) or a
 *   dropped socket emits 'error' on the client, which without a listener ends the process;
 * - every statement is bounded twice: by the server (statement_timeout, and
 *   idle_in_transaction_session_timeout for a transaction its client abandoned) and by the client
 *   (query_timeout, a little longer), which fires when the server or the network stopped answering;
 * - a client that failed at the connection level, or timed out, is discarded, never reused.
 * Connection failures and timeouts become StoreUnavailable (with pg's message, which never contains
 * the password); a full or read-only database StorageFull / StorageReadOnly naming the database;
 * other SQL errors pass through for the store to map.
 */
import type { Pool, PoolClient } from 'pg';
import { StoreUnavailable, storageFailure } from '../errors';
import { sqlState, type SqlDriver, type SqlExecutor } from './sql-driver';

export interface PgDriverOptions {
  connectionString: string;
  /** Connections in the pool. */
  max?: number;
  connectionTimeoutMs: number;
  /**
   * Bound of every statement, in the server (statement_timeout, idle_in_transaction_session_timeout)
   * and in the client (this plus a margin). Default: connectionTimeoutMs.
   */
  statementTimeoutMs?: number;
}

/** The client's own deadline fires this long after the server's, so a live server usually answers first with a clean error. */
const CLIENT_MARGIN_MS = 1000;

export function createPgDriver(options: PgDriverOptions): SqlDriver {
  const statementTimeoutMs = options.statementTimeoutMs ?? options.connectionTimeoutMs;
  // Loaded by the first driver made, not by every process that imports the store: an embedded
  // installation never needs pg, and its start-up is shorter without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Pool: PgPool } = require('pg') as typeof import('pg');
  const pool = new PgPool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: statementTimeoutMs,
    query_timeout: statementTimeoutMs + CLIENT_MARGIN_MS,
    keepAlive: true,
  });
  // An idle connection dropped by the server emits 'error' on the pool (pg-pool relays it from the
  // idle client and discards that client); the next query reports the failure to its caller.
  pool.on('error', () => undefined);
  return new PgDriver(pool, describe(options.connectionString));
}

/** "database atlauja at db:5432": where the data are, for messages; never the user or password. */
function describe(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `PostgreSQL database ${decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default)'} at ${url.hostname || 'localhost'}:${url.port || '5432'}`;
  } catch {
    return 'the PostgreSQL database';
  }
}

class PgDriver implements SqlDriver {
  constructor(
    private readonly pool: Pool,
    private readonly where: string,
  ) {}

  async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (error) {
      throw this.unavailableOr(error);
    }
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    // Checked out, the client has no listener of the pool's: a terminated backend would crash the
    // process. The listener is attached inside the pool's callback, synchronously: the server's
    // "terminating connection" may arrive in the same packet as the connection's readiness, before a
    // promise's continuation could attach it.
    let connectionError: Error | undefined;
    const onError = (error: Error): void => {
      connectionError = error;
    };
    let client: PoolClient;
    try {
      client = await new Promise<PoolClient>((resolve, reject) => {
        this.pool.connect((error, checkedOut) => {
          if (error || !checkedOut) return reject(error ?? new Error('no client'));
          checkedOut.on('error', onError);
          resolve(checkedOut);
        });
      });
    } catch (error) {
      throw this.unavailableOr(error);
    }
    let discard = false;
    try {
      await client.query('begin');
      const result = await work({ query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[] });
      await client.query('commit');
      return result;
    } catch (error) {
      const mapped = this.unavailableOr(connectionError ?? error);
      if (mapped instanceof StoreUnavailable) {
        // A broken or unanswering connection: a ROLLBACK would wait as long again. Closing it ends the
        // transaction on the server (or idle_in_transaction_session_timeout does, if it never hears).
        discard = true;
      } else {
        await client.query('rollback').catch(() => {
          discard = true;
        });
      }
      throw mapped;
    } finally {
      client.release(discard || connectionError !== undefined ? (connectionError ?? true) : undefined);
      // After release the pool's idle listener takes over; ours stays until the client is gone, for late errors.
      if (!discard && connectionError === undefined) client.removeListener('error', onError);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private unavailableOr(error: unknown): unknown {
    if (error instanceof StoreUnavailable) return error;
    const storage = storageFailure(error, this.where);
    if (storage) return storage;
    const code = sqlState(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === '57014' || code === '25P03' || /Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout/i.test(message)) {
      return new StoreUnavailable(`${this.where} did not answer in time: ${message}`, { cause: error });
    }
    const isUnavailable =
      (code !== undefined && (code.startsWith('08') || code.startsWith('53') || code.startsWith('57P') || NETWORK_CODES.has(code))) ||
      /Connection terminated|Client has encountered a connection error|Client was closed|not queryable/i.test(message);
    return isUnavailable ? new StoreUnavailable(`${this.where} unavailable: ${message}`, { cause: error }) : error;
  }
}

// Connection-level failures besides SQLSTATE classes 08 (connection exception), 53 (insufficient
// resources: too many connections, out of memory; 53100 disk full is StorageFull above) and 57P
// (server shutting down, terminated by an administrator, cannot connect now).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);
