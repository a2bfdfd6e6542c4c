/**
 * Each institution's applications, for its representatives: every status, searchable by the user's
 * name. The personal code is stored masked only: a representative's list never needs the full code
 * (the application itself, read through its own endpoint, does).
 */
import { maskPersonalCode, type ApplicationUser, type Term } from '@atlauja/domain';
import { applicationDocumentProjection } from '../application-document';
import { foldForSearch, redactPersonalCodes } from '../personal-data';
import { POSITION_SQL_TYPE } from '../positions';
import type { RowTable } from '../rows';

export interface InstitutionApplicationRow {
  [column: string]: unknown;
  application_id: string;
  institution: string;
  kind: string;
  status: string;
  given_name: string;
  surname: string;
  /** "given surname" lower-cased without diacritics, for search. */
  name_search: string;
  personal_code_masked: string;
  term_kind: string;
  term_until: string | null;
  replaces: string | null;
  drafted_at: string;
  submitted_at: string | null;
  signed_at: string | null;
  decided_at: string | null;
  ended_at: string | null;
  /** Rejection, withdrawal or revocation reason, or the expiry reason. */
  reason: string | null;
  claimed: boolean;
  updated_at: string;
  /** The stream revision of its last event (what If-Match takes). */
  revision: string;
  last_position: string;
}

export const INSTITUTION_APPLICATIONS_TABLE: RowTable = {
  table: 'institution_applications',
  key: ['application_id'],
  columns: [
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'status', type: 'text', notNull: true },
    { name: 'given_name', type: 'text', notNull: true },
    { name: 'surname', type: 'text', notNull: true },
    { name: 'name_search', type: 'text', notNull: true },
    { name: 'personal_code_masked', type: 'text', notNull: true },
    { name: 'term_kind', type: 'text', notNull: true },
    { name: 'term_until', type: 'date' },
    { name: 'replaces', type: 'text' },
    { name: 'drafted_at', type: 'timestamptz', notNull: true },
    { name: 'submitted_at', type: 'timestamptz' },
    { name: 'signed_at', type: 'timestamptz' },
    { name: 'decided_at', type: 'timestamptz' },
    { name: 'ended_at', type: 'timestamptz' },
    { name: 'reason', type: 'text' },
    { name: 'claimed', type: 'boolean', notNull: true },
    { name: 'updated_at', type: 'timestamptz', notNull: true },
    { name: 'revision', type: POSITION_SQL_TYPE, notNull: true },
    { name: 'last_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

function userColumns(user: ApplicationUser): Pick<InstitutionApplicationRow, 'given_name' | 'surname' | 'name_search' | 'personal_code_masked'> {
  return {
    given_name: user.givenName,
    surname: user.surname,
    name_search: foldForSearch(`${user.givenName} ${user.surname}`),
    personal_code_masked: maskPersonalCode(user.personalCode),
  };
}

function termColumns(term: Term): Pick<InstitutionApplicationRow, 'term_kind' | 'term_until'> {
  return { term_kind: term.kind, term_until: term.kind === 'until' ? term.date : null };
}

export const institutionApplications = applicationDocumentProjection<InstitutionApplicationRow>({
  name: 'institution_applications',
  table: INSTITUTION_APPLICATIONS_TABLE,
  queryIndexes: (schema) => [
    `create index if not exists institution_applications_recent on ${schema}.institution_applications (institution, updated_at desc, application_id desc)`,
  ],
  evolve(row, event, { applicationId, recorded }) {
    const common = { revision: recorded.revision.toString(), last_position: recorded.position.toString(), updated_at: recorded.metadata.occurredAt };
    if (event.type === 'ApplicationDrafted') {
      const d = event.data;
      return {
        application_id: applicationId,
        institution: d.institution,
        kind: d.kind,
        status: 'draft',
        ...userColumns(d.user),
        ...termColumns(d.term),
        replaces: d.replaces ?? null,
        drafted_at: d.draftedAt,
        submitted_at: null,
        signed_at: null,
        decided_at: null,
        ended_at: null,
        reason: null,
        claimed: false,
        ...common,
      };
    }
    if (row === undefined) return undefined;
    const next = { ...row, ...common };
    switch (event.type) {
      case 'DraftEdited': {
        const { user, term } = event.data.changes;
        return { ...next, ...(user ? userColumns(user) : {}), ...(term ? termColumns(term) : {}) };
      }
      case 'ApplicationSubmitted':
        return { ...next, status: 'submitted', submitted_at: event.data.submittedAt };
      case 'ApplicationSigned':
        return { ...next, status: 'signed', signed_at: event.data.acceptedAt };
      case 'ApplicationClaimed':
        return { ...next, claimed: true };
      case 'ClaimReleased':
        return { ...next, claimed: false };
      case 'ApplicationApproved':
        return { ...next, status: 'approved', claimed: false, decided_at: event.data.approvedAt };
      case 'ApplicationRejected':
        return { ...next, status: 'rejected', claimed: false, decided_at: event.data.rejectedAt, reason: redactPersonalCodes(event.data.reason) };
      case 'ApplicationWithdrawn':
        return { ...next, status: 'withdrawn', ended_at: event.data.withdrawnAt, reason: event.data.reason === undefined ? null : redactPersonalCodes(event.data.reason) };
      case 'ApplicationRevoked':
        return { ...next, status: 'revoked', ended_at: event.data.revokedAt, reason: redactPersonalCodes(event.data.reason) };
      case 'ApplicationExpired':
        return { ...next, status: 'expired', ended_at: event.data.expiredAt, reason: event.data.reason };
      case 'ApplicationSuperseded':
        return { ...next, status: 'superseded', ended_at: event.data.supersededAt };
      case 'ApplicationEnded':
        return { ...next, status: 'ended', claimed: false, ended_at: event.data.endedAt, reason: event.data.cause };
      case 'ApplicationClosed':
        return { ...next, status: 'closed', claimed: false, ended_at: event.data.closedAt, reason: event.data.cause };
      default:
        return next;
    }
  },
});
