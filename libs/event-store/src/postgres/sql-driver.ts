/**
 * The little the postgres adapter needs from a database connection, so that one implementation
 * serves both PGlite (embedded) and a PostgreSQL server (pg). Parameters are passed as text with
 * explicit casts in the SQL, so both drivers send the same thing (bigints never as JSON numbers).
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface SqlDriver extends SqlExecutor {
  /** Runs `work` in one transaction: COMMIT when it resolves, ROLLBACK when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A PostgreSQL error as both drivers report it (pg-protocol's DatabaseError). */
export function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
}

export function violatedConstraint(error: unknown): string | undefined {
  return sqlState(error) === '23505' ? (error as { constraint?: string }).constraint : undefined;
}
