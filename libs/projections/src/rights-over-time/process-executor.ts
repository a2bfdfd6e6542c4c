/**
 * Performs the rights-over-time process's due work and delivers the outbox, one `tick(now)` at a
 * time. The api (local mode) and the worker (server mode) call it on an interval, and once at start,
 * so after downtime it catches up at once; tests call it with the time they choose.
 *
 * Before acting it waits until the process projection has read the whole log as of the tick: a
 * login that is in the log but not yet projected must move the term before anything expires.
 * Work goes through the one command handler (the process entries of @atlauja/commands) as a
 * `system:` actor; a refusal because the application is no longer approved (superseded, expired,
 * revoked, ended meanwhile, or by an earlier run that crashed before marking it) means done.
 *
 * What it did is kept in its own tables (executor-tables.ts), not in the projection's: a rebuild
 * replaces the projection's tables and the executor still knows every notice it delivered and every
 * work it performed. Notices go through its own queue: each tick first takes the outbox's new
 * notices in (by their log position), then reads only the unsettled rows that are due, so the cost
 * of a tick follows what is left to send, not every notice ever sent. Each notice is claimed before
 * it is delivered (a conditional update of its queue row, `delivering` until a lease ends), so two
 * executors ticking at once deliver it once.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StreamNotFound } from '@atlauja/command-handler';
import { APPLICATION_PROCESS_COMMANDS, runEntry } from '@atlauja/commands';
import { DomainError, type ExpiryReason } from '@atlauja/domain';
import type { EventStore, SqlDriver } from '@atlauja/event-store';
import type { ProjectionProgress } from '../runner/projection-runner';
import { ensureProcessExecutorTables } from './executor-tables';
import type { Notice, NoticeDelivery } from './notice-delivery';
import { isoText as iso } from '../sql-time';
import { rigaInstantOf } from './riga-calendar';

export const PROCESS_ACTOR = { id: 'system:rights-over-time', role: 'system' } as const;
const PROCESS_PROJECTION = 'rights_over_time';

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
  /**
   * How long a claim on a notice holds (default 10 minutes): a notice claimed by an executor that died
   * while delivering it is delivered again after this (at-least-once only in that case).
   */
  claimLeaseMs?: number;
  /** Notices taken into the queue per transaction (default 2,000). */
  intakeBatch?: number;
  /** Names this executor in the claims it takes (default host:pid:random). */
  executorId?: string;
  /**
   * Told each notice settled by this executor as it settles (the process's metrics count them): the
   * totals of delivered and cancelled notices grow with the history, so they are counted as they
   * happen, never by reading the queue.
   */
  noticesSettled?: (outcome: NoticeOutcome, count: number) => void;
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
  /** Taken out of the queue because the log cancelled them before they went out. */
  cancelled: number;
}

/** How a notice left the executor's queue for good. */
export type NoticeOutcome = 'delivered' | 'failed' | 'cancelled';

interface WorkRow {
  work_id: string;
  kind: 'supersede' | 'expire';
  application_id: string;
  by_application: string | null;
  reason: ExpiryReason | null;
}

/** A queue row due now, with its notice from the outbox (null columns when the outbox has it no more). */
interface NoticeRow {
  notice_id: string;
  recipient_kind: 'institution' | 'user';
  recipient_id: string;
  kind: string;
  application_id: string;
  institution: string;
  due_at: string;
  outbox_status: 'pending' | 'cancelled' | null;
}

const INTAKE_BATCH = 2000;

/** The domain's word that the application is past this transition (its status no longer allows it). */
const isAlreadyDone = (error: unknown): boolean => error instanceof DomainError && error.code === 'TRANSITION_NOT_ALLOWED';

export class ProcessExecutor {
  private running: Promise<unknown> = Promise.resolve();
  private tablesReady: Promise<void> | null = null;
  private readonly executorId: string;

  constructor(private readonly options: ProcessExecutorOptions) {
    this.executorId = options.executorId ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  }

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

  /**
   * Its tables made ready before its process takes requests, so that this work (a transaction of DDL
   * the first time) is not what the first request after a start waits behind. A failure is left to
   * the first tick, which tries again.
   */
  async prepare(): Promise<void> {
    await this.ensureTables().catch(() => undefined);
  }

  /** The executor's own tables, created once per executor (a failed attempt is retried next tick). */
  private ensureTables(): Promise<void> {
    this.tablesReady ??= ensureProcessExecutorTables(this.options.sql, this.s).catch((error: unknown) => {
      this.tablesReady = null;
      throw error;
    });
    return this.tablesReady;
  }

  private async pass(now: Date): Promise<TickReport> {
    const report: TickReport = { state: 'done', performed: [], alreadyDone: [], delivered: 0, failed: 0, cancelled: 0 };
    if (!(await this.caughtUp())) return { ...report, state: 'behind' };
    await this.ensureTables();
    // Due: pending by the log and not yet done by an executor (a refusal the log does not show, e.g.).
    const due = await this.options.sql.query<WorkRow>(
      `select w.work_id, w.kind, w.application_id, w.by_application, w.reason from ${this.s}.process_work w
         left join ${this.s}.process_outcomes o on o.work_id = w.work_id
        where w.status = 'pending' and w.due_at <= $1::timestamptz and o.outcome is null order by w.due_at, w.work_id`,
      [now.toISOString()],
    );
    for (const work of due) {
      try {
        const performed = await this.perform(work, now);
        if (performed) await this.options.afterAppend?.(work.work_id);
        (performed ? report.performed : report.alreadyDone).push(work.work_id);
        await this.options.sql.query(
          `insert into ${this.s}.process_outcomes (work_id, outcome, done_at) values ($1, $2, $3::timestamptz)
           on conflict (work_id) do update set outcome = coalesce(${this.s}.process_outcomes.outcome, excluded.outcome), done_at = coalesce(${this.s}.process_outcomes.done_at, excluded.done_at)`,
          [work.work_id, performed ? 'performed' : 'already-done', now.toISOString()],
        );
      } catch (error) {
        if (error instanceof SimulatedCrash) throw error; // a test stopping the process here: no bookkeeping at all
        // Left pending: the next tick tries again. The message names codes and ids, never a personal code.
        await this.options.sql.query(
          `insert into ${this.s}.process_outcomes (work_id, attempts, last_error) values ($1, 1, $2)
           on conflict (work_id) do update set attempts = ${this.s}.process_outcomes.attempts + 1, last_error = excluded.last_error`,
          [work.work_id, error instanceof Error ? `${error.name}: ${error.message}`.slice(0, 500) : 'unknown error'],
        );
      }
    }
    // The effects just appended put their own notices (expired) in the outbox: send them in this pass.
    if (report.performed.length > 0 && !(await this.caughtUp())) return report;
    await this.deliverNotices(now, report);
    return report;
  }

  /** True when this pass appended the effect; false when the domain says it is already past it. */
  private async perform(work: WorkRow, now: Date): Promise<boolean> {
    const options = { actor: PROCESS_ACTOR, now, at: rigaInstantOf(now), correlationId: work.work_id };
    const { store } = this.options;
    try {
      const outcome = work.kind === 'supersede'
        ? await runEntry(store, APPLICATION_PROCESS_COMMANDS.supersede, work.application_id, { supersededBy: work.by_application! }, options, undefined)
        : await runEntry(store, APPLICATION_PROCESS_COMMANDS.expire, work.application_id, { reason: work.reason! }, options, undefined);
      return outcome.events.length > 0;
    } catch (error) {
      if (error instanceof StreamNotFound || isAlreadyDone(error)) return false;
      throw error;
    }
  }

  /**
   * Takes the notices the outbox gained since the last intake into the queue (`notice_deliveries`,
   * `pending` with their due time; a row already there is kept) and moves the intake's position, a
   * batch per transaction that holds the intake row, so two executors take turns. The notices read and the
   * position written come from one statement's snapshot, and the projection commits its batches in
   * log order (one at a time, under its checkpoint lock), so no notice is ever below the position
   * and not yet visible: none is skipped. A notice the log cancelled before its intake is passed over
   * (a cancellation is final).
   */
  private async takeInNotices(): Promise<void> {
    const batch = this.options.intakeBatch ?? INTAKE_BATCH;
    // Most ticks find nothing new: one indexed read then, instead of a transaction holding the intake
    // row. A notice committed just after it is taken in on the next tick.
    const [{ more }] = await this.options.sql.query<{ more: boolean }>(
      `select exists (select 1 from ${this.s}.notices where recorded_position > coalesce((select taken_through from ${this.s}.notice_intake), -1)) as more`,
    );
    if (!more) return;
    for (;;) {
      const taken = await this.options.sql.transaction(async (tx) => {
        const [intake] = await tx.query<{ taken_through: string | null }>(`select taken_through::text as taken_through from ${this.s}.notice_intake for update`);
        // Up to the position of the batch's last notice, and every notice at that position (the notices
        // of one event are taken together, so the position never passes one of them).
        const [{ through, n }] = await tx.query<{ through: string | null; n: number }>(
          `with next as (select recorded_position from ${this.s}.notices where recorded_position > coalesce($1::numeric, -1) order by recorded_position limit $2::int),
                bound as (select max(recorded_position) as through, count(*)::int as n from next),
                taken as (select notice_id, due_at, status from ${this.s}.notices where recorded_position > coalesce($1::numeric, -1) and recorded_position <= (select through from bound)),
                queued as (insert into ${this.s}.notice_deliveries as d (notice_id, status, due_at)
                           select notice_id, 'pending', due_at from taken where status = 'pending' order by notice_id
                           on conflict (notice_id) do update set due_at = excluded.due_at where d.due_at is null)
           select through::text as through, n from bound`,
          [intake?.taken_through ?? null, batch],
        );
        if (through === null) return 0;
        // Never backwards (greatest), and the row comes back if it was ever lost.
        await tx.query(
          `insert into ${this.s}.notice_intake as i (only_row, taken_through) values (true, $1::numeric)
           on conflict (only_row) do update set taken_through = greatest(i.taken_through, excluded.taken_through)`,
          [through],
        );
        return Number(n);
      });
      // A full batch: there may be more. Each batch is its own transaction, so a backlog (the first
      // intake after an upgrade takes every notice) never holds the database in one long statement.
      if (taken < batch) return;
    }
  }

  private async deliverNotices(now: Date, report: TickReport): Promise<void> {
    const maxAttempts = this.options.maxDeliveryAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 60_000;
    const at = now.toISOString();
    await this.takeInNotices();
    // Candidates: unsettled in the queue (its partial index, in due order) and never tried, due for a
    // retry, or claimed by an executor whose lease ran out. Delivered, failed and cancelled rows are
    // never read again. The outbox says whether the log has cancelled the notice meanwhile.
    const due = await this.options.sql.query<NoticeRow>(
      `select d.notice_id, n.recipient_kind, n.recipient_id, n.kind, n.application_id, n.institution, ${iso('n.due_at')} as due_at, n.status as outbox_status
         from ${this.s}.notice_deliveries d left join ${this.s}.notices n on n.notice_id = d.notice_id
        where d.status in ('pending', 'delivering') and d.due_at <= $1::timestamptz
          and ((d.status = 'pending' and (d.next_attempt_at is null or d.next_attempt_at <= $1::timestamptz))
               or (d.status = 'delivering' and d.claimed_until <= $1::timestamptz))
        order by d.due_at, d.notice_id limit 500`,
      [at],
    );
    const cancelled = due.filter((row) => row.outbox_status !== 'pending').map((row) => row.notice_id);
    if (cancelled.length > 0) {
      // Out of the queue for good; a claim taken meanwhile (by the same rule as the due query) is left alone.
      const gone = await this.options.sql.query(
        `update ${this.s}.notice_deliveries set status = 'cancelled', next_attempt_at = null, claimed_by = null, claimed_until = null
          where notice_id = any(array(select jsonb_array_elements_text($1::jsonb)))
            and (status = 'pending' or (status = 'delivering' and claimed_until <= $2::timestamptz))
          returning notice_id`,
        [JSON.stringify(cancelled), at],
      );
      this.settled(report, 'cancelled', gone.length);
    }
    for (const row of due) {
      if (row.outbox_status !== 'pending') continue;
      const attempts = await this.claim(row.notice_id, now);
      if (attempts === null) continue; // another executor has it, or it was delivered or cancelled meanwhile
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
      } catch (error) {
        const failed = attempts >= maxAttempts;
        await this.options.sql.query(
          `update ${this.s}.notice_deliveries set status = $3, last_error = $4, next_attempt_at = $5::timestamptz, claimed_by = null, claimed_until = null
            where notice_id = $1 and claimed_by = $2 and status = 'delivering'`,
          [row.notice_id, this.executorId, failed ? 'failed' : 'pending', error instanceof Error ? error.message.slice(0, 500) : 'delivery failed', new Date(now.getTime() + base * 2 ** (attempts - 1)).toISOString()],
        );
        if (failed) this.settled(report, 'failed', 1);
        continue;
      }
      // Handed over: recorded as delivered even if the claim lapsed meanwhile (it went out).
      await this.options.sql.query(
        `update ${this.s}.notice_deliveries set status = 'delivered', delivered_at = $2::timestamptz, last_error = null, next_attempt_at = null, claimed_by = null, claimed_until = null
          where notice_id = $1`,
        [row.notice_id, at],
      );
      this.settled(report, 'delivered', 1);
    }
  }

  private settled(report: TickReport, outcome: NoticeOutcome, count: number): void {
    if (count === 0) return;
    report[outcome] += count;
    this.options.noticesSettled?.(outcome, count);
  }

  /**
   * Takes the notice for this executor: one statement that updates its queue row only while the
   * outbox has it pending and no one else holds it (never tried, a retry due, or a lapsed lease).
   * Concurrent claims of one notice serialize on its row: one gets it, the others get nothing.
   * Returns this attempt's number, or null when not claimed.
   */
  private async claim(noticeId: string, now: Date): Promise<number | null> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + (this.options.claimLeaseMs ?? 600_000)).toISOString();
    const d = `${this.s}.notice_deliveries`;
    const rows = await this.options.sql.query<{ attempts: number }>(
      `update ${d} set status = 'delivering', attempts = attempts + 1, claimed_by = $2, claimed_until = $4::timestamptz
        where notice_id = $1
          and ((status = 'pending' and (next_attempt_at is null or next_attempt_at <= $3::timestamptz)) or (status = 'delivering' and claimed_until <= $3::timestamptz))
          and exists (select 1 from ${this.s}.notices n where n.notice_id = $1 and n.status = 'pending')
       returning attempts`,
      [noticeId, this.executorId, at, until],
    );
    return rows.length === 1 ? Number(rows[0].attempts) : null;
  }
}

/** What a test throws from `afterAppend` to stop the executor between the effect and its bookkeeping. */
export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
    this.name = 'SimulatedCrash';
  }
}
