/**
 * The executor's own tables, beside the projection's in the read-model schema but not the
 * projection's: they record what the executor did, which the log does not say, so a rebuild (which
 * replaces only `rightsOverTime.tables`) must never forget them.
 * - `process_outcomes`: per work id (`supersede:<id>`, `expire:<id>`), the executor's outcome
 *   (`performed`, `already-done`) and when, or its failed attempts and last error;
 * - `notice_deliveries`: the executor's queue, per notice id
 *   (`<application>:<kind>[:<last day>]:<recipient kind>`) with the notice's `due_at`: `pending`
 *   (taken in from the outbox, or a retry due at `next_attempt_at`), `delivering` (claimed by one
 *   executor until `claimed_until`), then settled: `delivered`, `failed`, or `cancelled` (the log
 *   cancelled it before it went out); attempts and the last error. Only unsettled rows are indexed
 *   for the due query, and failed ones for the metrics, so neither's cost follows every notice ever
 *   delivered;
 * - `notice_intake`: one row, the highest outbox position (`notices.recorded_position`) taken into
 *   the queue; null until the first intake, which takes every notice.
 * The first two are keyed by the projection's deterministic ids, so a rebuilt projection joins them again.
 * Created by the executor itself (`ensureProcessExecutorTables`, as its process starts and again on
 * its first tick if that failed), never by a rebuild, and never dropped.
 */
import type { SqlDriver, SqlExecutor } from '@atlauja/event-store';
import { POSITION_SQL_TYPE } from '../positions';

export const PROCESS_EXECUTOR_TABLES = ['process_outcomes', 'notice_deliveries', 'notice_intake'] as const;

/** Advisory lock class for the executor's DDL ("rotx"); the second key is hashtext(schema). */
const EXECUTOR_DDL_LOCK_CLASS = 0x726f7478;

export function processExecutorDdl(schema: string): string[] {
  return [
    // A rebuild may be the first thing to touch a new read-model database.
    `create schema if not exists ${schema}`,
    `create table if not exists ${schema}.process_outcomes (
       work_id text primary key,
       outcome text,
       done_at timestamptz,
       attempts integer not null default 0,
       last_error text
     )`,
    `create table if not exists ${schema}.notice_deliveries (
       notice_id text primary key,
       status text not null,
       attempts integer not null default 0,
       last_error text,
       next_attempt_at timestamptz,
       delivered_at timestamptz,
       claimed_by text,
       claimed_until timestamptz,
       due_at timestamptz
     )`,
    // A queue created before it carried due times: the intake fills them in for unsettled rows.
    `alter table ${schema}.notice_deliveries add column if not exists due_at timestamptz`,
    `create index if not exists notice_deliveries_unsettled on ${schema}.notice_deliveries (due_at, notice_id) where status in ('pending', 'delivering')`,
    // The notices that failed for good, counted at every metrics scrape without reading the delivered ones.
    `create index if not exists notice_deliveries_failed on ${schema}.notice_deliveries (notice_id) where status = 'failed'`,
    `create table if not exists ${schema}.notice_intake (
       only_row boolean primary key default true check (only_row),
       taken_through ${POSITION_SQL_TYPE}
     )`,
    `insert into ${schema}.notice_intake (only_row, taken_through) values (true, null) on conflict (only_row) do nothing`,
  ];
}

/**
 * What the executor's DDL would find, in one statement on the catalogs (information_schema's views
 * cost hundreds of milliseconds cold on PGlite, and every start asks): whether its tables exist, and
 * whether the projection's tables still carry the earlier executor's bookkeeping columns.
 */
async function tablesState(tx: SqlExecutor, schema: string): Promise<{ ready: boolean; noticeColumns: boolean; workColumns: boolean }> {
  const [row] = await tx.query<{ ready: boolean; notice_columns: boolean; work_columns: boolean }>(
    // The intake table follows the queue's due_at and unsettled index in the DDL: where it exists, they
    // do too. The failed index came later, so it is asked after by name.
    `select to_regclass($1::text) is not null and to_regclass($2::text) is not null and to_regclass($5::text) is not null
            and to_regclass($6::text) is not null as ready,
            exists (select 1 from pg_attribute where attrelid = to_regclass($3::text) and attname = 'delivered_at' and not attisdropped) as notice_columns,
            exists (select 1 from pg_attribute where attrelid = to_regclass($4::text) and attname = 'last_error' and not attisdropped) as work_columns`,
    [`${schema}.process_outcomes`, `${schema}.notice_deliveries`, `${schema}.notices`, `${schema}.process_work`, `${schema}.notice_intake`, `${schema}.notice_deliveries_failed`],
  );
  return { ready: row.ready, noticeColumns: row.notice_columns, workColumns: row.work_columns };
}

/**
 * Creates the executor's tables if missing (safe against two executors starting at once). A schema
 * written by the earlier executor, which kept its bookkeeping in columns of the projection's tables,
 * has that bookkeeping copied over (existing rows win), so the next rebuild forgets nothing. When the
 * tables exist and no such column is left (every start but the first), one read says so and nothing
 * is written.
 */
export async function ensureProcessExecutorTables(sql: SqlDriver, schema: string): Promise<void> {
  const seen = await tablesState(sql, schema);
  if (seen.ready && !seen.noticeColumns && !seen.workColumns) return;
  await sql.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2::text))', [EXECUTOR_DDL_LOCK_CLASS, schema]);
    for (const statement of processExecutorDdl(schema)) await tx.query(statement);
    const state = await tablesState(tx, schema);
    if (state.noticeColumns) {
      await tx.query(
        `insert into ${schema}.notice_deliveries (notice_id, status, attempts, last_error, next_attempt_at, delivered_at)
         select notice_id, case when status in ('delivered', 'failed') then status else 'pending' end, attempts, last_error, next_attempt_at, delivered_at
           from ${schema}.notices where status in ('delivered', 'failed') or attempts > 0
         on conflict (notice_id) do nothing`,
      );
    }
    if (state.workColumns) {
      await tx.query(
        `insert into ${schema}.process_outcomes (work_id, outcome, done_at, attempts, last_error)
         select work_id, case when outcome in ('performed', 'already-done') then outcome end, case when outcome in ('performed', 'already-done') then done_at end, attempts, last_error
           from ${schema}.process_work where outcome in ('performed', 'already-done') or attempts > 0
         on conflict (work_id) do nothing`,
      );
    }
  });
}

/**
 * Records the outbox's notices as an installation's executor would have left them, for a log
 * assembled outside the service (the bench's copies of one lifecycle): those due by `now` delivered,
 * the later ones queued, the intake position at the last of them. Without it the first ticks after a
 * start would deliver every copy's notices, a backlog no running installation has.
 */
export async function markNoticesDelivered(sql: SqlDriver, schema: string, now: Date): Promise<void> {
  await ensureProcessExecutorTables(sql, schema);
  await sql.transaction(async (tx) => {
    await tx.query(
      `insert into ${schema}.notice_deliveries (notice_id, status, attempts, delivered_at, due_at)
       select notice_id, case when due_at <= $1::timestamptz then 'delivered' else 'pending' end,
              case when due_at <= $1::timestamptz then 1 else 0 end, case when due_at <= $1::timestamptz then due_at end, due_at
         from ${schema}.notices where status = 'pending'
       on conflict (notice_id) do nothing`,
      [now.toISOString()],
    );
    await tx.query(
      `insert into ${schema}.notice_intake as i (only_row, taken_through) select true, max(recorded_position) from ${schema}.notices
       on conflict (only_row) do update set taken_through = greatest(i.taken_through, excluded.taken_through)`,
    );
  });
}
