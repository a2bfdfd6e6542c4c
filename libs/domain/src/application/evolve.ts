/**
 * The fold: state from events. Pure and total: events are facts already decided, so evolve never
 * refuses one; an event type it does not know (a newer writer) only advances the revision.
 */
import type { ApplicationEvent } from './events';
import { initialApplicationState, type ApplicationState } from './state';

/** Whoever drafted, edited, set rights, submitted or signed: the people four eyes keeps from deciding. */
const TOUCHING: Partial<Record<ApplicationEvent['type'], string>> = {
  ApplicationDrafted: 'draftedBy',
  DraftEdited: 'editedBy',
  RightsSet: 'setBy',
  ApplicationSubmitted: 'submittedBy',
  ApplicationSigned: 'signedBy',
};

export function evolve(state: ApplicationState, event: ApplicationEvent): ApplicationState {
  const field = TOUCHING[event.type];
  const toucher = field ? (event.data as unknown as Record<string, unknown>)[field] : undefined;
  const touchedBy = typeof toucher === 'string' && !(state.touchedBy ?? []).includes(toucher) ? [...(state.touchedBy ?? []), toucher] : (state.touchedBy ?? []);
  const next = { ...state, touchedBy, revision: state.revision + 1 };
  switch (event.type) {
    case 'ApplicationDrafted': {
      const d = event.data;
      return {
        ...next,
        status: 'draft',
        id: d.applicationId,
        kind: d.kind,
        institution: d.institution,
        user: d.user,
        term: d.term,
        justification: d.justification,
        replaces: d.replaces ?? null,
        draftedBy: d.draftedBy,
        draftedAt: d.draftedAt,
      };
    }
    case 'DraftEdited': {
      const c = event.data.changes;
      return {
        ...next,
        user: c.user ?? state.user,
        term: c.term ?? state.term,
        justification: c.justification ?? state.justification,
        lastEditedAt: event.data.editedAt,
      };
    }
    case 'RightsSet':
      return { ...next, rights: event.data.rights, rightsWarnings: event.data.warnings, lastEditedAt: event.data.setAt };
    case 'ApplicationSubmitted':
      return {
        ...next,
        status: 'submitted',
        documentSha256: event.data.documentSha256,
        submittedBy: event.data.submittedBy,
        submittedAt: event.data.submittedAt,
      };
    case 'ApplicationSigned':
      return {
        ...next,
        status: 'signed',
        signedBy: event.data.signedBy,
        signedAt: event.data.signedAt,
        signatureAcceptedAt: event.data.acceptedAt,
        signatureEvidenceRef: event.data.evidenceRef ?? null,
      };
    case 'ApplicationWithdrawn':
      return {
        ...next,
        status: 'withdrawn',
        endedBy: event.data.withdrawnBy,
        endedAt: event.data.withdrawnAt,
        reason: event.data.reason ?? null,
      };
    case 'ApplicationClaimed':
      return { ...next, claimedBy: event.data.claimedBy, claimedAt: event.data.claimedAt };
    case 'ClaimReleased':
      return { ...next, claimedBy: null, claimedAt: null };
    case 'ApplicationApproved':
      return {
        ...next,
        status: 'approved',
        claimedBy: null,
        claimedAt: null,
        decidedBy: event.data.approvedBy,
        decidedAt: event.data.approvedAt,
      };
    case 'ApplicationRejected':
      return {
        ...next,
        status: 'rejected',
        claimedBy: null,
        claimedAt: null,
        decidedBy: event.data.rejectedBy,
        decidedAt: event.data.rejectedAt,
        reason: event.data.reason,
      };
    case 'ApplicationRevoked':
      return { ...next, status: 'revoked', endedBy: event.data.revokedBy, endedAt: event.data.revokedAt, reason: event.data.reason };
    case 'ApplicationExpired':
      return { ...next, status: 'expired', endedBy: event.data.expiredBy, endedAt: event.data.expiredAt, reason: event.data.reason };
    case 'ApplicationSuperseded':
      return {
        ...next,
        status: 'superseded',
        endedBy: event.data.recordedBy,
        endedAt: event.data.supersededAt,
        supersededBy: event.data.supersededBy,
      };
    case 'ApplicationEnded':
      return {
        ...next,
        status: 'ended',
        endedBy: event.data.endedBy,
        endedAt: event.data.endedAt,
        reason: event.data.cause,
        causeRef: event.data.causeRef,
      };
    case 'ApplicationClosed':
      return {
        ...next,
        status: 'closed',
        claimedBy: null,
        claimedAt: null,
        endedBy: event.data.closedBy,
        endedAt: event.data.closedAt,
        reason: event.data.cause,
        causeRef: event.data.causeRef,
      };
    default:
      return next;
  }
}

export function foldApplication(events: Iterable<ApplicationEvent>, from: ApplicationState = initialApplicationState): ApplicationState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}
