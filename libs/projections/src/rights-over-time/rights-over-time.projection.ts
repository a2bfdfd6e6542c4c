/**
 * The rights-over-time process manager's projection: reads the log from its own checkpoint and, in
 * the same transaction as that checkpoint, records the work the log makes due (supersede the
 * application a change or termination replaces; expire at the end of the term), moves the sliding
 * term with every login, and puts notices in the outbox. It performs nothing itself: the executor
 * (process-executor.ts) does the due work through the domain, so a crash anywhere loses or doubles
 * nothing (the work row survives; a second supersede or expiry is refused by the domain).
 *
 * A batch is applied set-wise, as the other read models are: one SELECT per table of every row the
 * batch can read or change (process-batch.ts), the events folded in memory in log order with the
 * same rules the statement-per-event version had (each write below mirrors one of its statements:
 * insert-or-nothing, update-where-pending, cancel-the-other-reminders), then one multi-row upsert
 * per table. So the rows after a batch are those the statements would have left, a rebuild writes
 * what the live run did, and re-applying changes nothing.
 */
import { maskPersonalCode, type ApplicationEvent } from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { asApplicationEvent } from '../application-events';
import type { Projection } from '../projection';
import { isLoginStream, USER_AUTHENTICATED, type UserAuthenticatedData } from './logins';
import { loadProcessBatch, type ProcessApplication, type ProcessBatch, type ProcessBatchKeys, writeProcessBatch } from './process-batch';
import { PROCESS_TABLES, processDdl, processQueryIndexes } from './process-tables';
import { expiryOf, remindersBefore } from './schedule';

/** An instant as `isoText` reads it back from a timestamptz column (UTC, milliseconds). */
const isoOf = (instant: string): string => new Date(Date.parse(instant)).toISOString();

export type NoticeKind = 'approved' | 'rejected' | 'revoked' | 'expired' | 'expiry-in-30-days' | 'expiry-in-7-days';

/**
 * Both recipients of a notice: the institution (registration number) and the user (masked code),
 * recorded at the position of the event that creates it. Insert-or-nothing.
 */
function notify(b: ProcessBatch, app: ProcessApplication, kind: NoticeKind, dueAt: string, createdAt: string, position: string, key: string = kind): void {
  const recipients: [string, string][] = [
    ['institution', app.institution],
    ['user', maskPersonalCode(app.personal_code)],
  ];
  for (const [recipientKind, recipientId] of recipients) {
    b.insertNotice({
      notice_id: `${app.application_id}:${key}:${recipientKind}`,
      recipient_kind: recipientKind,
      recipient_id: recipientId,
      kind,
      application_id: app.application_id,
      institution: app.institution,
      due_at: dueAt,
      created_at: createdAt,
      status: 'pending',
      recorded_position: position,
    });
  }
}

/**
 * (Re)schedules the expiry and its reminders; the reminders for an earlier end are cancelled (one
 * already delivered stays delivered: the executor's record wins in the queries, and the executor
 * delivers only notices the outbox still has pending).
 */
function scheduleExpiry(b: ProcessBatch, app: ProcessApplication, approvedAt: string, lastLoginAt: string | null, scheduledAt: string, position: string): void {
  const expiry = expiryOf(app.term, approvedAt, lastLoginAt);
  const workId = `expire:${app.application_id}`;
  const work = b.work.get(workId);
  if (work === undefined) {
    b.putWork({ work_id: workId, kind: 'expire', application_id: app.application_id, by_application: null, reason: expiry.reason, due_at: expiry.dueAt, status: 'pending', outcome: null, recorded_position: position, done_at: null });
  } else if (work.status === 'pending') {
    b.putWork({ ...work, due_at: expiry.dueAt, reason: expiry.reason, recorded_position: position });
  }
  const current = `:${expiry.lastDay}:`;
  b.cancelReminders(app.application_id, (noticeId) => !noticeId.includes(current));
  for (const reminder of remindersBefore(expiry, scheduledAt)) {
    // Keyed by the last day: a login that moves the end gives new reminders, the same end never twice.
    notify(b, app, reminder.kind, reminder.dueAt, scheduledAt, position, `${reminder.kind}:${expiry.lastDay}`);
  }
}

/**
 * The application's rights ended: its pending expiry and reminders are moot. Only the log decides
 * these columns (the executor's outcome is in its own table), so a rebuild writes the same.
 */
function close(b: ProcessBatch, id: string, at: string, outcome: string): void {
  const app = b.applications.get(id);
  if (app) b.putApplication({ ...app, status: 'closed' });
  // Every work row of an application is keyed `<kind>:<application id>`.
  for (const workId of [`supersede:${id}`, `expire:${id}`]) {
    const work = b.work.get(workId);
    if (work !== undefined && work.status === 'pending') b.putWork({ ...work, status: 'done', outcome, done_at: at });
  }
  b.cancelReminders(id, () => true);
}

function onApplicationEvent(b: ProcessBatch, id: string, event: ApplicationEvent, position: string): void {
  switch (event.type) {
    case 'ApplicationDrafted': {
      const d = event.data;
      if (b.applications.has(id)) return;
      b.putApplication({ application_id: id, institution: d.institution, kind: d.kind, personal_code: d.user.personalCode, term: d.term, replaces: d.replaces ?? null, status: 'open', approved_at: null });
      return;
    }
    case 'DraftEdited': {
      const c = event.data.changes;
      const app = b.applications.get(id);
      if (app && (c.user || c.term)) b.putApplication({ ...app, personal_code: c.user ? c.user.personalCode : app.personal_code, term: c.term ?? app.term });
      return;
    }
    case 'ApplicationApproved': {
      const at = event.data.approvedAt;
      const loaded = b.applications.get(id);
      if (!loaded) return;
      const app: ProcessApplication = { ...loaded, status: 'approved', approved_at: at };
      b.putApplication(app);
      notify(b, app, 'approved', at, at, position);
      if (app.replaces !== null) {
        // The earlier application becomes superseded (a termination's too: its rights end here).
        const workId = `supersede:${app.replaces}`;
        if (!b.work.has(workId)) {
          b.putWork({ work_id: workId, kind: 'supersede', application_id: app.replaces, by_application: id, reason: null, due_at: at, status: 'pending', outcome: null, recorded_position: position, done_at: null });
        }
      }
      // A termination grants nothing, so nothing of it can expire.
      if (app.kind !== 'termination') scheduleExpiry(b, app, at, b.lastLogins.get(app.personal_code) ?? null, at, position);
      return;
    }
    case 'ApplicationRejected': {
      const app = b.applications.get(id);
      if (app) notify(b, app, 'rejected', event.data.rejectedAt, event.data.rejectedAt, position);
      return;
    }
    case 'ApplicationRevoked': {
      const app = b.applications.get(id);
      if (app) notify(b, app, 'revoked', event.data.revokedAt, event.data.revokedAt, position);
      return close(b, id, event.data.revokedAt, 'cancelled:revoked');
    }
    case 'ApplicationExpired': {
      const app = b.applications.get(id);
      if (app) notify(b, app, 'expired', event.data.expiredAt, event.data.expiredAt, position);
      return close(b, id, event.data.expiredAt, 'expired');
    }
    case 'ApplicationSuperseded':
      return close(b, id, event.data.supersededAt, 'superseded');
    case 'ApplicationEnded':
      return close(b, id, event.data.endedAt, `cancelled:${event.data.cause}`);
    default:
      return;
  }
}

/** Whether a login moves this application's end: approved, not a termination, on the sliding term. */
const isSliding = (app: ProcessApplication, personalCode: string): boolean =>
  app.personal_code === personalCode && app.status === 'approved' && app.kind !== 'termination' && app.term.kind === 'after-last-login';

/** A login moves the end of every sliding term the user holds. */
function onLogin(b: ProcessBatch, login: UserAuthenticatedData, position: string): void {
  const before = b.lastLogins.get(login.personalCode);
  // greatest(stored, this login), read back as isoText would.
  const lastLoginAt = before !== undefined && Date.parse(before) >= Date.parse(login.authenticatedAt) ? before : isoOf(login.authenticatedAt);
  b.putLastLogin(login.personalCode, lastLoginAt);
  for (const app of [...b.applications.values()]) {
    if (isSliding(app, login.personalCode)) scheduleExpiry(b, app, isoOf(app.approved_at!), lastLoginAt, login.authenticatedAt, position);
  }
}

interface Step {
  position: string;
  login?: UserAuthenticatedData;
  application?: { applicationId: string; event: ApplicationEvent };
}

/** What the batch can read: its applications (and those they replace), its users' approved applications, their work, reminders and logins. */
function keysOf(steps: readonly Step[]): ProcessBatchKeys {
  const applicationIds = new Set<string>();
  const replaced = new Set<string>();
  const personalCodes = new Set<string>();
  const loginCodes = new Set<string>();
  for (const step of steps) {
    if (step.login) {
      loginCodes.add(step.login.personalCode);
      personalCodes.add(step.login.personalCode);
      continue;
    }
    const { applicationId, event } = step.application!;
    applicationIds.add(applicationId);
    if (event.type === 'ApplicationDrafted') {
      personalCodes.add(event.data.user.personalCode);
      if (event.data.replaces) replaced.add(event.data.replaces);
    }
    if (event.type === 'DraftEdited' && event.data.changes.user) personalCodes.add(event.data.changes.user.personalCode);
  }
  return { applicationIds: [...applicationIds], replaced: [...replaced], personalCodes: [...personalCodes], loginCodes: [...loginCodes] };
}

export const rightsOverTime: Projection = {
  name: 'rights_over_time',
  tables: PROCESS_TABLES,
  ddl: processDdl,
  queryIndexes: processQueryIndexes,
  async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void> {
    const steps: Step[] = [];
    for (const recorded of events) {
      const position = recorded.position.toString();
      if (recorded.type === USER_AUTHENTICATED && isLoginStream(recorded.stream)) {
        steps.push({ position, login: recorded.data as unknown as UserAuthenticatedData });
        continue;
      }
      const application = asApplicationEvent(recorded);
      if (application) steps.push({ position, application });
    }
    if (steps.length === 0) return;
    const batch = await loadProcessBatch(tx, schema, keysOf(steps));
    for (const step of steps) {
      if (step.login) onLogin(batch, step.login, step.position);
      else onApplicationEvent(batch, step.application!.applicationId, step.application!.event, step.position);
    }
    await writeProcessBatch(tx, schema, batch);
  },
};
