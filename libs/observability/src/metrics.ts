/**
 * The Prometheus metrics of a process (prom-client), on a registry of its own (tests run several
 * applications in one process). Families:
 * - atlauja_commands_total / atlauja_command_duration_seconds: every command (a non-GET route) by
 *   command (method and route), outcome (accepted, refused, failed) and refusal code (the problem's);
 * - atlauja_http_request_duration_seconds: every request by method, route and status;
 * - atlauja_signature_verdicts_total: signature checks by verdict and failure code;
 * - atlauja_store_call_duration_seconds: event store calls by operation and outcome;
 * - atlauja_projection_lag_events / _seconds, atlauja_projection_failed: per projection, read at scrape;
 * - atlauja_executor_backlog, atlauja_notice_deliveries: the rights-over-time executor's due work, its
 *   queue and its failed notices, read at scrape;
 * - atlauja_notices_settled_total: notices this process's executor delivered, failed or cancelled;
 * - nodejs_eventloop_lag_* and the rest of prom-client's default process metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type CommandOutcome = 'accepted' | 'refused' | 'failed';

/** What is read at scrape time: each source may fail (the database is down) and the scrape still answers. */
export interface ScrapeSources {
  projections?: () => Promise<{ name: string; lagEvents: number; lagSeconds: number; failed: boolean }[]>;
  executor?: () => Promise<{ backlog: Record<string, number>; deliveries: Record<string, number> } | null>;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class Metrics {
  readonly registry = new Registry();
  readonly contentType = this.registry.contentType;
  private sources: ScrapeSources = {};

  readonly commands = new Counter({
    name: 'atlauja_commands_total',
    help: 'Commands by command (method and route), outcome and refusal code',
    labelNames: ['command', 'outcome', 'code'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'atlauja_command_duration_seconds',
    help: 'Command latency by command and outcome',
    labelNames: ['command', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'atlauja_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly signatureVerdicts = new Counter({
    name: 'atlauja_signature_verdicts_total',
    help: 'Signature verifications by verdict (valid, invalid) and failure code (none when valid)',
    labelNames: ['verdict', 'code'] as const,
    registers: [this.registry],
  });

  readonly storeCalls = new Histogram({
    name: 'atlauja_store_call_duration_seconds',
    help: 'Event store call latency by operation and outcome (ok, conflict, unavailable, error)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** Counted by the executor as it settles each notice (ProcessExecutorOptions.noticesSettled). */
  readonly noticesSettled = new Counter({
    name: 'atlauja_notices_settled_total',
    help: 'Notices this process delivered, failed for good (attempts used up) or cancelled (the log cancelled them first)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly tokenKeyFailures = new Counter({
    name: 'atlauja_token_key_failures_total',
    help: 'Bearer tokens that could not be checked because the issuer keys (JWKS) were unavailable',
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    const sources = (): ScrapeSources => this.sources;
    new Gauge({
      name: 'atlauja_projection_lag_events',
      help: 'Events in the log that the projection has not applied yet',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const p of (await settle(sources().projections)) ?? []) this.set({ projection: p.name }, p.lagEvents);
      },
    });
    new Gauge({
      name: 'atlauja_projection_lag_seconds',
      help: 'How long the oldest event the projection has not applied has been in the log',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const p of (await settle(sources().projections)) ?? []) this.set({ projection: p.name }, p.lagSeconds);
      },
    });
    new Gauge({
      name: 'atlauja_projection_failed',
      help: '1 when the projection stopped on an event it could not apply',
      labelNames: ['projection'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const p of (await settle(sources().projections)) ?? []) this.set({ projection: p.name }, p.failed ? 1 : 0);
      },
    });
    new Gauge({
      name: 'atlauja_executor_backlog',
      help: 'Rights-over-time work and notices that are due and not done',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const executor = await settle(sources().executor);
        for (const [kind, n] of Object.entries(executor?.backlog ?? {})) this.set({ kind }, n);
      },
    });
    new Gauge({
      name: 'atlauja_notice_deliveries',
      help: 'Notices in the executor queue (pending, delivering) and failed for good (failed)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        const executor = await settle(sources().executor);
        for (const [status, n] of Object.entries(executor?.deliveries ?? {})) this.set({ status }, n);
      },
    });
  }

  /** Where the scrape-time gauges read from (set once the read models are up). */
  readFrom(sources: ScrapeSources): void {
    this.sources = {
      ...this.sources,
      ...(sources.projections && { projections: oncePerScrape(sources.projections) }),
      ...(sources.executor && { executor: oncePerScrape(sources.executor) }),
    };
  }

  recordCommand(command: string, outcome: CommandOutcome, code: string, seconds: number): void {
    this.commands.inc({ command, outcome, code });
    this.commandDuration.observe({ command, outcome }, seconds);
  }

  scrape(): Promise<string> {
    return this.registry.metrics();
  }
}

/** Several gauges read one source: one read serves a scrape (answers within a second are shared). */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (last === undefined || Date.now() - last.at > 1000) last = { at: Date.now(), value: read() };
    return last.value;
  };
}

/** A scrape never fails because a source does: the gauge is left empty. */
async function settle<T>(source: (() => Promise<T>) | undefined): Promise<T | undefined> {
  if (!source) return undefined;
  try {
    return await source();
  } catch {
    return undefined;
  }
}
