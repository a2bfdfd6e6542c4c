/** The fold of a grant stream: pure and total. */
import type { GrantEvent } from './events';
import { initialGrantState, type GrantState } from './state';

const settled = (inForce: string | null) => (inForce === null ? 'vacant' : 'held') as GrantState['status'];

export function evolveGrant(state: GrantState, event: GrantEvent): GrantState {
  const next = { ...state, revision: state.revision + 1 };
  switch (event.type) {
    case 'GrantReserved': {
      const d = event.data;
      return { ...next, status: 'reserved', institution: d.institution, pending: { applicationId: d.applicationId, kind: d.kind, replaces: d.replaces ?? null } };
    }
    case 'GrantAssigned': {
      // A termination's approval leaves nothing in force; a change's replaces the grant it named.
      const inForce = state.pending?.kind === 'termination' ? null : event.data.applicationId;
      return { ...next, status: settled(inForce), inForce, pending: null };
    }
    case 'GrantEnded':
      return { ...next, status: state.pending ? 'reserved' : 'vacant', inForce: null };
    case 'GrantReservationVoided':
      return { ...next, status: settled(state.inForce), pending: null };
    default:
      return next;
  }
}

export function foldGrant(events: Iterable<GrantEvent>, from: GrantState = initialGrantState): GrantState {
  let state = from;
  for (const event of events) state = evolveGrant(state, event);
  return state;
}
