/**
 * What the scrape-time gauges read: the projections' lag (from their progress and the log) and the
 * rights-over-time executor's backlog, queue and failures (from its tables, when they exist), each
 * through an index, so a scrape's cost follows what is due and queued, not the length of the history.
 */
import type { EventStore, SqlExecutor } from '@atlauja/event-store';
import type { ProjectionProgress } from '@atlauja/projections';
import type { ScrapeSources } from './metrics';

export function projectionLag(progress: () => ProjectionProgress, store: EventStore): NonNullable<ScrapeSources['projections']> {
  return async () => {
    const statuses = await progress().status();
    const ages = new Map<string, number>();
    for (const status of statuses) {
      if (status.lag === '0' || ages.has(status.checkpoint)) continue;
      // The oldest event not applied yet: how long it has been waiting.
      const [next] = await store.readAll(BigInt(status.checkpoint), 1);
      const at = next ? Date.parse(next.metadata.occurredAt) : NaN;
      ages.set(status.checkpoint, Number.isFinite(at) ? Math.max(0, (Date.now() - at) / 1000) : 0);
    }
    return statuses.map((s) => ({ name: s.name, lagEvents: Number(s.lag), lagSeconds: s.lag === '0' ? 0 : (ages.get(s.checkpoint) ?? 0), failed: s.state === 'failed' }));
  };
}

export function executorProgress(sql: () => SqlExecutor | null, schema: string): NonNullable<ScrapeSources['executor']> {
  return async () => {
    const db = sql();
    if (db === null) return null;
    const [tables] = await db.query<{ work: boolean; deliveries: boolean }>(
      `select to_regclass($1) is not null and to_regclass($2) is not null as work,
              to_regclass($3) is not null and to_regclass($4) is not null and to_regclass($5) is not null as deliveries`,
      [`${schema}.process_work`, `${schema}.process_outcomes`, `${schema}.notices`, `${schema}.notice_deliveries`, `${schema}.notice_intake`],
    );
    const backlog: Record<string, number> = {};
    const deliveries: Record<string, number> = { pending: 0, delivering: 0, failed: 0 };
    if (tables?.work) {
      const [row] = await db.query<{ n: string }>(
        `select count(*)::text as n from ${schema}.process_work w left join ${schema}.process_outcomes o on o.work_id = w.work_id
          where w.status = 'pending' and w.due_at <= now() and o.outcome is null`,
      );
      backlog.work = Number(row.n);
    }
    if (tables?.deliveries) {
      // Due and unsettled in the executor's queue, and due in the outbox but not taken in yet: both
      // through indexes, never over every notice ever delivered.
      const [row] = await db.query<{ n: string }>(
        `select ((select count(*) from ${schema}.notice_deliveries where status in ('pending', 'delivering') and due_at <= now())
               + (select count(*) from ${schema}.notices where recorded_position > coalesce((select taken_through from ${schema}.notice_intake), -1)
                     and status = 'pending' and due_at <= now()))::text as n`,
      );
      backlog.notices = Number(row.n);
      // The queue and the notices that failed for good, each through its partial index. Delivered and
      // cancelled rows, nearly all of the table, are counted as they settle (atlauja_notices_settled_total).
      const counts = await db.query<{ status: string; n: string }>(
        `select status, count(*)::text as n from ${schema}.notice_deliveries where status in ('pending', 'delivering') group by status
         union all
         select 'failed', count(*)::text from ${schema}.notice_deliveries where status = 'failed'`,
      );
      for (const r of counts) {
        deliveries[r.status] = Number(r.n);
      }
    }
    return { backlog, deliveries };
  };
}
