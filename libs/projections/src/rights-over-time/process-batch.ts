/**
 * The rows of the rights-over-time projection that one batch can read or change, loaded in a few
 * SELECTs up front, changed in memory by the fold (rights-over-time.projection.ts) and written back
 * with one multi-row statement per table (values as one JSON parameter, rows.ts's recordsOf).
 *
 * Loaded, and so known exactly while folding:
 * - `process_applications`: the batch's applications, and (for its logins) the users' approved ones;
 * - `process_last_logins`: of every user those applications or logins name;
 * - `process_work`: `supersede:<id>` and `expire:<id>` of those applications and of the ones they replace
 *   (every work row of an application is keyed so);
 * - `notices`: the pending reminders (`expiry-in-*`) of those applications, the only notices ever
 *   changed after their insert. Any other notice is inserted or left as it is (insert-or-nothing).
 */
import type { Term } from '@atlauja/domain';
import type { SqlExecutor } from '@atlauja/event-store';
import { POSITION_SQL_TYPE } from '../positions';
import { recordsOf, rowsParameter, type Column } from '../rows';

/** A timestamptz as an ISO instant in UTC, whatever the session's TimeZone (text output would depend on it). */
import { isoText as iso } from '../sql-time';
export { iso };

export interface ProcessApplication {
  application_id: string;
  institution: string;
  kind: string;
  personal_code: string;
  term: Term;
  replaces: string | null;
  status: string;
  approved_at: string | null;
}

export interface WorkRow {
  work_id: string;
  kind: string;
  application_id: string;
  by_application: string | null;
  reason: string | null;
  due_at: string;
  status: string;
  outcome: string | null;
  recorded_position: string;
  done_at: string | null;
}

export interface NoticeRow {
  notice_id: string;
  recipient_kind: string;
  recipient_id: string;
  kind: string;
  application_id: string;
  institution: string;
  due_at: string;
  created_at: string;
  status: string;
  /** The position of the event that created the notice; never changed after (a cancellation keeps it). */
  recorded_position: string;
}

export interface ProcessBatchKeys {
  /** The applications the batch's events belong to. */
  applicationIds: string[];
  /** Applications the batch's drafts replace (their supersede work). */
  replaced: string[];
  /** Users named by the batch's drafts, edits and logins. */
  personalCodes: string[];
  /** Users who logged in in the batch (their approved applications may slide). */
  loginCodes: string[];
}

const isReminder = (kind: string): boolean => kind.startsWith('expiry-in-');

export class ProcessBatch {
  readonly applications = new Map<string, ProcessApplication>();
  readonly lastLogins = new Map<string, string>();
  readonly work = new Map<string, WorkRow>();
  /** Notices known to the batch: the loaded pending reminders and every notice it inserted. */
  readonly notices = new Map<string, NoticeRow>();
  /** Pending reminders by application (loaded or inserted by the batch). */
  private readonly reminders = new Map<string, Set<string>>();
  readonly changedApplications = new Set<string>();
  readonly changedLastLogins = new Set<string>();
  readonly changedWork = new Set<string>();
  readonly changedNotices = new Set<string>();

  putApplication(row: ProcessApplication): void {
    this.applications.set(row.application_id, row);
    this.changedApplications.add(row.application_id);
  }

  putLastLogin(personalCode: string, at: string): void {
    this.lastLogins.set(personalCode, at);
    this.changedLastLogins.add(personalCode);
  }

  putWork(row: WorkRow): void {
    this.work.set(row.work_id, row);
    this.changedWork.add(row.work_id);
  }

  /** A loaded pending reminder. */
  knowNotice(row: NoticeRow): void {
    this.notices.set(row.notice_id, row);
    if (row.status === 'pending' && isReminder(row.kind)) this.reminderSet(row.application_id).add(row.notice_id);
  }

  /**
   * Insert-or-nothing. A notice the batch does not know may exist unloaded only if it is not a
   * pending reminder (those of the batch's applications are all loaded), and such a row is never
   * changed again: the write-back inserts it or, for a cancellation, sets a status it already has.
   */
  insertNotice(row: NoticeRow): void {
    if (this.notices.has(row.notice_id)) return;
    this.notices.set(row.notice_id, row);
    this.changedNotices.add(row.notice_id);
    if (isReminder(row.kind)) this.reminderSet(row.application_id).add(row.notice_id);
  }

  /** Cancels the application's pending reminders the predicate picks. */
  cancelReminders(applicationId: string, which: (noticeId: string) => boolean): void {
    const pending = this.reminders.get(applicationId);
    if (pending === undefined) return;
    for (const noticeId of [...pending]) {
      if (!which(noticeId)) continue;
      this.notices.set(noticeId, { ...this.notices.get(noticeId)!, status: 'cancelled' });
      this.changedNotices.add(noticeId);
      pending.delete(noticeId);
    }
  }

  private reminderSet(applicationId: string): Set<string> {
    let set = this.reminders.get(applicationId);
    if (set === undefined) {
      set = new Set();
      this.reminders.set(applicationId, set);
    }
    return set;
  }
}

// As in rows.ts: `= any(array(...))` is evaluated once and matched through the column's index; an
// `in (select ...)` semi-join let the planner choose a sequential scan, which grows with the table
// (a rebuild's fresh tables have no statistics): 1,460 events/s at 60k events, 11,800 after.
const inList = (column: string): string => `${column} = any(array(select jsonb_array_elements_text($1::jsonb)))`;

const APPLICATION_COLUMNS = `application_id, institution, kind, personal_code, term, replaces, status, ${iso('approved_at')} as approved_at`;

export async function loadProcessBatch(tx: SqlExecutor, s: string, keys: ProcessBatchKeys): Promise<ProcessBatch> {
  const b = new ProcessBatch();
  if (keys.applicationIds.length > 0) {
    const rows = await tx.query<ProcessApplication>(`select ${APPLICATION_COLUMNS} from ${s}.process_applications where ${inList('application_id')}`, [JSON.stringify(keys.applicationIds)]);
    for (const row of rows) b.applications.set(row.application_id, row);
  }
  if (keys.loginCodes.length > 0) {
    // Those a login can move (the partial index on personal_code where approved); the batch's own are loaded above.
    const rows = await tx.query<ProcessApplication>(
      `select ${APPLICATION_COLUMNS} from ${s}.process_applications where ${inList('personal_code')} and status = 'approved'`,
      [JSON.stringify(keys.loginCodes)],
    );
    for (const row of rows) if (!b.applications.has(row.application_id)) b.applications.set(row.application_id, row);
  }
  const ids = new Set([...keys.applicationIds, ...b.applications.keys()]);
  const codes = new Set(keys.personalCodes);
  const withWork = new Set([...ids, ...keys.replaced]);
  for (const app of b.applications.values()) {
    codes.add(app.personal_code);
    if (app.replaces !== null) withWork.add(app.replaces);
  }
  if (codes.size > 0) {
    const rows = await tx.query<{ personal_code: string; at: string }>(`select personal_code, ${iso('last_login_at')} as at from ${s}.process_last_logins where ${inList('personal_code')}`, [
      JSON.stringify([...codes]),
    ]);
    for (const row of rows) b.lastLogins.set(row.personal_code, row.at);
  }
  if (withWork.size > 0) {
    const workIds = [...withWork].flatMap((id) => [`supersede:${id}`, `expire:${id}`]);
    const rows = await tx.query<WorkRow>(
      `select work_id, kind, application_id, by_application, reason, ${iso('due_at')} as due_at, status, outcome, recorded_position::text as recorded_position, ${iso('done_at')} as done_at
         from ${s}.process_work where ${inList('work_id')}`,
      [JSON.stringify(workIds)],
    );
    for (const row of rows) b.work.set(row.work_id, row);
  }
  if (ids.size > 0) {
    const rows = await tx.query<NoticeRow>(
      `select notice_id, recipient_kind, recipient_id, kind, application_id, institution, ${iso('due_at')} as due_at, ${iso('created_at')} as created_at, status, recorded_position::text as recorded_position
         from ${s}.notices where ${inList('application_id')} and kind like 'expiry-in-%' and status = 'pending'`,
      [JSON.stringify([...ids])],
    );
    for (const row of rows) b.knowNotice(row);
  }
  return b;
}

const rowsOf = <T>(map: Map<string, T>, keys: Set<string>): T[] => [...keys].map((k) => map.get(k)!);

const column = (definition: string): Column => {
  const [name, ...type] = definition.split(' ');
  return { name, type: type.join(' ') };
};
const APPLICATION_RECORD = ['application_id text', 'institution text', 'kind text', 'personal_code text', 'term jsonb', 'replaces text', 'status text', 'approved_at timestamptz'].map(column);
const LAST_LOGIN_RECORD = ['personal_code text', 'last_login_at timestamptz'].map(column);
const WORK_RECORD = ['work_id text', 'kind text', 'application_id text', 'by_application text', 'reason text', 'due_at timestamptz', 'status text', 'outcome text',
  `recorded_position ${POSITION_SQL_TYPE}`, 'done_at timestamptz'].map(column);
const NOTICE_RECORD = ['notice_id text', 'recipient_kind text', 'recipient_id text', 'kind text', 'application_id text', 'institution text', 'due_at timestamptz',
  'created_at timestamptz', 'status text', `recorded_position ${POSITION_SQL_TYPE}`].map(column);

export async function writeProcessBatch(tx: SqlExecutor, s: string, b: ProcessBatch): Promise<void> {
  if (b.changedApplications.size > 0) {
    await tx.query(
      `insert into ${s}.process_applications (application_id, institution, kind, personal_code, term, replaces, status, approved_at)
       ${recordsOf(APPLICATION_RECORD)}
       on conflict (application_id) do update set institution = excluded.institution, kind = excluded.kind, personal_code = excluded.personal_code, term = excluded.term,
         replaces = excluded.replaces, status = excluded.status, approved_at = excluded.approved_at`,
      [rowsParameter(APPLICATION_RECORD, rowsOf(b.applications, b.changedApplications))],
    );
  }
  if (b.changedLastLogins.size > 0) {
    await tx.query(
      `insert into ${s}.process_last_logins (personal_code, last_login_at)
       ${recordsOf(LAST_LOGIN_RECORD)}
       on conflict (personal_code) do update set last_login_at = greatest(${s}.process_last_logins.last_login_at, excluded.last_login_at)`,
      [rowsParameter(LAST_LOGIN_RECORD, [...b.changedLastLogins].map((personal_code) => ({ personal_code, last_login_at: b.lastLogins.get(personal_code) })))],
    );
  }
  if (b.changedWork.size > 0) {
    await tx.query(
      `insert into ${s}.process_work (work_id, kind, application_id, by_application, reason, due_at, status, outcome, recorded_position, done_at)
       ${recordsOf(WORK_RECORD)}
       on conflict (work_id) do update set kind = excluded.kind, application_id = excluded.application_id, by_application = excluded.by_application, reason = excluded.reason,
         due_at = excluded.due_at, status = excluded.status, outcome = excluded.outcome, recorded_position = excluded.recorded_position, done_at = excluded.done_at`,
      [rowsParameter(WORK_RECORD, rowsOf(b.work, b.changedWork))],
    );
  }
  if (b.changedNotices.size > 0) {
    // New notices are inserted (an existing one kept as it is); the only change to an existing one is a cancellation.
    await tx.query(
      `insert into ${s}.notices (notice_id, recipient_kind, recipient_id, kind, application_id, institution, due_at, created_at, status, recorded_position)
       ${recordsOf(NOTICE_RECORD)}
       on conflict (notice_id) do update set status = 'cancelled' where excluded.status = 'cancelled'`,
      [rowsParameter(NOTICE_RECORD, rowsOf(b.notices, b.changedNotices))],
    );
  }
}
