/**
 * The worker's loops inside the api process, where this process runs the projections (local
 * mode): the reactor, the rights-over-time executor and the registry's timers. In server mode the
 * worker runs them (apps/worker). Tests tick them by hand through `processes`.
 */
import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { join } from 'node:path';
import type { EventStore } from '@atlauja/event-store';
import { Processes } from '@atlauja/processes';
import { FileNoticeDelivery, type NoticeDelivery, type ProcessExecutorOptions } from '@atlauja/projections';
import type { AppConfig } from '../config/configuration';
import { problem, ProblemError } from '../http/problem';
import { ReadModelsHost } from '../read-models/read-models.host';
import { Startup } from '../health/startup';
import { nestRunnerLogger } from '../logging/runner-logger';
import type { Pseudonyms } from '@atlauja/commands';
import { APP_CONFIG } from '../app-config.token';
import { CLOCK, EVENT_STORE, PSEUDONYMS, type Clock } from '../store/tokens';
import type { Metrics } from '@atlauja/observability';
import { METRICS } from '../observability/tokens';

export const PROCESSES_EXTRAS = Symbol('PROCESSES_EXTRAS');

/** Tests: another delivery port, or a crash between an effect and its bookkeeping. */
export interface ProcessesExtras {
  delivery?: NoticeDelivery;
  afterAppend?: ProcessExecutorOptions['afterAppend'];
}

@Injectable()
export class ProcessesHost implements OnApplicationBootstrap, OnModuleDestroy {
  private running: Processes | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PSEUDONYMS) private readonly pseudonyms: Pseudonyms,
    @Inject(PROCESSES_EXTRAS) private readonly extras: ProcessesExtras,
    @Inject(METRICS) private readonly metrics: Metrics,
    private readonly readModels: ReadModelsHost,
    private readonly startup: Startup,
  ) {}

  onApplicationBootstrap(): void {
    this.startup.run(() => this.start());
  }

  private async start(): Promise<void> {
    await this.readModels.start();
    if (!this.readModels.runsProjections) return; // the worker runs them
    this.running = new Processes({
      store: this.store,
      sql: this.readModels.sql,
      schema: this.readModels.schema,
      progress: this.readModels.progress,
      clock: this.clock,
      pseudonyms: this.pseudonyms,
      delivery: this.extras.delivery ?? new FileNoticeDelivery(join(this.config.dataDir, 'notices.jsonl')),
      afterAppend: this.extras.afterAppend,
      expiryIntervalSeconds: this.config.expiryIntervalSeconds,
      registryTimerSeconds: this.config.registryTimerSeconds,
      // A PostgreSQL server vacuums itself; PGlite, one backend, does not.
      embeddedMaintenanceSeconds: this.config.store.kind === 'embedded' ? this.config.embeddedMaintenanceSeconds : 0,
      logger: nestRunnerLogger('processes'),
      noticesSettled: (outcome, n) => this.metrics.noticesSettled.inc({ outcome }, n),
    });
    await this.running.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  get processes(): Processes {
    if (this.running === null) throw new ProblemError(problem(503, 'Processes not running here', { code: 'PROCESS_NOT_RUNNING', detail: 'the worker runs the processes of this deployment' }));
    return this.running;
  }
}
