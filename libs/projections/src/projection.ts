/**
 * A projection turns the global log into one read model: its tables (DDL beside its apply) and how
 * a batch of events changes them. The runner owns the transaction and the checkpoint; a projection
 * only writes its own tables, in the schema it is given (the live one, or a rebuild's).
 */
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';

export interface Projection {
  /** A lower-case SQL identifier: it names the checkpoint row and the rebuild schema. */
  readonly name: string;
  /** The tables it owns, swapped together by a rebuild. */
  readonly tables: readonly string[];
  /** Idempotent DDL (create ... if not exists) for its tables in `schema`. */
  ddl(schema: string): string[];
  /**
   * Idempotent DDL of the indexes only its queries use (the batches find their rows through the keys
   * and the indexes in `ddl`). Created with the tables, except by a rebuild: it builds them once its
   * replay is done, one sort each, instead of maintaining them row by row through the replay.
   */
  queryIndexes?(schema: string): string[];
  /**
   * Applies events (in log order, all after the checkpoint) inside the runner's transaction.
   * Must be deterministic: the same events give the same rows, so a rebuild equals the live model.
   */
  applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void>;
}
