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
import { createTable, type RowTable } from '../rows';

export const PROCESS_APPLICATIONS_TABLE: RowTable = {
  table: 'process_applications',
  key: ['application_id'],
  columns: [
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'personal_code', type: 'text', notNull: true },
    { name: 'term', type: 'jsonb', notNull: true },
    { name: 'replaces', type: 'text' },
    { name: 'status', type: 'text', notNull: true },
    { name: 'approved_at', type: 'timestamptz' },
  ],
};

export const LAST_LOGINS_TABLE: RowTable = {
  table: 'process_last_logins',
  key: ['personal_code'],
  columns: [
    { name: 'personal_code', type: 'text', notNull: true },
    { name: 'last_login_at', type: 'timestamptz', notNull: true },
  ],
};

export const WORK_TABLE: RowTable = {
  table: 'process_work',
  key: ['work_id'],
  columns: [
    { name: 'work_id', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'by_application', type: 'text' },
    { name: 'reason', type: 'text' },
    { name: 'due_at', type: 'timestamptz', notNull: true },
    { name: 'status', type: 'text', notNull: true },
    { name: 'outcome', type: 'text' },
    { name: 'recorded_position', type: POSITION_SQL_TYPE, notNull: true },
    { name: 'done_at', type: 'timestamptz' },
  ],
};

export const NOTICES_TABLE: RowTable = {
  table: 'notices',
  key: ['notice_id'],
  columns: [
    { name: 'notice_id', type: 'text', notNull: true },
    { name: 'recipient_kind', type: 'text', notNull: true },
    { name: 'recipient_id', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
    { name: 'due_at', type: 'timestamptz', notNull: true },
    { name: 'created_at', type: 'timestamptz', notNull: true },
    { name: 'status', type: 'text', notNull: true },
    { name: 'recorded_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

export const PROCESS_TABLES = [PROCESS_APPLICATIONS_TABLE, LAST_LOGINS_TABLE, WORK_TABLE, NOTICES_TABLE].map((t) => t.table);

export function processDdl(schema: string): string[] {
  return [
    createTable(schema, PROCESS_APPLICATIONS_TABLE),
    `create index if not exists process_applications_person on ${schema}.process_applications (personal_code) where status = 'approved'`,
    createTable(schema, LAST_LOGINS_TABLE),
    createTable(schema, WORK_TABLE),
    createTable(schema, NOTICES_TABLE),
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
