/**
 * The grant's decider. The reservation is where the rule "one grant in force per user per
 * institution" holds: a new user's approval needs nothing in force and nothing in flight; a change
 * or a termination needs the grant in force to be the one it replaces. Repeating what is already so
 * (the same reservation, a confirmation or an ending already recorded) records nothing, so the
 * processes that follow applications can run again harmlessly.
 */
import { TEXT_LIMITS, assertRegistrationNumber, boundedText } from '../application/rules/content';
import { assertActor } from '../shared/actor';
import { DomainError } from '../shared/errors';
import { isIsoInstant } from '../shared/time';
import type { GrantCommand } from './commands';
import { GRANT_END_REASONS, type GrantEvent } from './events';
import { explainGrantRefusal } from './machine';
import type { GrantState } from './state';

export function decideGrant(command: GrantCommand, state: GrantState): GrantEvent[] {
  assertWellFormed(command);
  const by = command.actor.id;
  const at = command.at;
  // Already so: nothing to record (a retried approval, a process running again).
  if (command.type === 'ReserveGrant' && state.pending?.applicationId === command.applicationId) return [];
  if (command.type === 'ConfirmGrant' && state.pending?.applicationId !== command.applicationId) return [];
  if (command.type === 'EndGrant' && state.inForce !== command.applicationId) return [];
  if (command.type === 'VoidGrantReservation' && state.pending?.applicationId !== command.applicationId) return [];

  const refusal = explainGrantRefusal(state, command);
  if (refusal) throw refusal;
  switch (command.type) {
    case 'ReserveGrant': {
      assertRegistrationNumber(command.institution, 'institution');
      if (state.institution !== null && state.institution !== command.institution) {
        throw new DomainError('GRANT_CHANGED', 'institution', `institution: this grant is at ${state.institution}, not ${command.institution}`);
      }
      if (command.kind === 'new-user') {
        const holder = state.inForce ?? state.pending?.applicationId;
        if (holder) throw new DomainError('GRANT_IN_FORCE', 'user.personalCode', `user.personalCode: the user already holds rights at this institution (application ${holder}); apply for a change instead`);
      } else {
        if (state.pending) throw new DomainError('GRANT_CHANGED', 'replaces', `replaces: another approval for this user (application ${state.pending.applicationId}) is in flight; the first approval wins`);
        if (state.inForce === null) throw new DomainError('GRANT_NOT_IN_FORCE', 'replaces', `replaces: the user holds no rights at this institution now; there is nothing to ${command.kind === 'change' ? 'change' : 'terminate'}`);
        if (state.inForce !== command.replaces) {
          throw new DomainError('GRANT_CHANGED', 'replaces', `replaces: the grant in force is application ${state.inForce}, not ${String(command.replaces)}; it changed since this application was drafted`);
        }
      }
      return [{
        type: 'GrantReserved',
        data: { institution: command.institution, applicationId: command.applicationId, kind: command.kind, ...(command.replaces !== undefined && { replaces: command.replaces }), reservedBy: by, reservedAt: at },
      }];
    }
    case 'ConfirmGrant':
      return [{ type: 'GrantAssigned', data: { applicationId: command.applicationId, assignedBy: by, assignedAt: at } }];
    case 'EndGrant':
      if (!GRANT_END_REASONS.includes(command.reason)) throw new DomainError('END_CAUSE_INVALID', 'reason', `reason must be ${GRANT_END_REASONS.join(', ')}`);
      return [{ type: 'GrantEnded', data: { applicationId: command.applicationId, reason: command.reason, endedBy: by, endedAt: at } }];
    case 'VoidGrantReservation':
      return [{ type: 'GrantReservationVoided', data: { applicationId: command.applicationId, reason: boundedText(command.reason, 'reason', TEXT_LIMITS.reason, 'REASON_REQUIRED'), voidedBy: by, voidedAt: at } }];
  }
}

function assertWellFormed(command: GrantCommand): void {
  boundedText(command.grantId, 'grantId', TEXT_LIMITS.id * 2, 'GRANT_ID_REQUIRED');
  boundedText(command.applicationId, 'applicationId', TEXT_LIMITS.id, 'APPLICATION_ID_REQUIRED');
  assertActor(command.actor);
  if (!isIsoInstant(command.at)) {
    throw new DomainError('TIME_INVALID', 'at', 'at (the command time) must be an ISO instant with an offset, e.g. 2025-03-01T10:00:00+02:00');
  }
}
