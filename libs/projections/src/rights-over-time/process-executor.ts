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
 * work it performed. Each notice is claimed before it is delivered (a conditional upsert on its
 * delivery row, `delivering` until a lease ends), so two executors ticking at once deliver it once.
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
import { iso } from './rights-over-time.projection';
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
  /** Names this executor in the claims it takes (default host:pid:random). */
  executorId?: string;
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
}

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
    const report: TickReport = { state: 'done', performed: [], alreadyDone: [], delivered: 0, failed: 0 };
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

  private async deliverNotices(now: Date, report: TickReport): Promise<void> {
    const maxAttempts = this.options.maxDeliveryAttempts ?? 5;
    const base = this.options.retryBaseMs ?? 60_000;
    const at = now.toISOString();
    // Candidates: pending in the outbox (not cancelled by the log) and, by the executor's record,
    // never tried, due for a retry, or claimed by an executor whose lease ran out.
    const due = await this.options.sql.query<NoticeRow>(
      `select n.notice_id, n.recipient_kind, n.recipient_id, n.kind, n.application_id, n.institution, ${iso('n.due_at')} as due_at
         from ${this.s}.notices n left join ${this.s}.notice_deliveries d on d.notice_id = n.notice_id
        where n.status = 'pending' and n.due_at <= $1::timestamptz
          and (d.notice_id is null
               or (d.status = 'pending' and (d.next_attempt_at is null or d.next_attempt_at <= $1::timestamptz))
               or (d.status = 'delivering' and d.claimed_until <= $1::timestamptz))
        order by n.due_at, n.notice_id limit 500`,
      [at],
    );
    for (const row of due) {
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
        if (failed) report.failed++;
        continue;
      }
      // Handed over: recorded as delivered even if the claim lapsed meanwhile (it went out).
      await this.options.sql.query(
        `update ${this.s}.notice_deliveries set status = 'delivered', delivered_at = $2::timestamptz, last_error = null, next_attempt_at = null, claimed_by = null, claimed_until = null
          where notice_id = $1`,
        [row.notice_id, at],
      );
      report.delivered++;
    }
  }

  /**
   * Takes the notice for this executor: one statement that creates or updates its delivery row only
   * while the outbox has it pending and no one else holds it (never tried, a retry due, or a lapsed
   * lease). Concurrent claims of one notice serialize on its row: one gets it, the others get
   * nothing. Returns this attempt's number, or null when not claimed.
   */
  private async claim(noticeId: string, now: Date): Promise<number | null> {
    const at = now.toISOString();
    const until = new Date(now.getTime() + (this.options.claimLeaseMs ?? 600_000)).toISOString();
    const d = `${this.s}.notice_deliveries`;
    const rows = await this.options.sql.query<{ attempts: number }>(
      `insert into ${d} (notice_id, status, attempts, claimed_by, claimed_until)
       select n.notice_id, 'delivering', 1, $2, $4::timestamptz from ${this.s}.notices n where n.notice_id = $1 and n.status = 'pending'
       on conflict (notice_id) do update set status = 'delivering', attempts = ${d}.attempts + 1, claimed_by = excluded.claimed_by, claimed_until = excluded.claimed_until
         where (${d}.status = 'pending' and (${d}.next_attempt_at is null or ${d}.next_attempt_at <= $3::timestamptz))
            or (${d}.status = 'delivering' and ${d}.claimed_until <= $3::timestamptz)
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
