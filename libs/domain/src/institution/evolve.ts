/** The fold of an institution's stream: pure and total, as the application's. */
import type { InstitutionEvent } from './events';
import { initialInstitutionState, type InstitutionState } from './state';

export function evolveInstitution(state: InstitutionState, event: InstitutionEvent): InstitutionState {
  const next = { ...state, revision: state.revision + 1 };
  switch (event.type) {
    case 'InstitutionRegistered': {
      const { registrationNumber, registeredBy: _by, registeredAt, ...details } = event.data;
      return { ...next, status: 'active', registrationNumber, details, registeredAt, statusChangedAt: registeredAt };
    }
    case 'InstitutionDetailsChanged':
      return { ...next, details: state.details && { ...state.details, ...event.data.changes } };
    case 'InstitutionSuspended':
      return { ...next, status: 'suspended', statusReason: event.data.reason, statusChangedAt: event.data.suspendedAt };
    case 'InstitutionReactivated':
      return { ...next, status: 'active', statusReason: null, statusChangedAt: event.data.reactivatedAt, deletionDue: null };
    case 'InstitutionDeactivated':
      return { ...next, status: 'deactivated', statusReason: event.data.reason, statusChangedAt: event.data.deactivatedAt, deletionDue: event.data.deletionDue };
    case 'InstitutionMerged':
      return {
        ...next,
        status: 'deactivated',
        statusReason: `merged into ${event.data.into} as of ${event.data.effectiveDate}`,
        statusChangedAt: event.data.mergedAt,
        deletionDue: event.data.deletionDue,
        mergedInto: event.data.into,
        mergeEffectiveDate: event.data.effectiveDate,
      };
    case 'InstitutionDeleted':
      return { ...next, status: 'deleted', statusChangedAt: event.data.deletedAt, deletionDue: null };
    case 'RepresentativeAdded':
      return { ...next, representatives: [...state.representatives, event.data.personalCode] };
    case 'RepresentativeRemoved':
      return { ...next, representatives: state.representatives.filter((code) => code !== event.data.personalCode) };
    case 'InstitutionLockedForRecertification':
      return { ...next, recertification: { campaignId: event.data.campaignId, deadline: event.data.deadline } };
    case 'InstitutionUnlocked':
      return { ...next, recertification: null };
    default:
      return next;
  }
}

export function foldInstitution(events: Iterable<InstitutionEvent>, from: InstitutionState = initialInstitutionState): InstitutionState {
  let state = from;
  for (const event of events) state = evolveInstitution(state, event);
  return state;
}
