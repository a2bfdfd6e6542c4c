/**
 * The registry's decider: the command as a whole (number, actor, time), then the machine, then
 * the content of that command. Repeating what is already so (adding a representative twice, an
 * update to the same values) records nothing, so an import can run again harmlessly.
 */
import { TEXT_LIMITS, boundedText, optionalText } from '../application/rules/content';
import { assertActor } from '../shared/actor';
import { DomainError } from '../shared/errors';
import { normalizePersonalCode } from '../shared/personal-code';
import { addMonths, dateOfInstant, isIsoInstant, parseIsoDate } from '../shared/time';
import { TEXT_LIMITS as LIMITS } from '../application/rules/content';
import type { InstitutionCommand } from './commands';
import type { InstitutionEvent } from './events';
import { explainInstitutionRefusal } from './machine';
import { assertRegistrationNumberFormat, validateDetails, type InstitutionDetails } from './rules/details';
import type { InstitutionState } from './state';

/** Seed 001: "tā tiks dzēsta no IMI sistēmas 6 mēnešus pēc deaktivizēšanas". */
export const DELETION_AFTER_MONTHS = 6;

export function decideInstitution(command: InstitutionCommand, state: InstitutionState): InstitutionEvent[] {
  const registrationNumber = assertWellFormed(command, state);
  const refusal = explainInstitutionRefusal(state, command);
  if (refusal) throw refusal;

  const by = command.actor.id;
  const at = command.at;
  switch (command.type) {
    case 'RegisterInstitution': {
      const details = validateDetails(registrationNumber, command.details, command.resortHead);
      return [{ type: 'InstitutionRegistered', data: { registrationNumber, ...details, registeredBy: by, registeredAt: at } }];
    }

    case 'UpdateInstitution': {
      const current = state.details as InstitutionDetails;
      const merged = validateDetails(registrationNumber, { ...current, ...command.changes }, command.resortHead, 'changes');
      const changes = Object.fromEntries(
        (Object.keys(merged) as (keyof InstitutionDetails)[]).filter((key) => merged[key] !== current[key]).map((key) => [key, merged[key]]),
      ) as Partial<InstitutionDetails>;
      return Object.keys(changes).length === 0 ? [] : [{ type: 'InstitutionDetailsChanged', data: { changes, changedBy: by, changedAt: at } }];
    }

    case 'SuspendInstitution':
      return [{ type: 'InstitutionSuspended', data: { reason: reason(command.reason), suspendedBy: by, suspendedAt: at } }];

    case 'ReactivateInstitution':
      return [{ type: 'InstitutionReactivated', data: { reactivatedBy: by, reactivatedAt: at } }];

    case 'DeactivateInstitution':
      return [{ type: 'InstitutionDeactivated', data: { reason: reason(command.reason), deactivatedBy: by, deactivatedAt: at, deletionDue: deletionDue(at) } }];

    case 'DeleteInstitution':
      return [{ type: 'InstitutionDeleted', data: { deletedBy: by, deletedAt: at } }];

    case 'AddRepresentative': {
      const personalCode = normalizePersonalCode(command.personalCode, 'personalCode');
      return state.representatives.includes(personalCode) ? [] : [{ type: 'RepresentativeAdded', data: { personalCode, addedBy: by, addedAt: at } }];
    }

    case 'RemoveRepresentative': {
      const personalCode = normalizePersonalCode(command.personalCode, 'personalCode');
      if (!state.representatives.includes(personalCode)) {
        throw new DomainError('REPRESENTATIVE_UNKNOWN', 'personalCode', 'personalCode: this person is not a representative of the institution in the registry');
      }
      const why = optionalText(command.reason, 'reason', TEXT_LIMITS.reason);
      return [{ type: 'RepresentativeRemoved', data: { personalCode, ...(why !== undefined && { reason: why }), removedBy: by, removedAt: at } }];
    }

    case 'LockForRecertification': {
      const campaignId = boundedText(command.campaignId, 'campaignId', LIMITS.id, 'CAMPAIGN_ID_REQUIRED');
      if (!parseIsoDate(command.deadline) || command.deadline <= dateOfInstant(at)) {
        throw new DomainError('CAMPAIGN_DEADLINE_INVALID', 'deadline', `deadline must be a date (YYYY-MM-DD) after today (${dateOfInstant(at)})`);
      }
      return [{ type: 'InstitutionLockedForRecertification', data: { campaignId, deadline: command.deadline, lockedBy: by, lockedAt: at } }];
    }

    case 'UnlockAfterRecertification':
      return [{ type: 'InstitutionUnlocked', data: { campaignId: command.campaignId, outcome: command.outcome, unlockedBy: by, unlockedAt: at } }];

    case 'MergeInstitution': {
      assertRegistrationNumberFormat(command.into, 'into');
      if (command.into === registrationNumber) {
        throw new DomainError('MERGE_INTO_SELF', 'into', 'into must name the institution that takes this one over, not this one');
      }
      if (command.target?.status !== 'active') {
        throw new DomainError('MERGE_TARGET_NOT_ACTIVE', 'into', `into: institution ${command.into} is ${command.target ? command.target.status : 'not registered'}; an institution merges only into an active one`);
      }
      // Recorded on or after the legal date: the rights end when the merge is recorded, not before it takes effect.
      if (!parseIsoDate(command.effectiveDate) || command.effectiveDate > dateOfInstant(at)) {
        throw new DomainError('MERGE_DATE_INVALID', 'effectiveDate', `effectiveDate must be the legal date of the merge (YYYY-MM-DD), on or before the day it is recorded (${dateOfInstant(at)})`);
      }
      return [
        { type: 'InstitutionMerged', data: { into: command.into, effectiveDate: command.effectiveDate, mergedBy: by, mergedAt: at, deletionDue: deletionDue(at) } },
      ];
    }
  }
}

function reason(value: unknown): string {
  return boundedText(value, 'reason', TEXT_LIMITS.reason, 'REASON_REQUIRED');
}

function deletionDue(at: string): string {
  return addMonths(dateOfInstant(at), DELETION_AFTER_MONTHS);
}

function assertWellFormed(command: InstitutionCommand, state: InstitutionState): string {
  assertRegistrationNumberFormat(command.registrationNumber, 'registrationNumber');
  if (state.registrationNumber !== null && command.registrationNumber !== state.registrationNumber) {
    throw new DomainError('REGISTRATION_NUMBER_MISMATCH', 'registrationNumber', `registrationNumber ${command.registrationNumber} is not the number of this stream's institution`);
  }
  assertActor(command.actor);
  if (!isIsoInstant(command.at)) {
    throw new DomainError('TIME_INVALID', 'at', 'at (the command time) must be an ISO instant with an offset, e.g. 2025-03-01T10:00:00+02:00');
  }
  return command.registrationNumber;
}
