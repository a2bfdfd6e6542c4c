/** Reading one institution's applications: most recently changed first, by status and kind, searchable by name. */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from '../sql-time';
import { decodeCursor, pageOf, type CursorShape, type Page } from '../cursor';
import { foldForSearch } from '../personal-data';

export interface InstitutionApplicationsFilter {
  statuses?: string[];
  kind?: string;
  /** Part of the user's name; case and diacritics do not matter ("berzins" finds "Bērziņš"). */
  name?: string;
  cursor?: string;
  limit: number;
}

export interface InstitutionApplicationItem {
  applicationId: string;
  institution: string;
  kind: string;
  status: string;
  user: { givenName: string; surname: string; personalCode: string };
  term: { kind: string; date?: string };
  replaces: string | null;
  draftedAt: string;
  submittedAt: string | null;
  signedAt: string | null;
  decidedAt: string | null;
  endedAt: string | null;
  reason: string | null;
  claimed: boolean;
  updatedAt: string;
  revision: string;
}

const CURSOR: CursorShape = { list: 'institution-applications', parts: ['instant', 'text'] };

const ISO = (column: string): string => `${isoText(column)} as ${column}`;

/** LIKE's own metacharacters in a search term are matched literally. */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function readInstitutionApplications(sql: SqlExecutor, schema: string, institution: string, filter: InstitutionApplicationsFilter): Promise<Page<InstitutionApplicationItem>> {
  const params: unknown[] = [institution];
  const param = (value: unknown): string => `$${params.push(value)}`;
  const where = ['institution = $1'];
  if (filter.statuses !== undefined && filter.statuses.length > 0) where.push(`status in (select jsonb_array_elements_text(${param(JSON.stringify(filter.statuses))}::jsonb))`);
  if (filter.kind !== undefined) where.push(`kind = ${param(filter.kind)}`);
  const name = filter.name === undefined ? '' : foldForSearch(filter.name);
  if (name !== '') where.push(`name_search like ${param(likePattern(name))}`);
  if (filter.cursor !== undefined) {
    const [updatedAt, id] = decodeCursor(filter.cursor, CURSOR);
    where.push(`(updated_at, application_id) < (${param(updatedAt)}::timestamptz, ${param(id)})`);
  }
  const rows = await sql.query<Record<string, string | boolean | null> & { updated_at_key: string; application_id: string }>(
    `select application_id, institution, kind, status, given_name, surname, personal_code_masked, term_kind, term_until::text as term_until,
            replaces, ${ISO('drafted_at')}, ${ISO('submitted_at')}, ${ISO('signed_at')}, ${ISO('decided_at')}, ${ISO('ended_at')},
            reason, claimed, ${ISO('updated_at')}, updated_at::text as updated_at_key, revision::text as revision
       from ${schema}.institution_applications i
      where ${where.join(' and ')}
      -- Qualified: the bare name is the output column (text), which sorts as a string and skips the index.
      order by i.updated_at desc, i.application_id desc
      limit ${param(String(filter.limit + 1))}::int`,
    params,
  );
  return pageOf(
    rows,
    filter.limit,
    (r) => ({
      applicationId: r.application_id,
      institution: r.institution as string,
      kind: r.kind as string,
      status: r.status as string,
      user: { givenName: r.given_name as string, surname: r.surname as string, personalCode: r.personal_code_masked as string },
      term: r.term_kind === 'until' ? { kind: 'until', date: r.term_until as string } : { kind: r.term_kind as string },
      replaces: r.replaces as string | null,
      draftedAt: r.drafted_at as string,
      submittedAt: r.submitted_at as string | null,
      signedAt: r.signed_at as string | null,
      decidedAt: r.decided_at as string | null,
      endedAt: r.ended_at as string | null,
      reason: r.reason as string | null,
      claimed: r.claimed as boolean,
      updatedAt: r.updated_at as string,
      revision: r.revision as string,
    }),
    CURSOR,
    (r) => [r.updated_at_key, r.application_id],
  );
}

/**
 * An institution's applications not yet decided (draft, submitted, signed), and those a merge of the
 * institution closed or ended: what a merge closes (or ends, approved after it), listed the same when
 * the merge is carried out again, also after another run of it (the worker's) did it first.
 */
export async function readUndecidedAt(sql: SqlExecutor, schema: string, institution: string): Promise<string[]> {
  const rows = await sql.query<{ application_id: string }>(
    `select application_id from ${schema}.institution_applications
      where institution = $1 and (status in ('draft', 'submitted', 'signed') or (status in ('closed', 'ended') and reason = 'institution-merged'))
      order by application_id`,
    [institution],
  );
  return rows.map((r) => r.application_id);
}
