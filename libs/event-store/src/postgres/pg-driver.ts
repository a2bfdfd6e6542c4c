/**
 * The server driver: a pg Pool on DATABASE_URL. Connection failures become StoreUnavailable (with
 * pg's message, which never contains the password); SQL errors pass through for the store to map.
 */
import { Pool, type PoolClient } from 'pg';
import { StoreUnavailable } from '../errors';
import { sqlState, type SqlDriver, type SqlExecutor } from './sql-driver';

export interface PgDriverOptions {
  connectionString: string;
  /** Connections in the pool. */
  max?: number;
  connectionTimeoutMs: number;
}

export function createPgDriver(options: PgDriverOptions): SqlDriver {
  const pool = new Pool({ connectionString: options.connectionString, max: options.max ?? 10, connectionTimeoutMillis: options.connectionTimeoutMs });
  // An idle connection dropped by the server emits 'error' on the pool; without a listener that would
  // crash the process. The next query reports the failure to its caller instead.
  pool.on('error', () => undefined);
  return new PgDriver(pool);
}

class PgDriver implements SqlDriver {
  constructor(private readonly pool: Pool) {}

  async query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, params)).rows as Row[];
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw unavailableOr(error);
    }
    let broken: unknown;
    try {
      await client.query('begin');
      const result = await work({ query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[] });
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError; // the connection is unusable: discard it rather than return it to the pool
      });
      throw unavailableOr(error);
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// Connection-level failures: network errors, SQLSTATE class 08 (connection exception),
// 57P01-57P03 (server shutting down / cannot connect now), 53300 (too many connections).
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', 'EAI_AGAIN']);

function unavailableOr(error: unknown): unknown {
  const code = sqlState(error);
  const message = error instanceof Error ? error.message : String(error);
  const isUnavailable =
    (code !== undefined && (code.startsWith('08') || UNAVAILABLE_STATES.has(code) || NETWORK_CODES.has(code))) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
  return isUnavailable && !(error instanceof StoreUnavailable) ? new StoreUnavailable(`PostgreSQL unavailable: ${message}`, { cause: error }) : error;
}
