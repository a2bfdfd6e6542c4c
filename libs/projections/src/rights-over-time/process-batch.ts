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
import { insertRows, loadRowsWhere, upsertRows } from '../rows';
import { LAST_LOGINS_TABLE, NOTICES_TABLE, PROCESS_APPLICATIONS_TABLE, WORK_TABLE } from './process-tables';

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

export async function loadProcessBatch(tx: SqlExecutor, s: string, keys: ProcessBatchKeys): Promise<ProcessBatch> {
  const b = new ProcessBatch();
  for (const row of await loadRowsWhere<ProcessApplication>(tx, s, PROCESS_APPLICATIONS_TABLE, 'application_id', keys.applicationIds)) b.applications.set(row.application_id, row);
  // Those a login can move (the partial index on personal_code where approved); the batch's own are loaded above.
  for (const row of await loadRowsWhere<ProcessApplication>(tx, s, PROCESS_APPLICATIONS_TABLE, 'personal_code', keys.loginCodes, `and status = 'approved'`)) {
    if (!b.applications.has(row.application_id)) b.applications.set(row.application_id, row);
  }
  const ids = new Set([...keys.applicationIds, ...b.applications.keys()]);
  const codes = new Set(keys.personalCodes);
  const withWork = new Set([...ids, ...keys.replaced]);
  for (const app of b.applications.values()) {
    codes.add(app.personal_code);
    if (app.replaces !== null) withWork.add(app.replaces);
  }
  for (const row of await loadRowsWhere<{ personal_code: string; last_login_at: string }>(tx, s, LAST_LOGINS_TABLE, 'personal_code', [...codes])) {
    b.lastLogins.set(row.personal_code, row.last_login_at);
  }
  const workIds = [...withWork].flatMap((id) => [`supersede:${id}`, `expire:${id}`]);
  for (const row of await loadRowsWhere<WorkRow>(tx, s, WORK_TABLE, 'work_id', workIds)) b.work.set(row.work_id, row);
  const reminders = `and kind like 'expiry-in-%' and status = 'pending'`;
  for (const row of await loadRowsWhere<NoticeRow>(tx, s, NOTICES_TABLE, 'application_id', [...ids], reminders)) b.knowNotice(row);
  return b;
}

const rowsOf = <T>(map: Map<string, T>, keys: Set<string>): T[] => [...keys].map((k) => map.get(k)!);

export async function writeProcessBatch(tx: SqlExecutor, s: string, b: ProcessBatch): Promise<void> {
  await upsertRows(tx, s, PROCESS_APPLICATIONS_TABLE, rowsOf(b.applications, b.changedApplications));
  const logins = [...b.changedLastLogins].map((personal_code) => ({ personal_code, last_login_at: b.lastLogins.get(personal_code) }));
  await insertRows(tx, s, LAST_LOGINS_TABLE, logins, 'do update set last_login_at = greatest(t.last_login_at, excluded.last_login_at)');
  await upsertRows(tx, s, WORK_TABLE, rowsOf(b.work, b.changedWork));
  // New notices are inserted (an existing one kept as it is); the only change to an existing one is a cancellation.
  await insertRows(tx, s, NOTICES_TABLE, rowsOf(b.notices, b.changedNotices), `do update set status = 'cancelled' where excluded.status = 'cancelled'`);
}
