/**
 * What "ready" means, one check per dependency, shared by the api (through @nestjs/terminus) and the
 * worker (its own small server): a check resolves with its details when up and throws when down
 * (the message says why). Every check is bounded by the timeouts of what it calls.
 */
import type { EventStore, SqlExecutor } from '@atlauja/event-store';
import type { ProjectionProgress } from '@atlauja/projections';

export type ReadinessCheck = () => Promise<Record<string, unknown>>;

export class NotReady extends Error {
  override readonly name = 'NotReady';
  constructor(message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
  }
}

export function storeAnswers(store: EventStore): ReadinessCheck {
  return async () => {
    await store.ping();
    return { headPosition: (await store.headPosition()).toString() };
  };
}

export function readModelDatabaseAnswers(sql: () => SqlExecutor | null): ReadinessCheck {
  return async () => {
    const db = sql();
    if (db === null) throw new NotReady('this deployment has no read-model database');
    await db.query('select 1');
    return {};
  };
}

/** None failed; each within `maxLagEvents` of the head (0: no bound) and its oldest unapplied event at most `maxLagSeconds` old. */
export function projectionsHealthy(
  progress: () => ProjectionProgress,
  bounds: { maxLagEvents: number; maxLagSeconds: number },
  lagSeconds?: () => Promise<{ name: string; lagSeconds: number }[]>,
): ReadinessCheck {
  return async () => {
    const statuses = await progress().status();
    const seconds = lagSeconds ? new Map((await lagSeconds()).map((p) => [p.name, p.lagSeconds])) : new Map<string, number>();
    const problems: string[] = [];
    const details: Record<string, unknown> = {};
    for (const s of statuses) {
      const age = seconds.get(s.name) ?? 0;
      details[s.name] = { state: s.state, lag: s.lag, lagSeconds: Math.round(age) };
      if (s.state === 'failed') problems.push(`${s.name} failed at position ${s.failedPosition}`);
      else if (bounds.maxLagEvents > 0 && BigInt(s.lag) > BigInt(bounds.maxLagEvents)) problems.push(`${s.name} is ${s.lag} events behind (bound ${bounds.maxLagEvents})`);
      else if (bounds.maxLagSeconds > 0 && age > bounds.maxLagSeconds) problems.push(`${s.name} is ${Math.round(age)} s behind (bound ${bounds.maxLagSeconds})`);
    }
    if (problems.length > 0) throw new NotReady(problems.join('; '), details);
    return details;
  };
}

export interface ReadinessReport {
  status: 'ok' | 'error';
  info: Record<string, Record<string, unknown>>;
  error: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

/** Runs every check at once; the report has terminus's shape, so the api's and the worker's /ready read alike. */
export async function checkReadiness(checks: Record<string, ReadinessCheck>): Promise<ReadinessReport> {
  const report: ReadinessReport = { status: 'ok', info: {}, error: {}, details: {} };
  await Promise.all(
    Object.entries(checks).map(async ([name, check]) => {
      try {
        report.info[name] = { status: 'up', ...(await check()) };
        report.details[name] = report.info[name];
      } catch (error) {
        report.status = 'error';
        report.error[name] = { status: 'down', message: describe(error), ...(error instanceof NotReady ? error.details : {}) };
        report.details[name] = report.error[name];
      }
    }),
  );
  return report;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
