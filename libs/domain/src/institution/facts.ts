/** What other streams read from an institution: the rights rules' facts, whether it takes applications. */
import type { InstitutionFact } from '../application/rules/rights';
import { DomainError } from '../shared/errors';
import type { InstitutionState } from './state';

/** The facts the rights rules read, for an institution still in the registry (active or suspended). */
export function institutionFact(state: InstitutionState): InstitutionFact | null {
  if (!state.details || !state.registrationNumber || (state.status !== 'active' && state.status !== 'suspended')) return null;
  const { type, resortHead, coordinationVariant } = state.details;
  return { registrationNumber: state.registrationNumber, type, resortHead, coordinationVariant };
}

/** Applications are drafted, signed, claimed and approved only at an active institution. */
export function assertAcceptsApplications(state: InstitutionState, field = 'institution'): void {
  if (state.status !== 'active') {
    const why = state.status === 'none' ? 'not registered' : state.statusReason ? `${state.status} (${state.statusReason})` : state.status;
    throw new DomainError('INSTITUTION_NOT_ACTIVE', field, `${field}: institution ${state.registrationNumber ?? ''} is ${why}; applications are drafted, signed and decided only at an active institution`);
  }
}

/** Whether `personalCode` (normalized) is a representative in the registry. */
export function isRepresentative(state: InstitutionState, personalCode: string): boolean {
  return state.representatives.includes(personalCode);
}
