/**
 * The decider: given a command and the folded state, the events that record it, or a DomainError.
 * Order of questions: is the command well-formed as a whole (id, actor, time); does the machine
 * allow this transition now (its guards: roles, four eyes, claim, signature); is the content
 * valid (the rules of rules/). One entry per command below holds that command's whole content rule.
 */
import { assertActor } from '../shared/actor';
import { DomainError } from '../shared/errors';
import { isIsoInstant } from '../shared/time';
import { normalizePersonalCode, tryNormalizePersonalCode } from '../shared/personal-code';
import { END_CAUSES, EXPIRY_REASONS, type ApplicationCommand, type GrantFact, type ReplacedFact } from './commands';
import type { ApplicationEvent } from './events';
import { explainRefusal } from './machine';
import {
  TEXT_LIMITS,
  assertKind,
  assertRegistrationNumber,
  boundedText,
  optionalText,
  validateJustification,
  validateReplaces,
  validateUser,
} from './rules/content';
import { normalizeRights } from './rules/rights';
import { assertTermNotEnded, hasEndDatePassed, parseTerm, validateTerm } from './rules/term';
import type { ApplicationState } from './state';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function decide(command: ApplicationCommand, state: ApplicationState): ApplicationEvent[] {
  const applicationId = assertWellFormed(command, state);
  const refusal = explainRefusal(state, command);
  if (refusal) throw refusal;

  const by = command.actor.id;
  const at = command.at;
  switch (command.type) {
    case 'DraftApplication': {
      assertKind(command.kind);
      assertRegistrationNumber(command.institution, 'institution');
      if (command.facts && !command.facts[command.institution]) {
        throw new DomainError('INSTITUTION_UNKNOWN', 'institution', `institution ${command.institution} is not among the known institutions`);
      }
      const replaces = validateReplaces(command.kind, command.replaces, applicationId);
      const user = validateUser(command.user);
      assertGrantAllowsDraft(command.kind, replaces, command.institution, user.personalCode, command.grant, command.replaced);
      return [
        {
          type: 'ApplicationDrafted',
          data: {
            applicationId,
            kind: command.kind,
            institution: command.institution,
            user,
            term: validateTerm(command.term, at, command.policy),
            justification: validateJustification(command.justification),
            ...(replaces !== undefined && { replaces }),
            draftedBy: by,
            draftedAt: at,
          },
        },
      ];
    }

    case 'EditDraft': {
      if (command.user === undefined && command.term === undefined && command.justification === undefined) {
        throw new DomainError('EDIT_EMPTY', 'user', 'EditDraft must change at least one of user, term, justification');
      }
      const user = command.user === undefined ? undefined : validateUser(command.user);
      // A change or termination is for the person whose grant it replaces, whoever edits it.
      if (user && state.replaces !== null && state.user && user.personalCode !== normalizePersonalCode(state.user.personalCode, 'user.personalCode')) {
        throw new DomainError('REPLACES_OTHER_USER', 'user.personalCode', "user.personalCode: a change or termination stays with the user whose grant it replaces");
      }
      const changes = {
        ...(user !== undefined && { user }),
        ...(command.term !== undefined && { term: validateTerm(command.term, at, command.policy) }),
        ...(command.justification !== undefined && { justification: validateJustification(command.justification) }),
      };
      return [{ type: 'DraftEdited', data: { changes, editedBy: by, editedAt: at } }];
    }

    case 'SetRights': {
      const { rights, warnings } = normalizeRights(command.rights, state.institution as string, command.facts);
      return [{ type: 'RightsSet', data: { rights, warnings, setBy: by, setAt: at } }];
    }

    case 'SubmitApplication': {
      if (typeof command.documentSha256 !== 'string' || !SHA256_HEX.test(command.documentSha256)) {
        throw new DomainError('DOCUMENT_HASH_INVALID', 'documentSha256', 'documentSha256 must be a SHA-256 in lowercase hex (64 characters)');
      }
      if (command.pdfSha256 !== undefined && (typeof command.pdfSha256 !== 'string' || !SHA256_HEX.test(command.pdfSha256))) {
        throw new DomainError('DOCUMENT_HASH_INVALID', 'pdfSha256', 'pdfSha256 must be a SHA-256 in lowercase hex (64 characters)');
      }
      // Time has passed since drafting: an end date that is no longer ahead cannot be signed for.
      assertTermNotEnded(parseTerm(state.term), at);
      // Facts may have changed since the rights were set (a new variant, a new resort); check again.
      if (command.facts && state.kind !== 'termination') normalizeRights(state.rights, state.institution as string, command.facts);
      return [
        {
          type: 'ApplicationSubmitted',
          data: { documentSha256: command.documentSha256, ...(command.pdfSha256 !== undefined && { pdfSha256: command.pdfSha256 }), submittedBy: by, submittedAt: at },
        },
      ];
    }

    case 'SignApplication': {
      const s = command.signature;
      if (!isIsoInstant(s.signedAt)) {
        throw new DomainError('TIME_INVALID', 'signature.signedAt', 'signature.signedAt must be an ISO instant with an offset');
      }
      return [
        {
          type: 'ApplicationSigned',
          data: {
            documentSha256: s.documentSha256,
            // The machine checked that the signer's code, normalized, is the actor's id.
            signerPersonalCode: by,
            signedBy: by,
            signedAt: s.signedAt,
            acceptedAt: at,
            ...(s.evidenceRef !== undefined && { evidenceRef: s.evidenceRef }),
            // Through JSON once: the event must be plain JSON whatever object the verifier handed over.
            ...(s.evidence !== undefined && { evidence: JSON.parse(JSON.stringify(s.evidence)) }),
          },
        },
      ];
    }

    case 'WithdrawApplication': {
      const reason = optionalText(command.reason, 'reason', TEXT_LIMITS.reason);
      return [{ type: 'ApplicationWithdrawn', data: { withdrawnBy: by, withdrawnAt: at, ...(reason !== undefined && { reason }) } }];
    }

    case 'ClaimApplication':
      // Claiming again what one already holds changes nothing: a retried request stays harmless.
      return state.claimedBy === by ? [] : [{ type: 'ApplicationClaimed', data: { claimedBy: by, claimedAt: at } }];

    case 'ReleaseClaim':
      return [{ type: 'ClaimReleased', data: { releasedBy: by, releasedAt: at } }];

    case 'ApproveApplication':
      // Rights whose end date has already passed would be granted and expire at once: reject instead.
      assertTermNotEnded(parseTerm(state.term), at);
      return [
        {
          type: 'ApplicationApproved',
          data: {
            approvedBy: by,
            approvedAt: at,
            kind: state.kind as NonNullable<ApplicationState['kind']>,
            ...(state.replaces !== null && { replaces: state.replaces }),
          },
        },
      ];

    case 'RejectApplication':
      return [
        {
          type: 'ApplicationRejected',
          data: { rejectedBy: by, rejectedAt: at, reason: boundedText(command.reason, 'reason', TEXT_LIMITS.reason, 'REASON_REQUIRED') },
        },
      ];

    case 'RevokeApplication':
      return [
        {
          type: 'ApplicationRevoked',
          data: { revokedBy: by, revokedAt: at, reason: boundedText(command.reason, 'reason', TEXT_LIMITS.reason, 'REASON_REQUIRED') },
        },
      ];

    case 'ExpireApplication': {
      const term = parseTerm(state.term);
      if (command.reason === 'end-date' && term.kind === 'until') {
        if (!hasEndDatePassed(term, at)) {
          throw new DomainError('EXPIRY_PREMATURE', 'at', `at: the rights run until ${term.date} inclusive; they expire only after it`);
        }
      } else if (!(command.reason === 'no-login-18-months' && term.kind === 'after-last-login')) {
        throw new DomainError(
          'EXPIRY_REASON_INVALID',
          'reason',
          `reason must be ${EXPIRY_REASONS.map((r) => `'${r}'`).join(' or ')} and fit the term: 'end-date' for a term until a date, 'no-login-18-months' for a term after the last login (this term is ${term.kind})`,
        );
      }
      return [{ type: 'ApplicationExpired', data: { expiredBy: by, expiredAt: at, reason: command.reason } }];
    }

    case 'SupersedeApplication': {
      const supersededBy = boundedText(command.supersededBy, 'supersededBy', TEXT_LIMITS.id, 'SUPERSEDING_APPLICATION_REQUIRED');
      if (supersededBy === state.id) {
        throw new DomainError('SUPERSEDING_APPLICATION_REQUIRED', 'supersededBy', 'supersededBy must name the later application, not this one');
      }
      return [{ type: 'ApplicationSuperseded', data: { supersededBy, supersededAt: at, recordedBy: by } }];
    }

    case 'CloseApplication': {
      if (!END_CAUSES.includes(command.cause)) {
        throw new DomainError('END_CAUSE_INVALID', 'cause', `cause must be ${END_CAUSES.map((c) => `'${c}'`).join(' or ')}`);
      }
      const causeRef = boundedText(command.causeRef, 'causeRef', TEXT_LIMITS.id, 'END_CAUSE_REF_REQUIRED');
      return [{ type: 'ApplicationClosed', data: { cause: command.cause, causeRef, closedBy: by, closedAt: at } }];
    }

    case 'EndApplication': {
      if (!END_CAUSES.includes(command.cause)) {
        throw new DomainError('END_CAUSE_INVALID', 'cause', `cause must be ${END_CAUSES.map((c) => `'${c}'`).join(' or ')}`);
      }
      const causeRef = boundedText(command.causeRef, 'causeRef', TEXT_LIMITS.id, 'END_CAUSE_REF_REQUIRED');
      return [{ type: 'ApplicationEnded', data: { cause: command.cause, causeRef, endedBy: by, endedAt: at } }];
    }
  }
}

/**
 * One grant in force per user per institution, asked at drafting with what the grant's stream and
 * the named application say now (the approval asks the grant's stream again, exactly): a new user
 * holds nothing there; a change or termination names the grant in force of the same institution
 * and the same person.
 */
function assertGrantAllowsDraft(kind: string, replaces: string | undefined, institution: string, personalCode: string, grant?: GrantFact, replaced?: ReplacedFact | null): void {
  if (kind === 'new-user') {
    const holder = grant?.inForce ?? grant?.pending;
    if (holder) throw new DomainError('GRANT_IN_FORCE', 'user.personalCode', `user.personalCode: the user already holds rights at ${institution} (application ${holder}); draft a change instead`);
    return;
  }
  if (replaced === undefined) return;
  if (replaced === null || replaced.status !== 'approved' || replaced.kind === 'termination') {
    throw new DomainError('REPLACES_NOT_IN_FORCE', 'replaces', `replaces: application ${String(replaces)} is not a grant in force`);
  }
  if (replaced.institution !== institution) {
    throw new DomainError('REPLACES_OTHER_INSTITUTION', 'replaces', `replaces: application ${String(replaces)} is a grant of another institution, not ${institution}`);
  }
  if (tryNormalizePersonalCode(replaced.personalCode) !== personalCode) {
    throw new DomainError('REPLACES_OTHER_USER', 'replaces', `replaces: application ${String(replaces)} is another person's grant`);
  }
  if (grant && grant.inForce !== replaces) {
    throw new DomainError('GRANT_CHANGED', 'replaces', `replaces: the grant in force is ${grant.inForce ? `application ${grant.inForce}` : 'none'}, not ${String(replaces)}`);
  }
}

/** The questions every command answers before the machine is asked. */
function assertWellFormed(command: ApplicationCommand, state: ApplicationState): string {
  const id = boundedText(command.applicationId, 'applicationId', TEXT_LIMITS.id, 'APPLICATION_ID_REQUIRED');
  if (state.id !== null && id !== state.id) {
    throw new DomainError('APPLICATION_ID_MISMATCH', 'applicationId', `applicationId ${id} is not the id of this stream's application`);
  }
  assertActor(command.actor);
  if (!isIsoInstant(command.at)) {
    throw new DomainError('TIME_INVALID', 'at', 'at (the command time) must be an ISO instant with an offset, e.g. 2025-03-01T10:00:00+02:00');
  }
  return id;
}
