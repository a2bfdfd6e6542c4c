/**
 * Rebuild: replay the log from position 0 into fresh tables in a schema of their own while the live
 * tables keep serving, then swap them in, in one transaction: readers see the old tables or the new
 * ones, never a half-built one.
 *
 * The swap locks the live checkpoint rows (the runner's batches take the same lock), so no batch is
 * applied to the old tables after the swap and none is lost: the rebuilt tables must already include
 * every event the live ones do (else the swap is retried after catching up), and the live
 * checkpoint becomes the rebuilt one. Reading the log inside the swap transaction is not an option:
 * with PGlite the store shares the one connection the transaction holds.
 */
import type { EventStore, SqlDriver } from '@atlauja/event-store';
import { ensureReadModels, lockCheckpoint } from '../checkpoints';
import type { Projection } from '../projection';
import { applyBatchTo } from '../runner/apply-batch';
import { DEFAULT_READ_MODEL_SCHEMA, rebuildSchemaOf } from '../sql-names';

export interface RebuildProgress {
  /** Events replayed so far. */
  events: number;
  position: bigint;
  /** The log's head when the replay started (the target of the progress bar). */
  head: bigint;
  elapsedMs: number;
}

export interface RebuildOptions {
  store: EventStore;
  sql: SqlDriver;
  projections: readonly Projection[];
  schema?: string;
  pageSize?: number;
  onProgress?: (progress: RebuildProgress) => void;
  /** Called between the replay and the swap (tests use it to interleave). */
  beforeSwap?: () => Promise<void>;
  maxSwapAttempts?: number;
}

export interface RebuildResult {
  events: number;
  position: bigint;
  elapsedMs: number;
}

export class RebuildFailed extends Error {
  override readonly name = 'RebuildFailed';
}

export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const { store, sql, projections } = options;
  const schema = options.schema ?? DEFAULT_READ_MODEL_SCHEMA;
  const pageSize = options.pageSize ?? 1000;
  const started = Date.now();
  await ensureReadModels(sql, schema, projections);
  for (const projection of projections) {
    const fresh = rebuildSchemaOf(schema, projection.name);
    await sql.query(`drop schema if exists ${fresh} cascade`); // a crashed rebuild's leftovers
    await ensureReadModels(sql, fresh, [projection]);
  }

  const head = await store.headPosition();
  let cursor = 0n;
  let events = 0;
  const report = (): void => options.onProgress?.({ events, position: cursor, head, elapsedMs: Date.now() - started });

  /** Replays into the fresh tables up to `target` (or the end of the log). */
  const catchUp = async (target: bigint | null): Promise<void> => {
    for (;;) {
      const page = await store.readAll(cursor, pageSize);
      if (page.length === 0) return;
      for (const projection of projections) {
        const outcome = await applyBatchTo(sql, rebuildSchemaOf(schema, projection.name), projection, page, cursor);
        if (outcome.kind === 'failed') {
          throw new RebuildFailed(`rebuild of ${projection.name} stopped at position ${outcome.failedPosition}: ${outcome.error}`);
        }
      }
      cursor = page[page.length - 1].position;
      events += page.length;
      report();
      if (target !== null && cursor >= target) return;
    }
  };

  report();
  await catchUp(head);
  // Statistics for the bulk-loaded tables: without them the planner guesses (PGlite has no autovacuum,
  // and PostgreSQL's may not have run yet) and the queue query sorts every signed row instead of
  // walking its index. The statistics move with the tables at the swap (they belong to the table).
  for (const projection of projections) {
    for (const table of projection.tables) await sql.query(`analyze ${rebuildSchemaOf(schema, projection.name)}.${table}`);
  }
  await options.beforeSwap?.();
  const attempts = options.maxSwapAttempts ?? 100;
  for (let attempt = 1; ; attempt++) {
    await catchUp(await store.headPosition());
    if (await swap(sql, schema, projections, cursor)) break;
    if (attempt >= attempts) throw new RebuildFailed(`the live read models kept moving ahead of the rebuild (${attempts} attempts to swap)`);
  }
  report();
  return { events, position: cursor, elapsedMs: Date.now() - started };
}

/** Swaps all rebuilt projections in, or returns false (nothing changed) when a live one is ahead. */
async function swap(sql: SqlDriver, schema: string, projections: readonly Projection[], rebuilt: bigint): Promise<boolean> {
  return sql.transaction(async (tx) => {
    for (const projection of projections) {
      const live = await lockCheckpoint(tx, schema, projection.name);
      if (live.position > rebuilt) return false;
    }
    for (const projection of projections) {
      const fresh = rebuildSchemaOf(schema, projection.name);
      for (const table of projection.tables) {
        await tx.query(`drop table if exists ${schema}.${table} cascade`);
        await tx.query(`alter table ${fresh}.${table} set schema ${schema}`);
      }
      await tx.query(`drop schema ${fresh} cascade`);
      await tx.query(
        `update ${schema}.projection_checkpoints set position = $2::numeric, state = 'running', failed_position = null, error = null, updated_at = now() where name = $1`,
        [projection.name, rebuilt.toString()],
      );
    }
    return true;
  });
}
