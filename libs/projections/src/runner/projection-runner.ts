/**
 * The projection runner: one catch-up subscription over the global log, from the lowest checkpoint
 * of the running projections; each batch of events, in order, goes to every projection in one
 * transaction with their checkpoints. A failure of the database or the store ends the subscription
 * and the runner resubscribes after a backoff (from the checkpoints, so nothing is lost or doubled);
 * a poison event stops only its projection (state 'failed', visible in status()).
 *
 * In local mode the runner shares the process and PGlite's one connection with the requests, so it
 * never holds them up for long: the batch pacer (shared with the reactor) sizes a batch to take about
 * `batchTimeMs` and yields to the event loop between batches, so requests that arrived meanwhile get
 * their turn on the connection before the next batch.
 */
import type { EventStore, RecordedEvent, SqlDriver } from '@atlauja/event-store';
import { ensureReadModels, readCheckpoints } from '../checkpoints';
import { redactPersonalCodes } from '../personal-data';
import type { Projection } from '../projection';
import { DEFAULT_READ_MODEL_SCHEMA } from '../sql-names';
import { applyBatchToAll } from './apply-batch';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type Backoff } from './backoff';
import { BatchPacer, DEFAULT_PACE } from './batch-pacer';
import { isTransient } from './transient';

/** pino's shape, so the api's and the worker's logger fit; the default says nothing. */
export interface RunnerLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const SILENT: RunnerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ProjectionRunnerOptions {
  store: EventStore;
  /** The read-model database. With PGlite, the store's own connection. */
  sql: SqlDriver;
  projections: readonly Projection[];
  schema?: string;
  /** Most events per transaction. */
  batchSize?: number;
  /** About how long one batch may hold the read-model connection; later batches are sized to it. */
  batchTimeMs?: number;
  /** How long a batch waits for more events before it is applied (live latency). */
  batchWaitMs?: number;
  backoff?: Backoff;
  /** While every projection has failed, how often to look whether one was resumed or rebuilt. */
  idlePollMs?: number;
  logger?: RunnerLogger;
}

export type ProjectionState = 'starting' | 'catching-up' | 'live' | 'failed' | 'stopped';

export interface ProjectionStatus {
  name: string;
  /** Position of the last event in the read model (decimal string). */
  checkpoint: string;
  /** Positions between the checkpoint and the head of the log. */
  lag: string;
  state: ProjectionState;
  failedPosition?: string;
  error?: string;
}

export type WaitOutcome = 'reached' | 'failed' | 'timeout';

/** What a query needs to read its own writes: the in-process runner, or the checkpoints in SQL. */
export interface ProjectionProgress {
  waitForPosition(position: bigint, timeoutMs: number, projections?: readonly string[]): Promise<WaitOutcome>;
  status(): Promise<ProjectionStatus[]>;
}

export class ProjectionRunner implements ProjectionProgress {
  readonly schema: string;
  private readonly checkpoints = new Map<string, bigint>();
  private readonly failures = new Map<string, { position: bigint; error: string }>();
  private readonly waiters = new Set<() => void>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  private started = false;
  private lastError: string | null = null;
  private appliedSinceAnalyze = 0;
  private analyzeEvery = 1000;
  private readonly pacer: BatchPacer;
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'schema'>>;

  constructor(options: ProjectionRunnerOptions) {
    this.schema = options.schema ?? DEFAULT_READ_MODEL_SCHEMA;
    this.options = {
      ...DEFAULT_PACE,
      backoff: DEFAULT_BACKOFF,
      idlePollMs: 1000,
      logger: SILENT,
      ...options,
    };
    this.pacer = new BatchPacer(this.options);
    const names = new Set(options.projections.map((p) => p.name));
    if (names.size !== options.projections.length) throw new TypeError('projection names must be unique');
  }

  /** Creates missing tables and starts following the log; resolves once the subscription is under way. */
  async start(): Promise<void> {
    if (this.loop) return;
    await ensureReadModels(this.options.sql, this.schema, this.options.projections);
    this.loop = this.run();
    this.started = true;
  }

  /** Stops after the batch in flight (its transaction commits or rolls back whole). */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.wake();
  }

  get running(): boolean {
    return this.started && !this.stopping.signal.aborted;
  }

  /**
   * Resolves 'reached' once every named projection (default: all) includes `position`, 'failed' at
   * once if one of them has failed, 'timeout' after `timeoutMs`.
   */
  waitForPosition(position: bigint, timeoutMs: number, projections: readonly string[] = this.options.projections.map((p) => p.name)): Promise<WaitOutcome> {
    const check = (): WaitOutcome | null => {
      if (projections.some((name) => this.failures.has(name))) return 'failed';
      if (projections.every((name) => (this.checkpoints.get(name) ?? -1n) >= position)) return 'reached';
      return this.running ? null : 'timeout';
    };
    const now = check();
    if (now !== null) return Promise.resolve(now);
    return new Promise((resolve) => {
      const settle = (outcome: WaitOutcome): void => {
        clearTimeout(timer);
        this.waiters.delete(onProgress);
        resolve(outcome);
      };
      const onProgress = (): void => {
        const outcome = check();
        if (outcome !== null) settle(outcome);
      };
      const timer = setTimeout(() => settle('timeout'), timeoutMs);
      this.waiters.add(onProgress);
    });
  }

  async status(): Promise<ProjectionStatus[]> {
    const head = await this.options.store.headPosition();
    return this.options.projections.map((p) => {
      const checkpoint = this.checkpoints.get(p.name);
      const failure = this.failures.get(p.name);
      const lag = checkpoint === undefined || checkpoint >= head ? 0n : head - checkpoint;
      const state: ProjectionState = failure ? 'failed' : !this.running ? 'stopped' : checkpoint === undefined ? 'starting' : lag === 0n ? 'live' : 'catching-up';
      return {
        name: p.name,
        checkpoint: (checkpoint ?? 0n).toString(),
        lag: lag.toString(),
        state,
        ...(failure ? { failedPosition: failure.position.toString(), error: failure.error } : {}),
      };
    });
  }

  /** The last failure that made the runner resubscribe (redacted), for diagnostics. */
  get lastFailure(): string | null {
    return this.lastError;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async run(): Promise<void> {
    const signal = this.stopping.signal;
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const progressed = await this.followOnce(signal);
        attempt = progressed ? 0 : attempt;
        this.lastError = null;
      } catch (error) {
        if (signal.aborted) break;
        const delay = backoffDelay(this.options.backoff, attempt);
        attempt += 1;
        this.lastError = redactPersonalCodes(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
        this.options.logger.warn({ error: this.lastError, transient: isTransient(error), retryInMs: delay }, 'projection runner: subscription failed; resubscribing');
        await sleep(delay, signal);
      }
    }
  }

  /**
   * One subscription, from the lowest running checkpoint, until the runner stops or a projection
   * needs events the subscription has passed (it was resumed or rebuilt behind us). Returns whether
   * any batch was applied.
   */
  private async followOnce(stop: AbortSignal): Promise<boolean> {
    const stored = await readCheckpoints(this.options.sql, this.schema);
    for (const projection of this.options.projections) {
      const checkpoint = stored.get(projection.name);
      if (!checkpoint) continue;
      this.checkpoints.set(projection.name, checkpoint.position);
      if (checkpoint.state === 'failed') this.failures.set(projection.name, { position: checkpoint.failedPosition ?? checkpoint.position, error: checkpoint.error ?? '' });
      else this.failures.delete(projection.name);
    }
    this.wake();
    const running = this.options.projections.filter((p) => !this.failures.has(p.name));
    if (running.length === 0) {
      await sleep(this.options.idlePollMs, stop);
      return false;
    }
    const from = running.map((p) => this.checkpoints.get(p.name) ?? 0n).reduce((min, p) => (p < min ? p : min));
    const subscription = new AbortController();
    const signal = AbortSignal.any([stop, subscription.signal]);
    const watch = this.watchForResumes(subscription);
    let cursor = from;
    let progressed = false;
    try {
      for await (const batch of this.pacer.batches(this.options.store.subscribe(from, { signal }))) {
        const behind = await this.applyToAll(batch, cursor);
        await this.analyzeAsTheyGrow(batch.length);
        cursor = batch[batch.length - 1].position;
        progressed = true;
        this.wake();
        if (behind) return progressed;
      }
    } finally {
      clearInterval(watch);
      subscription.abort();
    }
    return progressed;
  }

  /**
   * A failed projection that is resumed or rebuilt (by the CLI, maybe in another process) needs a
   * new subscription from its checkpoint; with no new events no batch would notice, so look.
   */
  private watchForResumes(subscription: AbortController): NodeJS.Timeout {
    const timer = setInterval(() => {
      if (this.failures.size === 0) return;
      readCheckpoints(this.options.sql, this.schema).then(
        (stored) => {
          if ([...this.failures.keys()].some((name) => stored.get(name)?.state === 'running')) subscription.abort();
        },
        () => undefined, // the next batch or subscription reports database failures
      );
    }, this.options.idlePollMs);
    timer.unref();
    return timer;
  }

  /**
   * Planner statistics for the read models as they grow: PGlite runs no autovacuum, so without an
   * ANALYZE the planner keeps the estimates of an empty table and the queue query sorts every signed
   * row instead of walking its index (p99 grew 4.5x from 10k to 100k events). After 1,000 applied
   * events, then each time the count doubles (at most every 100,000): amortized, a few per cent.
   * Best effort: a failure here is left to the next batch to report.
   */
  private async analyzeAsTheyGrow(applied: number): Promise<void> {
    this.appliedSinceAnalyze += applied;
    if (this.appliedSinceAnalyze < this.analyzeEvery) return;
    this.appliedSinceAnalyze = 0;
    this.analyzeEvery = Math.min(this.analyzeEvery * 2, 100_000);
    for (const projection of this.options.projections) {
      for (const table of projection.tables) await this.options.sql.query(`analyze ${this.schema}.${table}`).catch(() => undefined);
    }
  }

  /** Returns true when a projection is behind the subscription and needs a new one. */
  private async applyToAll(batch: RecordedEvent[], after: bigint): Promise<boolean> {
    let behind = false;
    const outcomes = await applyBatchToAll(this.options.sql, this.schema, this.options.projections, batch, after);
    for (const projection of this.options.projections) {
      const outcome = outcomes.get(projection.name)!;
      switch (outcome.kind) {
        case 'applied':
          this.checkpoints.set(projection.name, outcome.checkpoint);
          this.failures.delete(projection.name);
          break;
        case 'failed':
          this.checkpoints.set(projection.name, outcome.checkpoint);
          if (!this.failures.has(projection.name) || outcome.now) {
            this.options.logger.error(
              { projection: projection.name, position: outcome.failedPosition.toString(), error: outcome.error },
              `projection ${projection.name} stopped at position ${outcome.failedPosition}: ${outcome.error}`,
            );
          }
          this.failures.set(projection.name, { position: outcome.failedPosition, error: outcome.error });
          break;
        case 'behind':
          this.checkpoints.set(projection.name, outcome.checkpoint);
          this.failures.delete(projection.name);
          behind = true;
          break;
      }
    }
    return behind;
  }
}
