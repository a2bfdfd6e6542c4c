/** The campaign's decider: the command as a whole, the machine, then that command's content. */
import { TEXT_LIMITS, boundedText, optionalText } from '../application/rules/content';
import { assertRegistrationNumberFormat } from '../institution/rules/details';
import { assertActor } from '../shared/actor';
import { DomainError } from '../shared/errors';
import { normalizePersonalCode, tryNormalizePersonalCode } from '../shared/personal-code';
import { dateOfInstant, isIsoInstant, parseIsoDate } from '../shared/time';
import type { RecertificationCommand, RightsHolder } from './commands';
import type { RecertificationEvent } from './events';
import { explainRecertificationRefusal } from './machine';
import { unconfirmedHolders, type RecertificationState } from './state';

export function decideRecertification(command: RecertificationCommand, state: RecertificationState): RecertificationEvent[] {
  const campaignId = assertWellFormed(command, state);
  const refusal = explainRecertificationRefusal(state, command);
  if (refusal) throw refusal;

  const by = command.actor.id;
  const at = command.at;
  switch (command.type) {
    case 'OpenRecertification': {
      assertRegistrationNumberFormat(command.institution, 'institution');
      if (command.institutionStatus !== 'active') {
        throw new DomainError('INSTITUTION_NOT_ACTIVE', 'institution', `institution ${command.institution} is ${command.institutionStatus}; a campaign is opened only for an active institution`);
      }
      if (!parseIsoDate(command.deadline) || command.deadline <= dateOfInstant(at)) {
        throw new DomainError('CAMPAIGN_DEADLINE_INVALID', 'deadline', `deadline must be a date (YYYY-MM-DD) after today (${dateOfInstant(at)})`);
      }
      const holders = validateHolders(command.holders);
      return [{ type: 'RecertificationOpened', data: { campaignId, institution: command.institution, deadline: command.deadline, holders, openedBy: by, openedAt: at } }];
    }

    case 'ConfirmUser': {
      const personalCode = holderCode(command.personalCode, state);
      return state.decisions[personalCode] === 'confirmed' ? [] : [{ type: 'UserConfirmed', data: { personalCode, confirmedBy: by, confirmedAt: at } }];
    }

    case 'DropUser': {
      const personalCode = holderCode(command.personalCode, state);
      if (state.decisions[personalCode] === 'dropped') return [];
      const reason = optionalText(command.reason, 'reason', TEXT_LIMITS.reason);
      return [{ type: 'UserDropped', data: { personalCode, ...(reason !== undefined && { reason }), droppedBy: by, droppedAt: at } }];
    }

    case 'CompleteRecertification':
      return [{ type: 'RecertificationCompleted', data: { ...outcome(state), completedBy: by, completedAt: at } }];

    case 'CloseRecertificationAtDeadline':
      return [{ type: 'RecertificationLapsed', data: { ...outcome(state), lapsedBy: by, lapsedAt: at } }];
  }
}

function outcome(state: RecertificationState) {
  const confirmed = state.holders.filter((h) => state.decisions[h.personalCode] === 'confirmed').map((h) => h.personalCode);
  return { confirmed, ended: unconfirmedHolders(state) };
}

function holderCode(input: string, state: RecertificationState): string {
  const personalCode = normalizePersonalCode(input, 'personalCode');
  if (!state.holders.some((h) => h.personalCode === personalCode)) {
    throw new DomainError('CAMPAIGN_USER_UNKNOWN', 'personalCode', 'personalCode: this person held no rights at the institution when the campaign opened');
  }
  return personalCode;
}

/** From the rights register, so a mistake here is the caller's: refuse rather than guess. */
function validateHolders(input: unknown): RightsHolder[] {
  const invalid = (why: string) => new DomainError('CAMPAIGN_HOLDERS_INVALID', 'holders', `holders ${why}`);
  if (!Array.isArray(input)) throw invalid('must be a list of { personalCode, applications }');
  const seen = new Set<string>();
  return input.map((raw: Partial<RightsHolder> | null, i) => {
    const personalCode = tryNormalizePersonalCode(raw?.personalCode);
    if (!personalCode) throw invalid(`[${i}].personalCode must be a valid personal code`);
    if (seen.has(personalCode)) throw invalid(`[${i}]: a person is listed twice; list each once with all their applications`);
    seen.add(personalCode);
    const applications = raw?.applications;
    if (!Array.isArray(applications) || applications.length === 0 || !applications.every((a) => typeof a === 'string' && a.trim() !== '')) {
      throw invalid(`[${i}].applications must name the applications in force for the person`);
    }
    return { personalCode, applications: [...applications] };
  });
}

function assertWellFormed(command: RecertificationCommand, state: RecertificationState): string {
  const id = boundedText(command.campaignId, 'campaignId', TEXT_LIMITS.id, 'CAMPAIGN_ID_REQUIRED');
  if (state.campaignId !== null && id !== state.campaignId) {
    throw new DomainError('CAMPAIGN_ID_MISMATCH', 'campaignId', `campaignId ${id} is not the id of this stream's campaign`);
  }
  assertActor(command.actor);
  if (!isIsoInstant(command.at)) {
    throw new DomainError('TIME_INVALID', 'at', 'at (the command time) must be an ISO instant with an offset, e.g. 2025-03-01T10:00:00+02:00');
  }
  return id;
}
