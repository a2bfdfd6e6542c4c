/**
 * The read models inside the api process: in local mode (and whenever RUN_PROJECTIONS is not
 * 'false') it runs the projection runner itself, started on bootstrap and stopped on shutdown; in
 * server mode the worker runs it and this process only reads the stored checkpoints.
 */
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { EventStore, SqlDriver } from '@atlauja/event-store';
import { ensureReadModels, ProjectionRunner, READ_MODELS, READ_MODEL_NAMES, StoredProgress, type ProjectionProgress } from '@atlauja/projections';
import type { AppConfig } from '../config/configuration';
import { problem, ProblemError } from '../http/problem';
import { Startup } from '../health/startup';
import { nestRunnerLogger } from '../logging/runner-logger';
import { CLOCK, EVENT_STORE, READ_MODEL_SQL, type Clock } from '../store/tokens';

export const READ_MODELS_CONFIG = Symbol('READ_MODELS_CONFIG');

@Injectable()
export class ReadModelsHost implements OnApplicationBootstrap, OnModuleDestroy {
  readonly schema: string;
  private progressSource: ProjectionProgress | null = null;
  private runner: ProjectionRunner | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    @Inject(READ_MODELS_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_SQL) private readonly sqlDriver: SqlDriver | null,
    @Inject(CLOCK) private readonly clockSource: Clock,
    private readonly startup: Startup,
  ) {
    this.schema = config.readModelSchema;
  }

  onApplicationBootstrap(): void {
    this.startup.run(() => this.start());
  }

  /** Starts the runner (or the stored progress) once; whoever needs the read models first starts them. */
  start(): Promise<void> {
    this.starting ??= this.startOnce();
    return this.starting;
  }

  /** Whether this process has read models at all (not with the in-memory store and no read-model database). */
  get available(): boolean {
    return this.sqlDriver !== null;
  }

  /** Whether this process runs the projection runner itself (local mode), rather than reading the worker's checkpoints. */
  get runsProjections(): boolean {
    return this.runner !== null;
  }

  private async startOnce(): Promise<void> {
    const store = this.store;
    if (this.sqlDriver === null) return; // in-memory store without a read-model database: queries answer 503
    if (this.config.runProjections) {
      this.runner = new ProjectionRunner({ store, sql: this.sqlDriver, schema: this.schema, projections: READ_MODELS, logger: nestRunnerLogger('projections') });
      await this.runner.start();
      this.progressSource = this.runner;
    } else {
      await ensureReadModels(this.sqlDriver, this.schema, READ_MODELS);
      this.progressSource = new StoredProgress(this.sqlDriver, store, READ_MODEL_NAMES, this.schema);
    }
  }

  async onModuleDestroy(): Promise<void> {
    // Before the store closes (StoreLifecycle, on shutdown): the batch in flight commits or rolls back whole.
    await this.runner?.stop();
  }



  get sql(): SqlDriver {
    if (this.sqlDriver === null) throw new ProblemError(problem(503, 'Read models unavailable', { detail: 'this deployment has no read-model database', code: 'READ_MODELS_UNAVAILABLE' }));
    return this.sqlDriver;
  }

  get progress(): ProjectionProgress {
    if (this.progressSource === null) throw new ProblemError(problem(503, 'Read models unavailable', { detail: 'the read models are not started', code: 'READ_MODELS_UNAVAILABLE' }));
    return this.progressSource;
  }

  now(): Date {
    return this.clockSource.now();
  }

  /**
   * Read-your-writes: waits (bounded by readYourWritesTimeoutMs) until the read models a query uses
   * include `minPosition`, the position a command returned; else 503 with Retry-After.
   */
  async awaitPosition(minPosition: string | null | undefined, projections: readonly string[]): Promise<void> {
    // A JSON null is no position: IsOptional lets it through, as it does for every optional field.
    if (minPosition === undefined || minPosition === null) return;
    const outcome = await this.progress.waitForPosition(BigInt(minPosition), this.config.readYourWritesTimeoutMs, projections);
    if (outcome === 'reached') return;
    if (outcome === 'failed') {
      throw new ProblemError(
        problem(503, 'Read model stopped', { code: 'READ_MODEL_FAILED', detail: `the read model ${projections.join(', ')} stopped on an event it could not apply; operators were told` }),
        { 'retry-after': '60' },
      );
    }
    throw new ProblemError(
      problem(503, 'Read model behind', { code: 'READ_MODEL_BEHIND', detail: `the read model has not reached position ${minPosition} yet; retry shortly` }),
      { 'retry-after': '1' },
    );
  }
}
