/**
 * Each event type is recorded by one command type: rebuilding that command from the event lets
 * the machine judge the stored transition as it would have judged the request.
 *
 * The actor's role is not stored. It is inferred from the event type (an approval is an
 * approver's), so the replay proves the sequence, four eyes, the claim and the signer, while a
 * role check can only confirm that the type's role may record it. A revocation may be a
 * representative's or an administrator's: both may, so it is judged as a representative's.
 */
import type { Actor, ActorRole, ApplicationCommand, ApplicationEvent } from '@atlauja/domain';

/** Who recorded the event according to its data (the domain's own record of the actor). */
export function actorIdOf(event: ApplicationEvent): string | undefined {
  const d = event.data as Record<string, unknown>;
  const key = ACTOR_FIELD[event.type];
  return key && typeof d[key] === 'string' ? (d[key] as string) : undefined;
}

const ACTOR_FIELD: Record<string, string> = {
  ApplicationDrafted: 'draftedBy',
  DraftEdited: 'editedBy',
  RightsSet: 'setBy',
  ApplicationSubmitted: 'submittedBy',
  ApplicationSigned: 'signedBy',
  ApplicationWithdrawn: 'withdrawnBy',
  ApplicationClaimed: 'claimedBy',
  ClaimReleased: 'releasedBy',
  ApplicationApproved: 'approvedBy',
  ApplicationRejected: 'rejectedBy',
  ApplicationRevoked: 'revokedBy',
  ApplicationExpired: 'expiredBy',
  ApplicationSuperseded: 'recordedBy',
};

const ROLE_OF: Record<string, ActorRole> = {
  ApplicationDrafted: 'representative',
  DraftEdited: 'representative',
  RightsSet: 'representative',
  ApplicationSubmitted: 'representative',
  ApplicationSigned: 'representative',
  ApplicationWithdrawn: 'representative',
  ApplicationClaimed: 'approver',
  ClaimReleased: 'approver',
  ApplicationApproved: 'approver',
  ApplicationRejected: 'approver',
  ApplicationRevoked: 'representative',
  ApplicationExpired: 'system',
  ApplicationSuperseded: 'system',
};

/** The stored signature verdict said every check passed (absent evidence is judged by the signature audit, not here). */
function storedVerdictValid(evidence: unknown): boolean {
  const checks = (evidence as { verdict?: { checks?: { ok?: unknown }[] } } | undefined)?.verdict?.checks;
  return !Array.isArray(checks) || checks.every((check) => check?.ok === true);
}

/** The command that recorded `event`, or null for an event type the domain does not know. */
export function commandOf(event: ApplicationEvent, applicationId: string): ApplicationCommand | null {
  const role = ROLE_OF[event.type];
  if (!role) return null;
  const actor: Actor = { id: actorIdOf(event) ?? '', role };
  const at = timeOf(event);
  const base = { applicationId, actor, at };
  switch (event.type) {
    case 'ApplicationDrafted': {
      const d = event.data;
      return {
        type: 'DraftApplication', ...base, kind: d.kind, institution: d.institution, user: d.user, term: d.term, justification: d.justification,
        ...(d.replaces !== undefined && { replaces: d.replaces }),
      };
    }
    case 'DraftEdited':
      return { type: 'EditDraft', ...base, ...event.data.changes };
    case 'RightsSet':
      return { type: 'SetRights', ...base, rights: event.data.rights, facts: {} };
    case 'ApplicationSubmitted':
      return { type: 'SubmitApplication', ...base, documentSha256: event.data.documentSha256 };
    case 'ApplicationSigned': {
      const d = event.data;
      return {
        type: 'SignApplication',
        ...base,
        signature: { valid: storedVerdictValid(d.evidence), documentSha256: d.documentSha256, signerPersonalCode: d.signerPersonalCode, signedAt: d.signedAt },
      };
    }
    case 'ApplicationWithdrawn':
      return { type: 'WithdrawApplication', ...base, ...(event.data.reason !== undefined && { reason: event.data.reason }) };
    case 'ApplicationClaimed':
      return { type: 'ClaimApplication', ...base };
    case 'ClaimReleased':
      return { type: 'ReleaseClaim', ...base };
    case 'ApplicationApproved':
      return { type: 'ApproveApplication', ...base };
    case 'ApplicationRejected':
      return { type: 'RejectApplication', ...base, reason: event.data.reason };
    case 'ApplicationRevoked':
      // Only a confirmed revocation is ever recorded.
      return { type: 'RevokeApplication', ...base, reason: event.data.reason, confirmed: true };
    case 'ApplicationExpired':
      return { type: 'ExpireApplication', ...base, reason: event.data.reason };
    case 'ApplicationSuperseded':
      return { type: 'SupersedeApplication', ...base, supersededBy: event.data.supersededBy };
    default:
      return null;
  }
}

const TIME_FIELD: Record<string, string> = {
  ApplicationDrafted: 'draftedAt',
  DraftEdited: 'editedAt',
  RightsSet: 'setAt',
  ApplicationSubmitted: 'submittedAt',
  ApplicationSigned: 'acceptedAt',
  ApplicationWithdrawn: 'withdrawnAt',
  ApplicationClaimed: 'claimedAt',
  ClaimReleased: 'releasedAt',
  ApplicationApproved: 'approvedAt',
  ApplicationRejected: 'rejectedAt',
  ApplicationRevoked: 'revokedAt',
  ApplicationExpired: 'expiredAt',
  ApplicationSuperseded: 'supersededAt',
};

/** When the command was accepted, according to the event's data. */
export function timeOf(event: ApplicationEvent): string {
  const value = (event.data as Record<string, unknown>)[TIME_FIELD[event.type] ?? ''];
  return typeof value === 'string' ? value : '';
}
