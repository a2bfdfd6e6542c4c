/**
 * The lifecycle of a re-certification campaign: open → completed by the representative, or lapsed
 * at the deadline. While open, the institution's users are locked out (the API reads that). Used purely.
 */
import { setup } from 'xstate';
import type { DomainError } from '../shared/errors';
import { explainRefusalOf, holdsAll, rulesGuard } from '../shared/guarded-machine';
import type { RecertificationCommand } from './commands';
import { RECERTIFICATION_RULES, type RecertificationRuleName } from './rules/transition-rules';
import { initialRecertificationState, type RecertificationState } from './state';

const when = (...rules: RecertificationRuleName[]) => rulesGuard(...rules);

export const recertificationMachine = setup({
  types: { context: {} as RecertificationState, events: {} as RecertificationCommand },
  guards: { rules: holdsAll(RECERTIFICATION_RULES) },
}).createMachine({
  id: 'recertification',
  initial: 'none',
  context: initialRecertificationState,
  states: {
    none: {
      description: 'No campaign yet',
      on: { OpenRecertification: { target: 'open', guard: when('actorOpens') } },
    },
    open: {
      description: "Aktualizācija: the institution's users are locked out; only the representative acts",
      on: {
        ConfirmUser: { target: 'open', guard: when('actorIsRepresentative', 'deadlineNotPassed') },
        DropUser: { target: 'open', guard: when('actorIsRepresentative', 'deadlineNotPassed') },
        CompleteRecertification: { target: 'completed', guard: when('actorIsRepresentative', 'deadlineNotPassed') },
        CloseRecertificationAtDeadline: { target: 'lapsed', guard: when('actorIsSystem', 'deadlinePassed') },
      },
    },
    completed: { type: 'final', description: 'The representative finished; the unconfirmed lost their rights' },
    lapsed: { type: 'final', description: 'The deadline passed; the unconfirmed lost their rights' },
  },
});

export function explainRecertificationRefusal(state: RecertificationState, command: RecertificationCommand): DomainError | null {
  return explainRefusalOf(recertificationMachine, RECERTIFICATION_RULES, state, command, 'campaign');
}
