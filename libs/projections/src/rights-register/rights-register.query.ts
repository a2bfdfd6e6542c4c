/**
 * Reading the rights register: the rights in force now, by person, by employer or by scope.
 * A person is looked up by personal code, which callers pass in a request body, never a URL.
 */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from '../sql-time';
import { rigaDateOf } from '../rights-over-time/riga-calendar';
import type { UserRightRow } from './rights-register.projection';
import { decodeCursor, pageOf, type CursorShape, type Page } from '../cursor';

const CURSOR: CursorShape = { list: 'rights-register', parts: ['text', 'text', 'text', 'text', 'text'] };

export interface UserRightsFilter {
  personalCode?: string;
  /** The institution whose representative applied for the rights (the user's employer). */
  employer?: string;
  /** An institution or resort the rights are on (registration number). */
  scope?: string;
  cursor?: string;
  limit: number;
}

export interface UserRightItem {
  user: { givenName: string; surname: string; personalCode: string };
  employer: string;
  scope: { kind: 'institution'; institution: string } | { kind: 'resort'; resort: string };
  groups: string[];
  term: { kind: string; date?: string };
  grantedBy: { applicationId: string; at: string; position: string };
}

/** The columns a query reads: a grant's row without its ending (a right in force has none). */
type RightRow = Pick<
  UserRightRow,
  | 'application_id' | 'scope_kind' | 'scope' | 'groups' | 'personal_code' | 'personal_code_masked' | 'given_name' | 'surname'
  | 'employer' | 'term_kind' | 'term_until' | 'granted_at' | 'granted_position'
>;

/**
 * In force: granted, not ended by an event, and (for an end date) not past it today. The last
 * check reads the clock because the expiry event comes later, from the expiry process.
 * `revealPersonalCodes` is for auditors; everyone else sees them masked.
 */
export async function readUserRights(sql: SqlExecutor, schema: string, filter: UserRightsFilter, now: Date, revealPersonalCodes: boolean): Promise<Page<UserRightItem>> {
  // A Latvian end date is the last day of the rights, ending at Riga midnight.
  const params: unknown[] = [rigaDateOf(now)];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const where = ['ended_at is null', '(term_until is null or term_until >= $1::date)'];
  if (filter.personalCode !== undefined) where.push(`personal_code = ${param(filter.personalCode)}`);
  if (filter.employer !== undefined) where.push(`employer = ${param(filter.employer)}`);
  if (filter.scope !== undefined) where.push(`scope = ${param(filter.scope)}`);
  if (filter.cursor !== undefined) {
    const [surname, givenName, applicationId, scopeKind, scope] = decodeCursor(filter.cursor, CURSOR);
    where.push(`(surname, given_name, application_id, scope_kind, scope) > (${param(surname)}, ${param(givenName)}, ${param(applicationId)}, ${param(scopeKind)}, ${param(scope)})`);
  }
  const rows = await sql.query<RightRow>(
    `select application_id, scope_kind, scope, groups, personal_code, personal_code_masked, given_name, surname, employer,
            term_kind, term_until::text as term_until,
            ${isoText('granted_at')} as granted_at, granted_position::text as granted_position
       from ${schema}.user_rights
      where ${where.join(' and ')}
      order by surname, given_name, application_id, scope_kind, scope
      limit ${param(String(filter.limit + 1))}::int`,
    params,
  );
  return pageOf(
    rows,
    filter.limit,
    (r) => ({
      user: { givenName: r.given_name, surname: r.surname, personalCode: revealPersonalCodes ? r.personal_code : r.personal_code_masked },
      employer: r.employer,
      scope: r.scope_kind === 'institution' ? { kind: 'institution', institution: r.scope } : { kind: 'resort', resort: r.scope },
      groups: r.groups,
      term: r.term_kind === 'until' ? { kind: 'until', date: r.term_until as string } : { kind: r.term_kind },
      grantedBy: { applicationId: r.application_id, at: r.granted_at, position: r.granted_position },
    }),
    CURSOR,
    (r) => [r.surname, r.given_name, r.application_id, r.scope_kind, r.scope],
  );
}

/**
 * Who holds rights at an institution (their employer), with the applications not ended by an event:
 * the list a re-certification campaign opens with and a merge ends. With `asOf`, the holders as the
 * log stood at that position (a merge's list stays the same when asked again after it ended them).
 * Personal codes unmasked: the caller is a command, not a reader.
 */
export async function readHoldersAt(sql: SqlExecutor, schema: string, institution: string, asOf?: bigint): Promise<{ personalCode: string; applications: string[] }[]> {
  const rows = await sql.query<{ personal_code: string; applications: string[] }>(
    asOf === undefined
      ? `select personal_code, array_agg(distinct application_id order by application_id) as applications
           from ${schema}.user_rights where employer = $1 and ended_at is null
          group by personal_code order by personal_code`
      : `select personal_code, array_agg(distinct application_id order by application_id) as applications
           from ${schema}.user_rights
          where employer = $1 and granted_position <= $2::numeric and (ended_at is null or ended_position > $2::numeric)
          group by personal_code order by personal_code`,
    asOf === undefined ? [institution] : [institution, asOf.toString()],
  );
  return rows.map((r) => ({ personalCode: r.personal_code, applications: r.applications }));
}
