/**
 * Reads of the process: the outbox and the due work, for the api and for tests. Each joins what the
 * log implies (the projection's tables) with what the executor did (its own tables, created by its
 * first tick): a notice the executor delivered or gave up on shows that status even if the log has
 * since cancelled it; otherwise the log's (`pending`, `cancelled`).
 */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText as iso } from '../sql-time';

export interface NoticeItem {
  noticeId: string;
  recipientKind: string;
  recipientId: string;
  kind: string;
  applicationId: string;
  institution: string;
  dueAt: string;
  createdAt: string;
  status: string;
  attempts: number;
  lastError: string | null;
}

export async function readNotices(sql: SqlExecutor, schema: string, filter: { applicationId?: string; institution?: string } = {}): Promise<NoticeItem[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.applicationId !== undefined) where.push(`n.application_id = $${params.push(filter.applicationId)}`);
  if (filter.institution !== undefined) where.push(`n.institution = $${params.push(filter.institution)}`);
  return sql.query<NoticeItem>(
    `select n.notice_id as "noticeId", n.recipient_kind as "recipientKind", n.recipient_id as "recipientId", n.kind, n.application_id as "applicationId", n.institution,
            ${iso('n.due_at')} as "dueAt", ${iso('n.created_at')} as "createdAt",
            case when d.status in ('delivered', 'failed') then d.status else n.status end as status,
            coalesce(d.attempts, 0) as attempts, d.last_error as "lastError"
       from ${schema}.notices n left join ${schema}.notice_deliveries d on d.notice_id = n.notice_id
       ${where.length ? `where ${where.join(' and ')}` : ''} order by n.due_at, n.notice_id limit 1000`,
    params,
  );
}

export interface ProcessWorkItem {
  workId: string;
  kind: string;
  applicationId: string;
  byApplication: string | null;
  reason: string | null;
  dueAt: string;
  status: string;
  outcome: string | null;
}

export async function readProcessWork(sql: SqlExecutor, schema: string, applicationId?: string): Promise<ProcessWorkItem[]> {
  return sql.query<ProcessWorkItem>(
    `select w.work_id as "workId", w.kind, w.application_id as "applicationId", w.by_application as "byApplication", w.reason, ${iso('w.due_at')} as "dueAt",
            case when o.outcome is not null then 'done' else w.status end as status, coalesce(o.outcome, w.outcome) as outcome
       from ${schema}.process_work w left join ${schema}.process_outcomes o on o.work_id = w.work_id
       ${applicationId !== undefined ? 'where w.application_id = $1' : ''} order by w.due_at, w.work_id limit 1000`,
    applicationId !== undefined ? [applicationId] : [],
  );
}
