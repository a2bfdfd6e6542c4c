/**
 * The tables of the rights-over-time process's projection (swapped by a rebuild): what the log
 * implies, and nothing else.
 * - `process_applications`: what the process must know of each application (its user, term, kind);
 * - `process_last_logins`: the last portal login per user, the clock of the sliding term;
 * - `process_work`: the due work, one row per effect (`supersede:<id>`, `expire:<id>`); `status`
 *   `done` (with `outcome` and `done_at`) once the log shows the effect or the end of the rights;
 * - `notices`: the outbox of notices to institutions and users, `pending` or `cancelled` (a
 *   reminder for an end a login moved, or for rights that ended), with the log position that
 *   created each (`recorded_position`): the executor takes new notices into its queue by it.
 *
 * What the executor did (work performed, delivery outcome) is in its own tables
 * (executor-tables.ts), keyed by the same ids and joined by the queries: a rebuild replaces these
 * tables and leaves those, so it never resends a notice nor repeats an effect.
 */
import { POSITION_SQL_TYPE } from '../positions';

export const PROCESS_TABLES = ['process_applications', 'process_last_logins', 'process_work', 'notices'] as const;

export function processDdl(schema: string): string[] {
  return [
    `create table if not exists ${schema}.process_applications (
       application_id text primary key,
       institution text not null,
       kind text not null,
       personal_code text not null,
       term jsonb not null,
       replaces text,
       status text not null,
       approved_at timestamptz
     )`,
    `create index if not exists process_applications_person on ${schema}.process_applications (personal_code) where status = 'approved'`,
    `create table if not exists ${schema}.process_last_logins (
       personal_code text primary key,
       last_login_at timestamptz not null
     )`,
    `create table if not exists ${schema}.process_work (
       work_id text primary key,
       kind text not null,
       application_id text not null,
       by_application text,
       reason text,
       due_at timestamptz not null,
       status text not null,
       outcome text,
       recorded_position ${POSITION_SQL_TYPE} not null,
       done_at timestamptz
     )`,
    `create table if not exists ${schema}.notices (
       notice_id text primary key,
       recipient_kind text not null,
       recipient_id text not null,
       kind text not null,
       application_id text not null,
       institution text not null,
       due_at timestamptz not null,
       created_at timestamptz not null,
       status text not null,
       recorded_position ${POSITION_SQL_TYPE} not null
     )`,
    // A table created before notices carried their position gets the column with 0 for the notices it
    // holds (the log position of each is not in the read models); the next rebuild writes the real
    // ones. The executor takes every notice in on its first intake, so it does not depend on them.
    `alter table ${schema}.notices add column if not exists recorded_position ${POSITION_SQL_TYPE} not null default 0`,
    // A batch loads the pending reminders of the applications it touches.
    `create index if not exists notices_application on ${schema}.notices (application_id) where status = 'pending'`,
  ];
}

/** The executor's queries: due work, and the notices it has not taken into its queue yet. */
export function processQueryIndexes(schema: string): string[] {
  return [
    `create index if not exists process_work_due on ${schema}.process_work (due_at) where status = 'pending'`,
    `create index if not exists notices_recorded on ${schema}.notices (recorded_position)`,
    // Due notices are found in the executor's queue (executor-tables.ts), no longer here.
    `drop index if exists ${schema}.notices_due`,
  ];
}
