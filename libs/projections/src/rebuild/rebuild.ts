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
 *
 * The replay reads the next page while it applies the current one (on PostgreSQL the read runs on
 * another connection, so the two overlap), and applies a page to every projection in one
 * transaction. The fresh tables need no checkpoints on the way: a rebuild that stops is started
 * again from position 0 (its leftovers are dropped first). They are filled without the indexes only
 * queries use, which are built once the replay is done (a sort each, not row-by-row maintenance).
 */
import type { EventStore, RecordedEvent, SqlDriver } from '@atlauja/event-store';
import { createQueryIndexes, ensureReadModels, lockCheckpoints } from '../checkpoints';
import { redactPersonalCodes } from '../personal-data';
import type { Projection } from '../projection';
import { isTransient } from '../runner/transient';
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
    await ensureReadModels(sql, fresh, [projection], { queryIndexes: false });
  }

  const head = await store.headPosition();
  let cursor = 0n;
  let events = 0;
  const report = (): void => options.onProgress?.({ events, position: cursor, head, elapsedMs: Date.now() - started });

  /** Replays into the fresh tables up to `target` (or the end of the log). */
  const catchUp = async (target: bigint | null): Promise<void> => {
    let next = store.readAll(cursor, pageSize);
    try {
      for (;;) {
        const page = await next;
        if (page.length === 0) return;
        const last = page[page.length - 1].position;
        const done = target !== null && last >= target;
        if (!done) next = store.readAll(last, pageSize);
        await applyPage(sql, schema, projections, page);
        cursor = last;
        events += page.length;
        report();
        if (done) return;
      }
    } finally {
      next.catch(() => undefined); // a page read ahead and not needed
    }
  };

  report();
  await catchUp(head);
  for (const projection of projections) await createQueryIndexes(sql, rebuildSchemaOf(schema, projection.name), projection);
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

/**
 * Settings of a page's transaction:
 * - the commit does not wait for the disk (on PostgreSQL a flush per page was a sixth of the replay):
 *   a rebuild that stops is started again from position 0, and the swap, a commit that does wait,
 *   makes everything written before it durable;
 * - no sequential scans: every statement of a page finds its rows by a key, but the fresh tables have
 *   no statistics yet, and the planner, guessing them small, scanned whole tables for the batches'
 *   key lookups, a cost that grows with the table, page after page.
 */
const PAGE_SETTINGS = `select set_config('synchronous_commit', 'off', true), set_config('enable_seqscan', 'off', true)`;

/** One page into every projection's fresh tables, in one transaction; on a failure, which projection and event. */
async function applyPage(sql: SqlDriver, schema: string, projections: readonly Projection[], page: readonly RecordedEvent[]): Promise<void> {
  try {
    await sql.transaction(async (tx) => {
      await tx.query(PAGE_SETTINGS);
      for (const projection of projections) await projection.applyBatch(tx, rebuildSchemaOf(schema, projection.name), page);
    });
    return;
  } catch (error) {
    if (isTransient(error)) throw error;
  }
  // Nothing of the page was applied: find the event that fails, one projection and one event at a time.
  for (const projection of projections) {
    for (const event of page) {
      try {
        await sql.transaction((tx) => projection.applyBatch(tx, rebuildSchemaOf(schema, projection.name), [event]));
      } catch (error) {
        if (isTransient(error)) throw error;
        const reason = redactPersonalCodes(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
        throw new RebuildFailed(`rebuild of ${projection.name} stopped at position ${event.position}: ${reason}`);
      }
    }
  }
  throw new RebuildFailed('a page failed as a whole but each of its events applied alone');
}

/** Swaps all rebuilt projections in, or returns false (nothing changed) when a live one is ahead. */
async function swap(sql: SqlDriver, schema: string, projections: readonly Projection[], rebuilt: bigint): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const live = await lockCheckpoints(tx, schema, projections.map((p) => p.name));
    if ([...live.values()].some((checkpoint) => checkpoint.position > rebuilt)) return false;
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
