/**
 * The conditions a transition may require, each with the refusal it causes. The machine names
 * which of them guard each transition (machine.ts); decide explains a refusal by the first one
 * that fails. They read only the application's state and the command, and never throw.
 */
import type { DomainErrorCode } from '../../shared/errors';
import { tryNormalizePersonalCode } from '../../shared/personal-code';
import type { ApplicationCommand } from '../commands';
import type { ApplicationState } from '../state';

export interface TransitionRule {
  readonly code: DomainErrorCode;
  readonly field: string;
  readonly message: string;
  readonly holds: (state: ApplicationState, command: ApplicationCommand) => boolean;
}

export const TRANSITION_RULES = {
  actorIsRepresentative: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'only an authorized representative of the institution drafts, edits, submits, signs and withdraws applications',
    holds: (_s, c) => c.actor.role === 'representative',
  },
  actorIsApprover: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'only a back-office approver claims, approves and rejects applications',
    holds: (_s, c) => c.actor.role === 'approver',
  },
  actorMayRevoke: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: "only the institution's representative or an administrator revokes a user's rights",
    holds: (_s, c) => c.actor.role === 'representative' || c.actor.role === 'admin',
  },
  actorIsSystem: {
    code: 'ROLE_NOT_ALLOWED',
    field: 'actor.role',
    message: 'expiry, supersession and an end by merge or re-certification are recorded only by a system process',
    holds: (_s, c) => c.actor.role === 'system',
  },
  kindCarriesRights: {
    code: 'RIGHTS_NOT_FOR_TERMINATION',
    field: 'rights',
    message: "a termination ends the user's rights and carries none",
    holds: (s) => s.kind !== 'termination',
  },
  rightsSetUnlessTermination: {
    code: 'RIGHTS_NOT_SET',
    field: 'rights',
    message: 'rights must be set before submitting (only a termination carries none)',
    holds: (s) => s.kind === 'termination' || s.rights.length > 0,
  },
  signatureValid: {
    code: 'SIGNATURE_INVALID',
    field: 'signature.valid',
    message: 'the signature was not found valid (qualified, trusted, unrevoked, over the submitted document)',
    holds: (_s, c) => c.type === 'SignApplication' && c.signature?.valid === true,
  },
  signedDocumentIsSubmitted: {
    code: 'DOCUMENT_MISMATCH',
    field: 'signature.documentSha256',
    message: 'the signature must be over exactly the submitted document (its SHA-256 differs)',
    holds: (s, c) => c.type === 'SignApplication' && s.documentSha256 !== null && c.signature?.documentSha256 === s.documentSha256,
  },
  signerIsActor: {
    code: 'SIGNER_MISMATCH',
    field: 'signature.signerPersonalCode',
    message: "the signer's personal code must be the representative's who signs",
    holds: (_s, c) => c.type === 'SignApplication' && tryNormalizePersonalCode(c.signature?.signerPersonalCode) === c.actor.id,
  },
  fourEyes: {
    code: 'FOUR_EYES',
    field: 'actor.id',
    message: 'an approver never claims, approves or rejects an application they drafted, edited, set the rights of, submitted or signed',
    holds: (s, c) => !s.touchedBy.includes(c.actor.id) && ![s.draftedBy, s.submittedBy, s.signedBy].includes(c.actor.id),
  },
  notOwnRights: {
    code: 'FOUR_EYES',
    field: 'user.personalCode',
    message: 'an approver never claims, approves or rejects an application that grants rights to themselves',
    holds: (s, c) => s.user === null || tryNormalizePersonalCode(s.user.personalCode) !== c.actor.id,
  },
  notClaimedByAnother: {
    code: 'CLAIMED_BY_ANOTHER',
    field: 'applicationId',
    message: 'another approver holds the claim on this application',
    holds: (s, c) => s.claimedBy === null || s.claimedBy === c.actor.id,
  },
  actorHoldsClaim: {
    code: 'CLAIM_NOT_HELD',
    field: 'applicationId',
    message: 'only the approver holding the claim approves, rejects or releases it; claim it first',
    holds: (s, c) => s.claimedBy === c.actor.id,
  },
  revocationConfirmed: {
    code: 'REVOCATION_NOT_CONFIRMED',
    field: 'confirmed',
    message: 'revocation takes effect at once and must be confirmed (confirmed: true)',
    holds: (_s, c) => c.type === 'RevokeApplication' && c.confirmed === true,
  },
} satisfies Record<string, TransitionRule>;

export type TransitionRuleName = keyof typeof TRANSITION_RULES;
