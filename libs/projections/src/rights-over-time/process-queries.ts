/** Reads of the process's tables: the outbox and the due work, for the api and for tests. */
import type { SqlExecutor } from '@atlauja/event-store';
import { iso } from './rights-over-time.projection';

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
  if (filter.applicationId !== undefined) where.push(`application_id = $${params.push(filter.applicationId)}`);
  if (filter.institution !== undefined) where.push(`institution = $${params.push(filter.institution)}`);
  return sql.query<NoticeItem>(
    `select notice_id as "noticeId", recipient_kind as "recipientKind", recipient_id as "recipientId", kind, application_id as "applicationId", institution,
            ${iso('due_at')} as "dueAt", ${iso('created_at')} as "createdAt", status, attempts, last_error as "lastError"
       from ${schema}.notices ${where.length ? `where ${where.join(' and ')}` : ''} order by due_at, notice_id limit 1000`,
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
    `select work_id as "workId", kind, application_id as "applicationId", by_application as "byApplication", reason, ${iso('due_at')} as "dueAt", status, outcome
       from ${schema}.process_work ${applicationId !== undefined ? 'where application_id = $1' : ''} order by due_at, work_id limit 1000`,
    applicationId !== undefined ? [applicationId] : [],
  );
}
