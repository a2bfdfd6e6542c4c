/**
 * The lifecycle of a user's grant at an institution: reserved by an approval, held once the
 * application records it, vacant again when it ends. Used purely; the content rules (which
 * application may reserve) are decide's, so a refusal can name the grant in force.
 */
import { setup } from 'xstate';
import type { DomainError } from '../shared/errors';
import { explainRefusalOf, holdsAll, rulesGuard } from '../shared/guarded-machine';
import type { GrantCommand } from './commands';
import { GRANT_RULES, type GrantRuleName } from './rules/transition-rules';
import { initialGrantState, type GrantState } from './state';

const when = (...rules: GrantRuleName[]) => rulesGuard(...rules);
const reserve = { ReserveGrant: { target: 'reserved', guard: when('actorIsApprover') } } as const;

export const grantMachine = setup({
  types: { context: {} as GrantState, events: {} as GrantCommand },
  guards: { rules: holdsAll(GRANT_RULES) },
}).createMachine({
  id: 'grant',
  initial: 'none',
  context: initialGrantState,
  states: {
    none: { description: 'No approval ever reserved it', on: { ...reserve } },
    vacant: { description: 'No rights in force', on: { ...reserve } },
    held: {
      description: 'A grant in force',
      on: { ...reserve, EndGrant: { target: 'vacant', guard: when('actorIsSystem') } },
    },
    reserved: {
      description: 'An approval in flight',
      on: {
        ...reserve,
        ConfirmGrant: { target: 'held', guard: when('actorIsSystem', 'reservedForThisApplication') },
        VoidGrantReservation: { target: 'held', guard: when('actorIsApproverOrSystem', 'reservedForThisApplication') },
        EndGrant: { target: 'reserved', guard: when('actorIsSystem') },
      },
    },
  },
});

export function explainGrantRefusal(state: GrantState, command: GrantCommand): DomainError | null {
  return explainRefusalOf(grantMachine, GRANT_RULES, state, command, 'grant');
}
