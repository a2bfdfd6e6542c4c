/**
 * The e-service's question: may this user use this rights group at this scope now? Answered from
 * the rights register (and the registry, for the institution's status and lock), at the position
 * the register has reached, which the answer states. Every group includes VIEW; a resort scope
 * covers the institutions of the resort.
 */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from '../sql-time';
import { rigaDateOf } from '../rights-over-time/riga-calendar';

export type AuthorizationReason = 'not-granted' | 'expired' | 'revoked' | 'ended' | 'locked' | 'institution-inactive';

export interface AuthorizationQuestion {
  personalCode: string;
  group: string;
  scope: { kind: 'institution' | 'resort'; id: string };
}

export interface AuthorizationAnswer {
  decision: 'allow' | 'deny';
  reason?: AuthorizationReason;
  /** The application whose grant answers it (allowed, or the last that did). */
  application?: string;
  /** The rights register's position: the answer holds for the log up to it. */
  position: string;
}

interface RightRow {
  application_id: string;
  employer: string;
  term_until: string | null;
  ended_at: string | null;
  end_reason: string | null;
  employer_status: string | null;
  campaign_id: string | null;
}

const REASON_OF_END: Record<string, AuthorizationReason> = {
  revoked: 'revoked',
  expired: 'expired',
  'institution-merged': 'ended',
  'not-recertified': 'ended',
};

export async function answerAuthorization(sql: SqlExecutor, schema: string, question: AuthorizationQuestion, now: Date): Promise<AuthorizationAnswer> {
  const [{ position }] = await sql.query<{ position: string }>(
    `select coalesce((select position::text from ${schema}.projection_checkpoints where name = 'rights_register'), '0') as position`,
  );
  const today = rigaDateOf(now);
  // The scopes that cover the question: itself, and for an institution the resort it belongs to.
  const rows = await sql.query<RightRow>(
    `with asked as (
       select $2::text as kind, $3::text as id
       union all
       select 'resort', i.resort_head from ${schema}.registry_institutions i where $2 = 'institution' and i.registration_number = $3 and i.resort_head is not null
     )
     select r.application_id, r.employer, r.term_until::text as term_until, ${isoText('r.ended_at')} as ended_at, r.end_reason,
            e.status as employer_status, e.campaign_id
       from ${schema}.user_rights r
       join asked a on a.kind = r.scope_kind and a.id = r.scope
       left join ${schema}.registry_institutions e on e.registration_number = r.employer
      where r.personal_code = $1 and ($4 = 'VIEW' or $4 = any(r.groups))
      order by r.ended_at desc nulls first, r.granted_position desc`,
    [question.personalCode, question.scope.kind, question.scope.id, question.group],
  );
  const inForce = rows.filter((r) => r.ended_at === null && (r.term_until === null || r.term_until >= today));
  for (const right of inForce) {
    if (right.campaign_id !== null) return { decision: 'deny', reason: 'locked', application: right.application_id, position };
    if (right.employer_status !== null && right.employer_status !== 'active') return { decision: 'deny', reason: 'institution-inactive', application: right.application_id, position };
    return { decision: 'allow', application: right.application_id, position };
  }
  const last = rows[0];
  if (!last) return { decision: 'deny', reason: 'not-granted', position };
  // Past its end date, before the expiry process has recorded it: expired all the same.
  if (last.ended_at === null) return { decision: 'deny', reason: 'expired', application: last.application_id, position };
  return { decision: 'deny', reason: REASON_OF_END[last.end_reason ?? ''] ?? 'not-granted', application: last.application_id, position };
}
