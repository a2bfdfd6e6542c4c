/**
 * The lifecycle of an institution in the registry (seed 001): active ⇄ suspended; deactivated
 * (by an administrator, or by a merge), reactivated unless merged, deleted by a timer 6 months
 * later. Representatives and details are kept while it is active or suspended. Used purely.
 */
import { setup } from 'xstate';
import { explainRefusalOf, holdsAll, rulesGuard } from '../shared/guarded-machine';
import type { DomainError } from '../shared/errors';
import type { InstitutionCommand } from './commands';
import { INSTITUTION_RULES, type InstitutionRuleName } from './rules/transition-rules';
import { initialInstitutionState, type InstitutionState } from './state';

const when = (...rules: InstitutionRuleName[]) => rulesGuard(...rules);

/** What an administrator does to a living institution, in either of its living states. */
const keeping = (self: 'active' | 'suspended') => ({
  UpdateInstitution: { target: self, guard: when('actorIsRegistrar') },
  AddRepresentative: { target: self, guard: when('actorIsRegistrar') },
  RemoveRepresentative: { target: self, guard: when('actorIsRegistrar') },
  DeactivateInstitution: { target: 'deactivated', guard: when('actorIsRegistrar') },
  MergeInstitution: { target: 'deactivated', guard: when('actorIsAdmin') },
  UnlockAfterRecertification: { target: self, guard: when('actorIsSystem', 'lockedByThisCampaign') },
});

export const institutionMachine = setup({
  types: { context: {} as InstitutionState, events: {} as InstitutionCommand },
  guards: { rules: holdsAll(INSTITUTION_RULES) },
}).createMachine({
  id: 'institution',
  initial: 'none',
  context: initialInstitutionState,
  states: {
    none: {
      description: 'Not in the registry',
      on: { RegisterInstitution: { target: 'active', guard: when('actorIsRegistrar') } },
    },
    active: {
      description: 'Applications may be drafted for it',
      on: {
        ...keeping('active'),
        SuspendInstitution: { target: 'suspended', guard: when('actorIsRegistrar') },
        LockForRecertification: { target: 'active', guard: when('actorIsAdmin', 'notLocked') },
      },
    },
    suspended: {
      description: 'Apturēta: no new applications; rights in force stay',
      on: { ...keeping('suspended'), ReactivateInstitution: { target: 'active', guard: when('actorIsRegistrar') } },
    },
    deactivated: {
      description: 'Deaktivizēta, or merged into another; deleted 6 months later unless reactivated',
      on: {
        ReactivateInstitution: { target: 'active', guard: when('actorIsRegistrar', 'notMerged') },
        DeleteInstitution: { target: 'deleted', guard: when('actorIsSystem', 'deletionDue') },
        // A campaign that was open when the institution was deactivated or merged still ends, and lifts its lock.
        UnlockAfterRecertification: { target: 'deactivated', guard: when('actorIsSystem', 'lockedByThisCampaign') },
      },
    },
    deleted: { type: 'final', description: 'Left the registry; its history stays' },
  },
});

export function explainInstitutionRefusal(state: InstitutionState, command: InstitutionCommand): DomainError | null {
  return explainRefusalOf(institutionMachine, INSTITUTION_RULES, state, command, 'institution');
}
