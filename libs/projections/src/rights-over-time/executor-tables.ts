/**
 * The executor's own tables, beside the projection's in the read-model schema but not the
 * projection's: they record what the executor did, which the log does not say, so a rebuild (which
 * replaces only `rightsOverTime.tables`) must never forget them.
 * - `process_outcomes`: per work id (`supersede:<id>`, `expire:<id>`), the executor's outcome
 *   (`performed`, `already-done`) and when, or its failed attempts and last error;
 * - `notice_deliveries`: per notice id (`<application>:<kind>[:<last day>]:<recipient kind>`), the
 *   delivery: `delivering` (claimed by one executor until `claimed_until`), `pending` (a retry is
 *   due at `next_attempt_at`), `delivered`, `failed`; attempts and the last error.
 * Both are keyed by the projection's deterministic ids, so a rebuilt projection joins them again.
 * Created by the executor itself (`ensureProcessExecutorTables`, as its process starts and again on
 * its first tick if that failed), never by a rebuild, and never dropped.
 */
import type { SqlDriver, SqlExecutor } from '@atlauja/event-store';

export const PROCESS_EXECUTOR_TABLES = ['process_outcomes', 'notice_deliveries'] as const;

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
       claimed_until timestamptz
     )`,
  ];
}

/**
 * What the executor's DDL would find, in one statement on the catalogs (information_schema's views
 * cost hundreds of milliseconds cold on PGlite, and every start asks): whether its tables exist, and
 * whether the projection's tables still carry the earlier executor's bookkeeping columns.
 */
async function tablesState(tx: SqlExecutor, schema: string): Promise<{ ready: boolean; noticeColumns: boolean; workColumns: boolean }> {
  const [row] = await tx.query<{ ready: boolean; notice_columns: boolean; work_columns: boolean }>(
    `select to_regclass($1::text) is not null and to_regclass($2::text) is not null as ready,
            exists (select 1 from pg_attribute where attrelid = to_regclass($3::text) and attname = 'delivered_at' and not attisdropped) as notice_columns,
            exists (select 1 from pg_attribute where attrelid = to_regclass($4::text) and attname = 'last_error' and not attisdropped) as work_columns`,
    [`${schema}.process_outcomes`, `${schema}.notice_deliveries`, `${schema}.notices`, `${schema}.process_work`],
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
