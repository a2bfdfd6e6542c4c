/** Injection tokens of the things the application is built from. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const CLOCK = Symbol('CLOCK');
/** Names users' grant streams by a keyed hash of their personal code (libs/commands Pseudonyms). */
export const PSEUDONYMS = Symbol('PSEUDONYMS');
/**
 * The SQL database of the read models and idempotency keys (a SqlDriver): in local mode the
 * embedded store's own PGlite connection (one process, one connection), in server mode
 * READ_DATABASE_URL, or the event store's PostgreSQL when that is the store.
 */
export const READ_MODEL_SQL = Symbol('READ_MODEL_SQL');

/** The only clock of the service: commands take their time from it; tests move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
