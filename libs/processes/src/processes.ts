/**
 * The worker's loops, in one place: the reactor (consequences on other streams), the
 * rights-over-time executor (supersession, expiry, notices) and the registry's timers (campaign
 * deadlines, deletions), and on the embedded database the upkeep autovacuum would do. `apps/worker`
 * runs them in server mode; the api runs them in its own process in local mode, as it does the
 * projections. Each loop but the upkeep ticks soon after start (catching up after downtime) and
 * then on its interval (0: never; tests tick by hand).
 */
import type { Pseudonyms } from '@atlauja/commands';
import { maintainEmbedded, type EventStore, type SqlDriver } from '@atlauja/event-store';
import { ProcessExecutor, type NoticeDelivery, type ProcessExecutorOptions, type ProjectionProgress, type RunnerLogger } from '@atlauja/projections';
import { reactionPorts } from './reaction-ports';
import { Reactor } from './reactor';
import { RegistryTimers } from './registry-timers';

/**
 * The loops' first ticks wait this long after the start instead of running at once: the first
 * requests after a start (clients retrying what failed while the process was down) must not queue
 * behind a dozen statements of each loop on the embedded store's one connection; a catch-up after
 * downtime loses nothing by two seconds.
 */
const FIRST_TICK_AFTER_MS = 2000;

export interface ProcessesOptions {
  store: EventStore;
  sql: SqlDriver;
  schema: string;
  progress: ProjectionProgress;
  clock: { now(): Date };
  /** Names users' grant streams (the same key as the api's). */
  pseudonyms: Pseudonyms;
  delivery: NoticeDelivery;
  /** How often the rights-over-time executor runs (0: only when ticked). */
  expiryIntervalSeconds: number;
  /** How often the registry's timers run (0: only when ticked). */
  registryTimerSeconds: number;
  /**
   * How often the embedded database (PGlite, which has no autovacuum) is vacuumed and analyzed by
   * autovacuum's rule (0 or absent: never; a PostgreSQL server does it itself).
   */
  embeddedMaintenanceSeconds?: number;
  logger?: RunnerLogger;
  /** Told each notice the executor settles (the process's metrics). */
  noticesSettled?: ProcessExecutorOptions['noticesSettled'];
  /** Tests: a crash between an executor's effect and its bookkeeping. */
  afterAppend?: ProcessExecutorOptions['afterAppend'];
}

export class Processes {
  readonly reactor: Reactor;
  readonly rightsOverTime: ProcessExecutor;
  readonly registryTimers: RegistryTimers;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private stopped = false;

  constructor(private readonly options: ProcessesOptions) {
    const access = { store: options.store, sql: () => options.sql, schema: options.schema, progress: () => options.progress, now: () => options.clock.now(), pseudonyms: options.pseudonyms };
    const ports = reactionPorts(access);
    this.reactor = new Reactor({ store: options.store, sql: access.sql, schema: options.schema, ports, logger: options.logger });
    this.rightsOverTime = new ProcessExecutor({
      store: options.store, sql: options.sql, schema: options.schema, progress: options.progress, delivery: options.delivery,
      noticesSettled: options.noticesSettled, afterAppend: options.afterAppend,
    });
    this.registryTimers = new RegistryTimers({ ports, sql: access.sql, schema: options.schema, progress: access.progress });
  }

  async start(): Promise<void> {
    await this.rightsOverTime.prepare();
    await this.reactor.start();
    this.every(this.options.expiryIntervalSeconds, 'rights-over-time', () => this.rightsOverTime.tick(this.options.clock.now()));
    this.every(this.options.registryTimerSeconds, 'registry timers', () => this.registryTimers.tick(this.options.clock.now()));
    this.every(this.options.embeddedMaintenanceSeconds ?? 0, 'embedded maintenance', () => maintainEmbedded(this.options.sql), { atStart: false });
  }

  /** Stops the timers, lets the ticks in flight finish, and stops the reactor after the event in hand. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.allSettled([...this.inFlight]);
    await this.reactor.stop();
  }

  private every(seconds: number, name: string, tick: () => Promise<object>, { atStart = true } = {}): void {
    if (!(seconds > 0)) return;
    const run = (): void => {
      if (this.stopped) return;
      const pass = tick().then(
        (report) => this.options.logger?.info({ ...report }, `${name} tick`),
        (error: Error) => this.options.logger?.warn({ error: error.message }, `${name} tick failed`),
      );
      this.inFlight.add(pass);
      void pass.finally(() => this.inFlight.delete(pass));
    };
    const timer = setInterval(run, seconds * 1000);
    const first = atStart ? [setTimeout(run, Math.min(FIRST_TICK_AFTER_MS, seconds * 1000))] : [];
    for (const t of [...first, timer]) {
      t.unref();
      this.timers.push(t);
    }
  }
}
