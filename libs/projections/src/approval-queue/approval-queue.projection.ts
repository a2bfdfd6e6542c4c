/**
 * The approvers' queue: signed applications awaiting a decision, oldest first.
 *
 * A row exists from the draft on (the queue needs the kind, institution and user that only the
 * draft carries) and stays after the decision with its final status (a deleted row would come back
 * when its draft is replayed). The queue itself is `status = 'signed'`, under a partial index in
 * queue order, so decided rows cost the queries nothing.
 *
 * claimed_by, drafted_by and signed_by are actor ids (personal codes): kept to answer "claimed by
 * me" and "may I decide" (four eyes), never returned; what is shown is claimed_by_masked.
 */
import { maskPersonalCode } from '@atlauja/domain';
import { applicationDocumentProjection } from '../application-document';
import { maskActor } from '../personal-data';
import { POSITION_SQL_TYPE } from '../positions';
import type { RowTable } from '../rows';

export interface ApprovalQueueRow {
  [column: string]: unknown;
  application_id: string;
  institution: string;
  kind: string;
  /** The application's status; 'signed' is "in the queue". */
  status: string;
  given_name: string;
  surname: string;
  personal_code_masked: string;
  drafted_by: string;
  signed_by: string | null;
  /** When the signature was accepted: the application's place in the queue. */
  queued_at: string | null;
  claimed_by: string | null;
  claimed_by_masked: string | null;
  claimed_at: string | null;
  last_position: string;
}

export const APPROVAL_QUEUE_TABLE: RowTable = {
  table: 'approval_queue',
  key: ['application_id'],
  columns: [
    { name: 'application_id', type: 'text', notNull: true },
    { name: 'institution', type: 'text', notNull: true },
    { name: 'kind', type: 'text', notNull: true },
    { name: 'status', type: 'text', notNull: true },
    { name: 'given_name', type: 'text', notNull: true },
    { name: 'surname', type: 'text', notNull: true },
    { name: 'personal_code_masked', type: 'text', notNull: true },
    { name: 'drafted_by', type: 'text', notNull: true },
    { name: 'signed_by', type: 'text' },
    { name: 'queued_at', type: 'timestamptz' },
    { name: 'claimed_by', type: 'text' },
    { name: 'claimed_by_masked', type: 'text' },
    { name: 'claimed_at', type: 'timestamptz' },
    { name: 'last_position', type: POSITION_SQL_TYPE, notNull: true },
  ],
};

export const approvalQueue = applicationDocumentProjection<ApprovalQueueRow>({
  name: 'approval_queue',
  table: APPROVAL_QUEUE_TABLE,
  queryIndexes: (schema) => [
    `create index if not exists approval_queue_order on ${schema}.approval_queue (queued_at, application_id) where status = 'signed'`,
    // The institution filter in queue order: without it the keyset page walks every other institution's rows.
    `create index if not exists approval_queue_institution_order on ${schema}.approval_queue (institution, queued_at, application_id) where status = 'signed'`,
  ],
  evolve(row, event, { applicationId, recorded }) {
    const last_position = recorded.position.toString();
    if (event.type === 'ApplicationDrafted') {
      const d = event.data;
      return {
        application_id: applicationId,
        institution: d.institution,
        kind: d.kind,
        status: 'draft',
        given_name: d.user.givenName,
        surname: d.user.surname,
        personal_code_masked: maskPersonalCode(d.user.personalCode),
        drafted_by: d.draftedBy,
        signed_by: null,
        queued_at: null,
        claimed_by: null,
        claimed_by_masked: null,
        claimed_at: null,
        last_position,
      };
    }
    if (row === undefined) return undefined;
    switch (event.type) {
      case 'DraftEdited': {
        const user = event.data.changes.user;
        return user ? { ...row, given_name: user.givenName, surname: user.surname, personal_code_masked: maskPersonalCode(user.personalCode), last_position } : { ...row, last_position };
      }
      case 'ApplicationSubmitted':
        return { ...row, status: 'submitted', last_position };
      case 'ApplicationSigned':
        return { ...row, status: 'signed', signed_by: event.data.signedBy, queued_at: event.data.acceptedAt, last_position };
      case 'ApplicationClaimed':
        return { ...row, claimed_by: event.data.claimedBy, claimed_by_masked: maskActor(event.data.claimedBy), claimed_at: event.data.claimedAt, last_position };
      case 'ClaimReleased':
        return { ...row, claimed_by: null, claimed_by_masked: null, claimed_at: null, last_position };
      case 'ApplicationApproved':
        return { ...row, status: 'approved', claimed_by: null, claimed_by_masked: null, claimed_at: null, last_position };
      case 'ApplicationRejected':
        return { ...row, status: 'rejected', claimed_by: null, claimed_by_masked: null, claimed_at: null, last_position };
      case 'ApplicationWithdrawn':
        return { ...row, status: 'withdrawn', last_position };
      case 'ApplicationRevoked':
        return { ...row, status: 'revoked', last_position };
      case 'ApplicationExpired':
        return { ...row, status: 'expired', last_position };
      case 'ApplicationSuperseded':
        return { ...row, status: 'superseded', last_position };
      case 'ApplicationEnded':
        return { ...row, status: 'ended', claimed_by: null, claimed_by_masked: null, claimed_at: null, last_position };
      case 'ApplicationClosed':
        return { ...row, status: 'closed', claimed_by: null, claimed_by_masked: null, claimed_at: null, last_position };
      default:
        return { ...row, last_position };
    }
  },
});
