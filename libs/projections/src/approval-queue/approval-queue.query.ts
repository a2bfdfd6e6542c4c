/** Reading the approvers' queue: oldest first, filtered, a page at a time. */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from '../sql-time';
import { decodeCursor, pageOf, type CursorShape, type Page } from '../cursor';

const CURSOR: CursorShape = { list: 'approval-queue', parts: ['instant', 'text'] };

export interface ApprovalQueueFilter {
  institution?: string;
  kind?: string;
  /** yes: claimed by anyone; no: unclaimed; mine: claimed by `viewer`. */
  claimed?: 'yes' | 'no' | 'mine';
  cursor?: string;
  limit: number;
}

export interface ApprovalQueueItem {
  applicationId: string;
  institution: string;
  kind: string;
  user: { givenName: string; surname: string; personalCode: string };
  queuedAt: string;
  /** Seconds since the signature was accepted, as of `now`. */
  ageSeconds: number;
  claimedBy: string | null;
  claimedAt: string | null;
  claimedByMe: boolean;
  /** The viewer drafted or signed it, so four eyes forbids them to decide it. */
  fourEyesConflict: boolean;
}

interface QueueRow {
  application_id: string;
  institution: string;
  kind: string;
  given_name: string;
  surname: string;
  personal_code_masked: string;
  queued_at: string;
  queued_at_key: string;
  age_seconds: string;
  claimed_by_masked: string | null;
  claimed_at: string | null;
  claimed_by_me: boolean;
  four_eyes_conflict: boolean;
}

/** `viewer` is the caller's actor id (never returned); `now` is the service clock's time. */
export async function readApprovalQueue(sql: SqlExecutor, schema: string, filter: ApprovalQueueFilter, viewer: string, now: Date): Promise<Page<ApprovalQueueItem>> {
  const params: unknown[] = [viewer, now.toISOString()];
  const where = [`status = 'signed'`];
  const param = (value: unknown): string => `$${params.push(value)}`;
  if (filter.institution !== undefined) where.push(`institution = ${param(filter.institution)}`);
  if (filter.kind !== undefined) where.push(`kind = ${param(filter.kind)}`);
  if (filter.claimed === 'yes') where.push('claimed_by is not null');
  if (filter.claimed === 'no') where.push('claimed_by is null');
  if (filter.claimed === 'mine') where.push('claimed_by = $1');
  if (filter.cursor !== undefined) {
    const [queuedAt, id] = decodeCursor(filter.cursor, CURSOR);
    where.push(`(queued_at, application_id) > (${param(queuedAt)}::timestamptz, ${param(id)})`);
  }
  const rows = await sql.query<QueueRow>(
    `select application_id, institution, kind, given_name, surname, personal_code_masked,
            ${isoText('queued_at')} as queued_at,
            queued_at::text as queued_at_key,
            greatest(0, floor(extract(epoch from ($2::timestamptz - queued_at))))::text as age_seconds,
            claimed_by_masked,
            ${isoText('claimed_at')} as claimed_at,
            coalesce(claimed_by = $1, false) as claimed_by_me,
            (drafted_by = $1 or coalesce(signed_by = $1, false)) as four_eyes_conflict
       from ${schema}.approval_queue q
      where ${where.join(' and ')}
      -- Qualified: a bare queued_at here is the output column (the to_char text above), which sorted
      -- every signed row by a string instead of walking the index in queue order.
      order by q.queued_at, q.application_id
      limit ${param(String(filter.limit + 1))}::int`,
    params,
  );
  return pageOf(
    rows,
    filter.limit,
    (r) => ({
      applicationId: r.application_id,
      institution: r.institution,
      kind: r.kind,
      user: { givenName: r.given_name, surname: r.surname, personalCode: r.personal_code_masked },
      queuedAt: r.queued_at,
      ageSeconds: Number(r.age_seconds),
      claimedBy: r.claimed_by_masked,
      claimedAt: r.claimed_at,
      claimedByMe: r.claimed_by_me,
      fourEyesConflict: r.four_eyes_conflict,
    }),
    CURSOR,
    (r) => [r.queued_at_key, r.application_id],
  );
}
