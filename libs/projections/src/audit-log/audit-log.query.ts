/** Reading the audit log: filtered by stream, actor, institution, type and period, in log order. */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from '../sql-time';
import { decodeCursor, pageOf, type CursorShape, type Page } from '../cursor';

/** A page in one order is not a page in the other: the cursor names its order. */
const cursorShape = (order: 'asc' | 'desc'): CursorShape => ({ list: `audit-log-${order}`, parts: ['position'] });

export interface AuditLogFilter {
  stream?: string;
  /** An actor id (a personal code or system:<process>); passed in a body, never a URL. */
  actor?: string;
  institution?: string;
  type?: string;
  /** ISO instants: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  order: 'asc' | 'desc';
  cursor?: string;
  limit: number;
}

export interface AuditLogItem {
  position: string;
  eventId: string;
  occurredAt: string;
  actor: string;
  stream: string;
  revision: string;
  type: string;
  applicationId: string | null;
  institution: string | null;
  summary: string;
}

interface AuditRow {
  position: string;
  event_id: string;
  occurred_at: string;
  actor: string;
  actor_masked: string;
  stream: string;
  revision: string;
  type: string;
  application_id: string | null;
  institution: string | null;
  summary: string;
}

/** `revealActors`: the actor's id as recorded (for auditors); otherwise masked. */
export async function readAuditLog(sql: SqlExecutor, schema: string, filter: AuditLogFilter, revealActors = false): Promise<Page<AuditLogItem>> {
  const params: unknown[] = [];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const where = ['true'];
  if (filter.stream !== undefined) where.push(`stream = ${param(filter.stream)}`);
  if (filter.actor !== undefined) where.push(`actor = ${param(filter.actor)}`);
  if (filter.institution !== undefined) where.push(`institution = ${param(filter.institution)}`);
  if (filter.type !== undefined) where.push(`type = ${param(filter.type)}`);
  if (filter.from !== undefined) where.push(`occurred_at >= ${param(filter.from)}::timestamptz`);
  if (filter.to !== undefined) where.push(`occurred_at < ${param(filter.to)}::timestamptz`);
  if (filter.cursor !== undefined) {
    const [position] = decodeCursor(filter.cursor, cursorShape(filter.order));
    where.push(`position ${filter.order === 'asc' ? '>' : '<'} ${param(position)}::numeric`);
  }
  const rows = await sql.query<AuditRow>(
    `select position::text as position, event_id, ${isoText('occurred_at')} as occurred_at,
            actor, actor_masked, stream, revision::text as revision, type, application_id, institution, summary
       from ${schema}.audit_log a
      where ${where.join(' and ')}
      -- Qualified: the bare name is the output column (text), which sorts as a string and skips the index.
      order by a.position ${filter.order}
      limit ${param(String(filter.limit + 1))}::int`,
    params,
  );
  return pageOf(
    rows,
    filter.limit,
    (r) => ({
      position: r.position,
      eventId: r.event_id,
      occurredAt: r.occurred_at,
      actor: revealActors ? r.actor : r.actor_masked,
      stream: r.stream,
      revision: r.revision,
      type: r.type,
      applicationId: r.application_id,
      institution: r.institution,
      summary: r.summary,
    }),
    cursorShape(filter.order),
    (r) => [r.position],
  );
}
