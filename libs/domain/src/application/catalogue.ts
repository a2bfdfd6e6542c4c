/** Each application event type, declared once: who acted, when, under which role, by which command, and its replay. */
import { schemaVersionsOf, type CatalogueOf } from '../shared/catalogue-entry';
import type { ApplicationCommand } from './commands';
import type { ApplicationEvent } from './events';

/** The stored verdict said every check passed (absent evidence is judged by the signature audit, not the machine). */
function storedVerdictValid(evidence: unknown): boolean {
  const checks = (evidence as { verdict?: { checks?: { ok?: unknown }[] } } | undefined)?.verdict?.checks;
  return !Array.isArray(checks) || checks.every((check) => check?.ok === true);
}

export const APPLICATION_EVENTS: CatalogueOf<ApplicationEvent, ApplicationCommand> = {
  ApplicationDrafted: {
    schemaVersion: 1, actorField: 'draftedBy', timeField: 'draftedAt', roles: ['representative'], command: 'DraftApplication',
    replay: ({ data: d }, { id, actor, at }) => ({
      type: 'DraftApplication', applicationId: id, actor, at, kind: d.kind, institution: d.institution, user: d.user, term: d.term, justification: d.justification,
      ...(d.replaces !== undefined && { replaces: d.replaces }),
    }),
  },
  DraftEdited: {
    schemaVersion: 1, actorField: 'editedBy', timeField: 'editedAt', roles: ['representative'], command: 'EditDraft',
    replay: ({ data }, { id, actor, at }) => ({ type: 'EditDraft', applicationId: id, actor, at, ...data.changes }),
  },
  RightsSet: {
    schemaVersion: 1, actorField: 'setBy', timeField: 'setAt', roles: ['representative'], command: 'SetRights',
    replay: ({ data }, { id, actor, at }) => ({ type: 'SetRights', applicationId: id, actor, at, rights: data.rights, facts: {} }),
  },
  ApplicationSubmitted: {
    schemaVersion: 1, actorField: 'submittedBy', timeField: 'submittedAt', roles: ['representative'], command: 'SubmitApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'SubmitApplication', applicationId: id, actor, at, documentSha256: data.documentSha256 }),
  },
  ApplicationSigned: {
    schemaVersion: 1, actorField: 'signedBy', timeField: 'acceptedAt', roles: ['representative'], command: 'SignApplication',
    replay: ({ data: d }, { id, actor, at }) => ({
      type: 'SignApplication', applicationId: id, actor, at,
      signature: { valid: storedVerdictValid(d.evidence), documentSha256: d.documentSha256, signerPersonalCode: d.signerPersonalCode, signedAt: d.signedAt },
    }),
  },
  ApplicationWithdrawn: {
    schemaVersion: 1, actorField: 'withdrawnBy', timeField: 'withdrawnAt', roles: ['representative'], command: 'WithdrawApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'WithdrawApplication', applicationId: id, actor, at, ...(data.reason !== undefined && { reason: data.reason }) }),
  },
  ApplicationClaimed: {
    schemaVersion: 1, actorField: 'claimedBy', timeField: 'claimedAt', roles: ['approver'], command: 'ClaimApplication',
    replay: (_e, { id, actor, at }) => ({ type: 'ClaimApplication', applicationId: id, actor, at }),
  },
  ClaimReleased: {
    schemaVersion: 1, actorField: 'releasedBy', timeField: 'releasedAt', roles: ['approver'], command: 'ReleaseClaim',
    replay: (_e, { id, actor, at }) => ({ type: 'ReleaseClaim', applicationId: id, actor, at }),
  },
  ApplicationApproved: {
    schemaVersion: 1, actorField: 'approvedBy', timeField: 'approvedAt', roles: ['approver'], command: 'ApproveApplication',
    replay: (_e, { id, actor, at }) => ({ type: 'ApproveApplication', applicationId: id, actor, at }),
  },
  ApplicationRejected: {
    schemaVersion: 1, actorField: 'rejectedBy', timeField: 'rejectedAt', roles: ['approver'], command: 'RejectApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'RejectApplication', applicationId: id, actor, at, reason: data.reason }),
  },
  ApplicationRevoked: {
    schemaVersion: 1, actorField: 'revokedBy', timeField: 'revokedAt', roles: ['representative', 'admin'], command: 'RevokeApplication',
    // Only a confirmed revocation is ever recorded.
    replay: ({ data }, { id, actor, at }) => ({ type: 'RevokeApplication', applicationId: id, actor, at, reason: data.reason, confirmed: true }),
  },
  ApplicationExpired: {
    schemaVersion: 1, actorField: 'expiredBy', timeField: 'expiredAt', roles: ['system'], command: 'ExpireApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'ExpireApplication', applicationId: id, actor, at, reason: data.reason }),
  },
  ApplicationSuperseded: {
    schemaVersion: 1, actorField: 'recordedBy', timeField: 'supersededAt', roles: ['system'], command: 'SupersedeApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'SupersedeApplication', applicationId: id, actor, at, supersededBy: data.supersededBy }),
  },
  ApplicationClosed: {
    schemaVersion: 1, actorField: 'closedBy', timeField: 'closedAt', roles: ['system'], command: 'CloseApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'CloseApplication', applicationId: id, actor, at, cause: data.cause, causeRef: data.causeRef }),
  },
  ApplicationEnded: {
    schemaVersion: 1, actorField: 'endedBy', timeField: 'endedAt', roles: ['system'], command: 'EndApplication',
    replay: ({ data }, { id, actor, at }) => ({ type: 'EndApplication', applicationId: id, actor, at, cause: data.cause, causeRef: data.causeRef }),
  },
};

export const APPLICATION_EVENT_SCHEMA_VERSION = schemaVersionsOf(APPLICATION_EVENTS);
export const APPLICATION_EVENT_TYPES = Object.keys(APPLICATION_EVENTS) as ApplicationEvent['type'][];
