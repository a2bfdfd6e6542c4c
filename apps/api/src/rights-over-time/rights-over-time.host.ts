/**
 * The rights-over-time executor inside the api process (local mode, or wherever this process runs
 * the projections): a tick once after start (catching up whatever fell due during downtime) and
 * then every EXPIRY_INTERVAL_SECONDS (0: no timer; tests and operators call `tick`). In server
 * mode the worker runs it instead (apps/worker/src/main.ts).
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { join } from 'node:path';
import { FileNoticeDelivery, ProcessExecutor, type NoticeDelivery, type ProcessExecutorOptions, type TickReport } from '@atlauja/projections';
import type { AppConfig } from '../config/configuration';
import { problem, ProblemError } from '../http/problem';
import { RightsOverTimeSources } from './sources';
import { ReadModelsHost, runsProjections } from '../read-models/read-models.host';
import type { Clock } from '../store/tokens';

export const RIGHTS_OVER_TIME_CONFIG = Symbol('RIGHTS_OVER_TIME_CONFIG');

/** Tests: another delivery port, or a crash between an effect and its bookkeeping. */
export interface RightsOverTimeExtras {
  delivery?: NoticeDelivery;
  afterAppend?: ProcessExecutorOptions['afterAppend'];
}

export interface RightsOverTimeConfig extends RightsOverTimeExtras {
  app: AppConfig;
  intervalSeconds: number;
}

/** EXPIRY_INTERVAL_SECONDS: 0 (no timer) to 86400; default 60. */
export function expiryIntervalSeconds(env: Record<string, string | undefined>): number {
  const raw = env.EXPIRY_INTERVAL_SECONDS;
  if (raw === undefined || raw === '') return 60;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 86_400) throw new Error(`EXPIRY_INTERVAL_SECONDS must be an integer from 0 to 86400 (got "${raw}")`);
  return value;
}

@Injectable()
export class RightsOverTimeHost implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('rights-over-time');
  private executor: ProcessExecutor | null = null;
  private timer: NodeJS.Timeout | null = null;
  private clock: Clock = { now: () => new Date() };

  constructor(
    // Only for the read-model host, which belongs to another feature module and starts its runner in its own bootstrap.
    private readonly moduleRef: ModuleRef,
    private readonly sources: RightsOverTimeSources,
    @Inject(RIGHTS_OVER_TIME_CONFIG) private readonly config: RightsOverTimeConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!runsProjections(this.config.app)) return; // the worker runs the process
    const readModels = this.moduleRef.get(ReadModelsHost, { strict: false });
    this.clock = this.sources.clock;
    this.executor = new ProcessExecutor({
      store: this.sources.store,
      // Looked up on use: the read-model host starts its runner in its own bootstrap hook.
      get sql() {
        return readModels.sql;
      },
      schema: readModels.schema,
      progress: { waitForPosition: (...args) => readModels.progress.waitForPosition(...args), status: () => readModels.progress.status() },
      delivery: this.config.delivery ?? new FileNoticeDelivery(join(this.config.app.dataDir, 'notices.jsonl')),
      afterAppend: this.config.afterAppend,
    });
    if (this.config.intervalSeconds > 0) {
      setImmediate(() => void this.timedTick()); // catch up on start
      this.timer = setInterval(() => void this.timedTick(), this.config.intervalSeconds * 1000);
      this.timer.unref();
    }
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.executor = null;
  }

  /** One pass at `now` (default: the service's clock). */
  tick(now: Date = this.clock.now()): Promise<TickReport> {
    if (this.executor === null) throw new ProblemError(problem(503, 'Rights-over-time process not running here', { code: 'PROCESS_NOT_RUNNING' }));
    return this.executor.tick(now);
  }

  private async timedTick(): Promise<void> {
    if (this.executor === null) return;
    try {
      const report = await this.executor.tick(this.clock.now());
      if (report.performed.length + report.alreadyDone.length + report.delivered + report.failed > 0 || report.state !== 'done') {
        // Work ids name applications only: no personal code.
        this.logger.log(`tick ${JSON.stringify(report)}`);
      }
    } catch (error) {
      this.logger.warn(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
