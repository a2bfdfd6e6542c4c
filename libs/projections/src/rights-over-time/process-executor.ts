/**
 * Performs the rights-over-time process's due work and delivers the outbox, one `tick(now)` at a
 * time. The api (local mode) and the worker (server mode) call it on an interval, and once at start,
 * so after downtime it catches up at once; tests call it with the time they choose.
 *
 * Before acting it waits until the process projection has read the whole log as of the tick: a
 * login that is in the log but not yet projected must move the term before anything expires.
 * Work goes through the domain (load -> fold -> decide -> append with the expected revision) as a
 * `system:` actor; a refusal because the application is no longer approved (superseded, expired,
 * revoked, ended meanwhile, or by an earlier run that crashed before marking it) means done.
 */
import { decide, DomainError, foldApplication, type ApplicationCommand, type ApplicationEvent, APPLICATION_EVENT_SCHEMA_VERSION, type ExpiryReason } from '@atlauja/domain';
import { WrongExpectedRevision, type EventStore, type SqlDriver } from '@atlauja/event-store';
import type { ProjectionProgress } from '../runner/projection-runner';
import type { Notice, NoticeDelivery } from './notice-delivery';
import { iso } from './rights-over-time.projection';
import { rigaInstantOf } from './riga-calendar';

export const PROCESS_ACTOR = { id: 'system:rights-over-time', role: 'system' } as const;
const PROCESS_PROJECTION = 'rights_over_time';
const CONFLICT_ATTEMPTS = 3;

export interface ProcessExecutorOptions {
  store: EventStore;
  sql: SqlDriver;
  schema: string;
  progress: ProjectionProgress;
  delivery: NoticeDelivery;
  /** How long a tick waits for the projection to reach the head of the log. */
  catchUpTimeoutMs?: number;
  /** Delivery attempts before a notice is failed. */
  maxDeliveryAttempts?: number;
  /** First retry delay; doubled on each further attempt. */
  retryBaseMs?: number;
  /** Tests only: called after an effect is appended and before the work is marked done (a crash there). */
  afterAppend?: (workId: string) => Promise<void> | void;
}

export interface TickReport {
  /** 'behind': the projection did not reach the head in time; nothing was done, the next tick tries again. */
  state: 'done' | 'behind';
  performed: string[];
  /** Work found already done by the domain (refused as no longer approved). */
  alreadyDone: string[];
  delivered: number;
  failed: number;
}

interface WorkRow {
  work_id: string;
  kind: 'supersede' | 'expire';
  application_id: string;
  by_application: string | null;
  reason: ExpiryReason | null;
}

interface NoticeRow {
  notice_id: string;
  recipient_kind: 'institution' | 'user';
  recipient_id: string;
  kind: string;
  application_id: string;
  institution: string;
  due_at: string;
  attempts: number;
}

/** The domain's word that the application is past this transition (its status no longer allows it). */
const isAlreadyDone = (error: unknown): boolean => error instanceof DomainError && error.code === 'TRANSITION_NOT_ALLOWED';

export class ProcessExecutor {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ProcessExecutorOptions) {}

  private get s(): string {
    return this.options.schema;
  }

  /** One pass; passes are serialized in this process (a timer tick and a test's tick never overlap). */
  tick(now: Date): Promise<TickReport> {
    const pass = this.running.then(() => this.pass(now));
    this.running = pass.catch(() => undefined);
    return pass;
  }

  /** Whether the process projection has read the log up to its head now. */
  private async caughtUp(): Promise<boolean> {
    const head = await this.options.store.headPosition();
    return head === 0n || (await this.options.progress.waitForPosition(head, this.options.catchUpTimeoutMs ?? 10_000, [PROCESS_PROJECTION])) === 'reached';
  }

  private async pass(now: Date): Promise<TickReport> {
    const report: TickReport = { state: 'done', performed: [], alreadyDone: [], delivered: 0, failed: 0 };
    if (!(await this.caughtUp())) return { ...report, state: 'behind' };
    const due = await this.options.sql.query<WorkRow>(
      `select work_id, kind, application_id, by_application, reason from ${this.s}.process_work
        where status = 'pending' and due_at <= $1::timestamptz order by due_at, work_id`,
      [now.toISOString()],
    );
    for (const work of due) {
      try {
        const performed = await this.perform(work, now);
        if (performed) await this.options.afterAppend?.(work.work_id);
        (performed ? report.performed : report.alreadyDone).push(work.work_id);
        await this.options.sql.query(
          `update ${this.s}.process_work set status = 'done', outcome = coalesce(outcome, $2), done_at = coalesce(done_at, $3::timestamptz) where work_id = $1`,
          [work.work_id, performed ? 'performed' : 'already-done', now.toISOString()],
        );
      } catch (error) {
        if (error instanceof SimulatedCrash) throw error; // a test stopping the process here: no bookkeeping at all
        // Left pending: the next tick tries again. The message names codes and ids, never a personal code.
        await this.options.sql.query(`update ${this.s}.process_work set attempts = attempts + 1, last_error = $2 where work_id = $1`, [
          work.work_id,
          error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'unknown error',
        ]);
      }
    }
    // The effects just appended put their own notices (expired) in the outbox: send them in this pass.
    if (report.performed.length > 0 && !(await this.caughtUp())) return report;
    await this.deliverNotices(now, report);
    return report;
  }

  /** True when this pass appended the effect; false when the domain says it is already past it. */
  private async perform(work: WorkRow, now: Date): Promise<boolean> {
    const stream = `application-${work.application_id}`;
    for (let attempt = 1; ; attempt++) {
      const read = await this.options.store.readStream(stream);
      if (!read.found) return false;
      const state = foldApplication(read.events.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent));
      const at = rigaInstantOf(now);
      const base = { applicationId: work.application_id, actor: PROCESS_ACTOR, at };
      const command: ApplicationCommand =
        work.kind === 'supersede' ? { ...base, type: 'SupersedeApplication', supersededBy: work.by_application! } : { ...base, type: 'ExpireApplication', reason: work.reason! };
      let events: ApplicationEvent[];
      try {
        events = decide(command, state);
      } catch (error) {
        if (isAlreadyDone(error)) return false;
        throw error;
      }
      try {
        await this.options.store.append(
          stream,
          events.map((e) => ({
            type: e.type,
            data: e.data,
            metadata: { actor: PROCESS_ACTOR.id, correlationId: work.work_id, occurredAt: at, schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[e.type] },
          })),
          read.events[read.events.length - 1].revision,
        );
        return true;
      } catch (error) {
        // Someone else appended meanwhile (a revocation, another executor): read again, decide again.
        if (!(error instanceof WrongExpectedRevision) || attempt >= CONFLICT_ATTEMPTS) throw error;
      }
    }
  }

  private async deliverNotices(now: Date, report: TickReport): Promise<void> {
    const maxAttempts = this.options.maxDeliveryAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 60_000;
    const due = await this.options.sql.query<NoticeRow>(
      `select notice_id, recipient_kind, recipient_id, kind, application_id, institution, ${iso('due_at')} as due_at, attempts from ${this.s}.notices
        where status = 'pending' and due_at <= $1::timestamptz and (next_attempt_at is null or next_attempt_at <= $1::timestamptz)
        order by due_at, notice_id limit 500`,
      [now.toISOString()],
    );
    for (const row of due) {
      const notice: Notice = {
        noticeId: row.notice_id,
        recipient: { kind: row.recipient_kind, id: row.recipient_id },
        kind: row.kind,
        applicationId: row.application_id,
        institution: row.institution,
        dueAt: row.due_at,
      };
      try {
        await this.options.delivery.deliver(notice, now);
        await this.options.sql.query(`update ${this.s}.notices set status = 'delivered', attempts = attempts + 1, delivered_at = $2::timestamptz, last_error = null where notice_id = $1`, [
          row.notice_id,
          now.toISOString(),
        ]);
        report.delivered++;
      } catch (error) {
        const attempts = row.attempts + 1;
        const failed = attempts >= maxAttempts;
        await this.options.sql.query(
          `update ${this.s}.notices set attempts = $2, status = $3, last_error = $4, next_attempt_at = $5::timestamptz where notice_id = $1`,
          [row.notice_id, attempts, failed ? 'failed' : 'pending', error instanceof Error ? error.message.slice(0, 500) : 'delivery failed', new Date(now.getTime() + base * 2 ** (attempts - 1)).toISOString()],
        );
        if (failed) report.failed++;
      }
    }
  }
}

/** What a test throws from `afterAppend` to stop the executor between the effect and its bookkeeping. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'SimulatedCrash';
  }
}
