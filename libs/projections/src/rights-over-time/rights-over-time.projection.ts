/**
 * The rights-over-time process manager's projection: reads the log from its own checkpoint and, in
 * the same transaction as that checkpoint, records the work the log makes due (supersede the
 * application a change or termination replaces; expire at the end of the term), moves the sliding
 * term with every login, and puts notices in the outbox. It performs nothing itself: the executor
 * (process-executor.ts) does the due work through the domain, so a crash anywhere loses or doubles
 * nothing (the work row survives; a second supersede or expiry is refused by the domain).
 */
import { maskPersonalCode, type ApplicationEvent, type Term } from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { asApplicationEvent } from '../application-events';
import type { Projection } from '../projection';
import { isLoginStream, USER_AUTHENTICATED, type UserAuthenticatedData } from './logins';
import { PROCESS_TABLES, processDdl } from './process-tables';
import { expiryOf, remindersBefore } from './schedule';

/** A timestamptz as an ISO instant in UTC, whatever the session's TimeZone (text output would depend on it). */
export const iso = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

interface ProcessApplication {
  application_id: string;
  institution: string;
  kind: string;
  personal_code: string;
  term: Term;
  replaces: string | null;
  status: string;
  approved_at: string | null;
}

export type NoticeKind = 'approved' | 'rejected' | 'revoked' | 'expired' | 'expiry-in-30-days' | 'expiry-in-7-days';

/** Both recipients of a notice: the institution (registration number) and the user (masked code). */
async function notify(tx: SqlExecutor, s: string, app: ProcessApplication, kind: NoticeKind, dueAt: string, createdAt: string, key = kind): Promise<void> {
  const recipients: [string, string][] = [
    ['institution', app.institution],
    ['user', maskPersonalCode(app.personal_code)],
  ];
  for (const [recipientKind, recipientId] of recipients) {
    await tx.query(
      `insert into ${s}.notices (notice_id, recipient_kind, recipient_id, kind, application_id, institution, due_at, created_at, status)
       values ($1, $2, $3, $4, $5, $6, $7::timestamptz, $8::timestamptz, 'pending') on conflict (notice_id) do nothing`,
      [`${app.application_id}:${key}:${recipientKind}`, recipientKind, recipientId, kind, app.application_id, app.institution, dueAt, createdAt],
    );
  }
}

async function load(tx: SqlExecutor, s: string, id: string): Promise<ProcessApplication | null> {
  const rows = await tx.query<ProcessApplication>(
    `select application_id, institution, kind, personal_code, term, replaces, status, ${iso('approved_at')} as approved_at from ${s}.process_applications where application_id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

async function lastLoginOf(tx: SqlExecutor, s: string, personalCode: string): Promise<string | null> {
  const rows = await tx.query<{ at: string }>(`select ${iso('last_login_at')} as at from ${s}.process_last_logins where personal_code = $1`, [personalCode]);
  return rows[0]?.at ?? null;
}

/**
 * (Re)schedules the expiry and its reminders; the reminders for an earlier end are cancelled (one
 * already delivered stays delivered: the executor's record wins in the queries, and the executor
 * delivers only notices the outbox still has pending).
 */
async function scheduleExpiry(tx: SqlExecutor, s: string, app: ProcessApplication, lastLoginAt: string | null, scheduledAt: string, position: string): Promise<void> {
  const expiry = expiryOf(app.term, app.approved_at!, lastLoginAt);
  await tx.query(
    `insert into ${s}.process_work (work_id, kind, application_id, reason, due_at, status, recorded_position)
     values ($1, 'expire', $2, $3, $4::timestamptz, 'pending', $5::numeric)
     on conflict (work_id) do update set due_at = excluded.due_at, reason = excluded.reason, recorded_position = excluded.recorded_position
       where ${s}.process_work.status = 'pending'`,
    [`expire:${app.application_id}`, app.application_id, expiry.reason, expiry.dueAt, position],
  );
  await tx.query(
    `update ${s}.notices set status = 'cancelled' where application_id = $1 and kind like 'expiry-in-%' and status = 'pending' and notice_id not like $2`,
    [app.application_id, `%:${expiry.lastDay}:%`],
  );
  for (const reminder of remindersBefore(expiry, scheduledAt)) {
    // Keyed by the last day: a login that moves the end gives new reminders, the same end never twice.
    await notify(tx, s, app, reminder.kind, reminder.dueAt, scheduledAt, `${reminder.kind}:${expiry.lastDay}` as NoticeKind);
  }
}

/**
 * The application's rights ended: its pending expiry and reminders are moot. Only the log decides
 * these columns (the executor's outcome is in its own table), so a rebuild writes the same.
 */
async function close(tx: SqlExecutor, s: string, id: string, at: string, outcome: string): Promise<void> {
  await tx.query(`update ${s}.process_applications set status = 'closed' where application_id = $1`, [id]);
  await tx.query(
    `update ${s}.process_work set status = 'done', outcome = $2, done_at = $3::timestamptz where application_id = $1 and status = 'pending'`,
    [id, outcome, at],
  );
  await tx.query(`update ${s}.notices set status = 'cancelled' where application_id = $1 and kind like 'expiry-in-%' and status = 'pending'`, [id]);
}

async function onApplicationEvent(tx: SqlExecutor, s: string, id: string, event: ApplicationEvent, position: string): Promise<void> {
  switch (event.type) {
    case 'ApplicationDrafted': {
      const d = event.data;
      await tx.query(
        `insert into ${s}.process_applications (application_id, institution, kind, personal_code, term, replaces, status)
         values ($1, $2, $3, $4, $5::jsonb, $6, 'open') on conflict (application_id) do nothing`,
        [id, d.institution, d.kind, d.user.personalCode, JSON.stringify(d.term), d.replaces ?? null],
      );
      return;
    }
    case 'DraftEdited': {
      const c = event.data.changes;
      if (c.user) await tx.query(`update ${s}.process_applications set personal_code = $2 where application_id = $1`, [id, c.user.personalCode]);
      if (c.term) await tx.query(`update ${s}.process_applications set term = $2::jsonb where application_id = $1`, [id, JSON.stringify(c.term)]);
      return;
    }
    case 'ApplicationApproved': {
      const at = event.data.approvedAt;
      await tx.query(`update ${s}.process_applications set status = 'approved', approved_at = $2::timestamptz where application_id = $1`, [id, at]);
      const app = await load(tx, s, id);
      if (app === null) return;
      app.approved_at = at;
      await notify(tx, s, app, 'approved', at, at);
      if (app.replaces !== null) {
        // The earlier application becomes superseded (a termination's too: its rights end here).
        await tx.query(
          `insert into ${s}.process_work (work_id, kind, application_id, by_application, due_at, status, recorded_position)
           values ($1, 'supersede', $2, $3, $4::timestamptz, 'pending', $5::numeric) on conflict (work_id) do nothing`,
          [`supersede:${app.replaces}`, app.replaces, id, at, position],
        );
      }
      // A termination grants nothing, so nothing of it can expire.
      if (app.kind !== 'termination') await scheduleExpiry(tx, s, app, await lastLoginOf(tx, s, app.personal_code), at, position);
      return;
    }
    case 'ApplicationRejected': {
      const app = await load(tx, s, id);
      if (app) await notify(tx, s, app, 'rejected', event.data.rejectedAt, event.data.rejectedAt);
      return;
    }
    case 'ApplicationRevoked': {
      const app = await load(tx, s, id);
      if (app) await notify(tx, s, app, 'revoked', event.data.revokedAt, event.data.revokedAt);
      return close(tx, s, id, event.data.revokedAt, 'cancelled:revoked');
    }
    case 'ApplicationExpired': {
      const app = await load(tx, s, id);
      if (app) await notify(tx, s, app, 'expired', event.data.expiredAt, event.data.expiredAt);
      return close(tx, s, id, event.data.expiredAt, 'expired');
    }
    case 'ApplicationSuperseded':
      return close(tx, s, id, event.data.supersededAt, 'superseded');
    case 'ApplicationEnded':
      return close(tx, s, id, event.data.endedAt, `cancelled:${event.data.cause}`);
    default:
      return;
  }
}

/** A login moves the end of every sliding term the user holds. */
async function onLogin(tx: SqlExecutor, s: string, login: UserAuthenticatedData, position: string): Promise<void> {
  const rows = await tx.query<{ at: string }>(
    `insert into ${s}.process_last_logins (personal_code, last_login_at) values ($1, $2::timestamptz)
     on conflict (personal_code) do update set last_login_at = greatest(${s}.process_last_logins.last_login_at, excluded.last_login_at)
     returning ${iso('last_login_at')} as at`,
    [login.personalCode, login.authenticatedAt],
  );
  const lastLoginAt = rows[0].at;
  const sliding = await tx.query<{ application_id: string }>(
    `select application_id from ${s}.process_applications where personal_code = $1 and status = 'approved' and kind <> 'termination' and term->>'kind' = 'after-last-login'`,
    [login.personalCode],
  );
  for (const { application_id } of sliding) {
    const app = await load(tx, s, application_id);
    if (app) await scheduleExpiry(tx, s, app, lastLoginAt, login.authenticatedAt, position);
  }
}

export const rightsOverTime: Projection = {
  name: 'rights_over_time',
  tables: PROCESS_TABLES,
  ddl: processDdl,
  async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of events) {
      const position = recorded.position.toString();
      if (recorded.type === USER_AUTHENTICATED && isLoginStream(recorded.stream)) {
        await onLogin(tx, schema, recorded.data as unknown as UserAuthenticatedData, position);
        continue;
      }
      const application = asApplicationEvent(recorded);
      if (application) await onApplicationEvent(tx, schema, application.applicationId, application.event, position);
    }
  },
};
