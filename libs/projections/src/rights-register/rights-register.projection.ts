/**
 * The user rights register: each user's rights per institution or resort, with the term and the
 * application that granted them.
 *
 * One row per grant (application × scope) that is never deleted: approval opens it, and it is
 * closed (ended_at, end_reason, ended_by_application) when the granting application is revoked,
 * expires, is superseded or ended (institution merged, not re-certified), when a later change
 * replaces it, or when a termination for that user at that institution is approved. "In force" is `ended_at is null`; rights as of any moment
 * (issue 8) is `granted_at <= t and (ended_at is null or ended_at > t)` over the same rows.
 *
 * The register is keyed by the user's personal code, so it stores it in full; queries show it
 * masked to everyone but auditors. The applications' content (who, which rights, which term) comes
 * from drafts and edits long before the approval, so the projection keeps it in its own table.
 */
import { maskPersonalCode, type ApplicationEvent, type ApplicationUser, type RightsScope, type Term } from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { asApplicationEvent } from '../application-events';
import type { Projection } from '../projection';
import { POSITION_SQL_TYPE } from '../positions';
import { createTable, keyOf, loadRowsWhere, upsertRows, type RowTable } from '../rows';

interface ApplicationContentRow {
  [column: string]: unknown;
  application_id: string;
  institution: string;
  kind: string;
  applicant: ApplicationUser;
  term: Term;
  rights: RightsScope[];
  replaces: string | null;
  /** The last event of this application applied: older ones are skipped (replaying a prefix changes nothing). */
  last_position: string;
}

export interface UserRightRow {
  [column: string]: unknown;
  application_id: string;
  scope_kind: 'institution' | 'resort';
  /** The institution's or the resort head's registration number. */
  scope: string;
  groups: string[];
  personal_code: string;
  personal_code_masked: string;
  given_name: string;
  surname: string;
  /** The institution whose representative applied: the user's employer. */
  employer: string;
  term_kind: string;
  term_until: string | null;
  granted_at: string;
  granted_position: string;
  ended_at: string | null;
  /** revoked, expired, superseded, terminated, or the cause of an ApplicationEnded (institution-merged, not-recertified). */
  end_reason: string | null;
  ended_by_application: string | null;
  ended_position: string | null;
}

const CONTENT_TABLE: RowTable = {
  table: 'rights_register_applications',
  key: ['application_id'],
  columns: [
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'applicant', type: 'jsonb', notNull: true },
    { name: 'term', type: 'jsonb', notNull: true },
    { name: 'rights', type: 'jsonb', notNull: true },
    { name: 'replaces', type: 'text' },
    { name: 'last_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

export const USER_RIGHTS_TABLE: RowTable = {
  table: 'user_rights',
  key: ['application_id', 'scope_kind', 'scope'],
  columns: [
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'scope_kind', type: 'text', notNull: true },
    { name: 'scope', type: 'text', notNull: true },
    { name: 'groups', type: 'text[]', notNull: true },
    { name: 'personal_code', type: 'text', notNull: true },
    { name: 'personal_code_masked', type: 'text', notNull: true },
    { name: 'given_name', type: 'text', notNull: true },
    { name: 'surname', type: 'text', notNull: true },
    { name: 'employer', type: 'text', notNull: true },
    { name: 'term_kind', type: 'text', notNull: true },
    { name: 'term_until', type: 'date' },
    { name: 'granted_at', type: 'timestamptz', notNull: true },
    { name: 'granted_position', type: POSITION_SQL_TYPE, notNull: true },
    { name: 'ended_at', type: 'timestamptz' },
    { name: 'end_reason', type: 'text' },
    { name: 'ended_by_application', type: 'text' },
    { name: 'ended_position', type: POSITION_SQL_TYPE },
  ],
};

function ddl(schema: string): string[] {
  return [
    createTable(schema, CONTENT_TABLE),
    createTable(schema, USER_RIGHTS_TABLE),
    // A batch with a termination loads the user's rights in force by it.
    `create index if not exists user_rights_person_in_force on ${schema}.user_rights (personal_code) where ended_at is null`,
  ];
}

function queryIndexes(schema: string): string[] {
  return [
    `create index if not exists user_rights_scope_in_force on ${schema}.user_rights (scope_kind, scope) where ended_at is null`,
    `create index if not exists user_rights_employer_in_force on ${schema}.user_rights (employer) where ended_at is null`,
  ];
}

/** Everything the batch's events may read or change, loaded up front and written back at the end. */
class RegisterBatch {
  readonly content = new Map<string, ApplicationContentRow>();
  readonly rights = new Map<string, UserRightRow>();
  readonly changedContent = new Set<string>();
  readonly changedRights = new Set<string>();

  openGrants(recorded: RecordedEvent, granting: ApplicationContentRow, grantedAt: string): void {
    for (const scope of granting.rights) {
      const row: UserRightRow = {
        application_id: granting.application_id,
        scope_kind: scope.kind,
        scope: scope.kind === 'institution' ? scope.institution : scope.resort,
        groups: [...scope.groups],
        personal_code: granting.applicant.personalCode,
        personal_code_masked: maskPersonalCode(granting.applicant.personalCode),
        given_name: granting.applicant.givenName,
        surname: granting.applicant.surname,
        employer: granting.institution,
        term_kind: granting.term.kind,
        term_until: granting.term.kind === 'until' ? granting.term.date : null,
        granted_at: grantedAt,
        granted_position: recorded.position.toString(),
        ended_at: null,
        end_reason: null,
        ended_by_application: null,
        ended_position: null,
      };
      this.put(row);
    }
  }

  closeGrants(match: (row: UserRightRow) => boolean, recorded: RecordedEvent, endedAt: string, reason: string, by: string | null): void {
    for (const row of this.rights.values()) {
      if (row.ended_at !== null || !match(row)) continue;
      this.put({ ...row, ended_at: endedAt, end_reason: reason, ended_by_application: by, ended_position: recorded.position.toString() });
    }
  }

  private put(row: UserRightRow): void {
    const key = keyOf(USER_RIGHTS_TABLE, row);
    this.rights.set(key, row);
    this.changedRights.add(key);
  }
}

function evolveContent(row: ApplicationContentRow | undefined, applicationId: string, event: ApplicationEvent, last_position: string): ApplicationContentRow | undefined {
  switch (event.type) {
    case 'ApplicationDrafted': {
      const d = event.data;
      return { application_id: applicationId, institution: d.institution, kind: d.kind, applicant: d.user, term: d.term, rights: [], replaces: d.replaces ?? null, last_position };
    }
    case 'DraftEdited':
      return row && { ...row, applicant: event.data.changes.user ?? row.applicant, term: event.data.changes.term ?? row.term, last_position };
    case 'RightsSet':
      return row && { ...row, rights: event.data.rights, last_position };
    default:
      return row && { ...row, last_position };
  }
}

function apply(batch: RegisterBatch, recorded: RecordedEvent, applicationId: string, event: ApplicationEvent): void {
  const before = batch.content.get(applicationId);
  if (before !== undefined && BigInt(before.last_position) >= recorded.position) return;
  const content = evolveContent(before, applicationId, event, recorded.position.toString());
  if (content === undefined) return;
  batch.content.set(applicationId, content);
  batch.changedContent.add(applicationId);
  switch (event.type) {
    case 'ApplicationApproved': {
      const at = event.data.approvedAt;
      // A change or a termination ends what the application it replaces granted.
      if (content.replaces !== null) {
        const replaced = content.replaces;
        batch.closeGrants((r) => r.application_id === replaced, recorded, at, content.kind === 'termination' ? 'terminated' : 'superseded', applicationId);
      }
      if (content.kind === 'termination') {
        // Termination ends every right the user holds through that institution, whichever application granted it.
        batch.closeGrants((r) => r.personal_code === content.applicant.personalCode && r.employer === content.institution, recorded, at, 'terminated', applicationId);
      } else {
        batch.openGrants(recorded, content, at);
      }
      return;
    }
    case 'ApplicationRevoked':
      return batch.closeGrants((r) => r.application_id === applicationId, recorded, event.data.revokedAt, 'revoked', null);
    case 'ApplicationExpired':
      return batch.closeGrants((r) => r.application_id === applicationId, recorded, event.data.expiredAt, 'expired', null);
    case 'ApplicationSuperseded':
      return batch.closeGrants((r) => r.application_id === applicationId, recorded, event.data.supersededAt, 'superseded', event.data.supersededBy);
    case 'ApplicationEnded':
      return batch.closeGrants((r) => r.application_id === applicationId, recorded, event.data.endedAt, event.data.cause, null);
    default:
      return;
  }
}

export const rightsRegister: Projection = {
  name: 'rights_register',
  tables: ['rights_register_applications', 'user_rights'],
  ddl,
  queryIndexes,
  async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void> {
    const applicationEvents = events.map((recorded) => ({ recorded, application: asApplicationEvent(recorded) })).filter((e) => e.application !== null);
    if (applicationEvents.length === 0) return;
    const batch = new RegisterBatch();
    const ids = [...new Set(applicationEvents.map((e) => e.application!.applicationId))];
    for (const row of await loadRowsWhere<ApplicationContentRow>(tx, schema, CONTENT_TABLE, 'application_id', ids)) batch.content.set(row.application_id, row);
    // The grants these events can close: the batch's applications' own, those they replace, and
    // (terminations) everything the same users hold. New users' content is drafted in this batch.
    const replaced = applicationEvents.flatMap((e) => {
      const replaces = e.application!.event.type === 'ApplicationApproved' ? e.application!.event.data.replaces : undefined;
      return replaces ? [replaces] : [];
    });
    // Only an approved termination closes grants by person (closeGrants by personal_code and employer):
    // load the people of the batch's terminations only. Loading every applicant's in-force rights made
    // each batch read all the rights of its users, which grows with the log (a user applying again and
    // again, or the bench's copies of one application: O(n^2) over a rebuild).
    const terminations = new Set([...batch.content.values()].filter((c) => c.kind === 'termination').map((c) => c.application_id));
    for (const { application } of applicationEvents) {
      if (application!.event.type === 'ApplicationDrafted' && application!.event.data.kind === 'termination') terminations.add(application!.applicationId);
    }
    const people = new Set([...batch.content.values()].filter((c) => terminations.has(c.application_id)).map((c) => c.applicant.personalCode));
    for (const { application } of applicationEvents) {
      if (!terminations.has(application!.applicationId)) continue;
      const event = application!.event;
      if (event.type === 'ApplicationDrafted') people.add(event.data.user.personalCode);
      if (event.type === 'DraftEdited' && event.data.changes.user) people.add(event.data.changes.user.personalCode);
    }
    // The applications' grants are filtered here, not by `ended_at is null` in SQL: that condition let a
    // planner without statistics (a rebuild's fresh table) walk the partial index of every grant in
    // force and filter it by application, a scan that grows with the register, page after page.
    const byApplication = await loadRowsWhere<UserRightRow>(tx, schema, USER_RIGHTS_TABLE, 'application_id', [...ids, ...replaced]);
    for (const row of [
      ...byApplication.filter((row) => row.ended_at === null),
      ...(await loadRowsWhere<UserRightRow>(tx, schema, USER_RIGHTS_TABLE, 'personal_code', [...people], 'and ended_at is null')),
    ]) {
      batch.rights.set(keyOf(USER_RIGHTS_TABLE, row), row);
    }
    for (const { recorded, application } of applicationEvents) apply(batch, recorded, application!.applicationId, application!.event);
    await upsertRows(tx, schema, CONTENT_TABLE, [...batch.changedContent].map((id) => batch.content.get(id)!));
    await upsertRows(tx, schema, USER_RIGHTS_TABLE, [...batch.changedRights].map((key) => batch.rights.get(key)!));
  },
};
