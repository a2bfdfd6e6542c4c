/** The fold of a campaign's stream: pure and total. */
import type { RecertificationEvent } from './events';
import { initialRecertificationState, type RecertificationState } from './state';

export function evolveRecertification(state: RecertificationState, event: RecertificationEvent): RecertificationState {
  const next = { ...state, revision: state.revision + 1 };
  switch (event.type) {
    case 'RecertificationOpened': {
      const d = event.data;
      return { ...next, status: 'open', campaignId: d.campaignId, institution: d.institution, deadline: d.deadline, holders: d.holders, openedBy: d.openedBy, openedAt: d.openedAt };
    }
    case 'UserConfirmed':
      return { ...next, decisions: { ...state.decisions, [event.data.personalCode]: 'confirmed' } };
    case 'UserDropped':
      return { ...next, decisions: { ...state.decisions, [event.data.personalCode]: 'dropped' } };
    case 'RecertificationCompleted':
      return { ...next, status: 'completed', closedBy: event.data.completedBy, closedAt: event.data.completedAt, ended: event.data.ended };
    case 'RecertificationLapsed':
      return { ...next, status: 'lapsed', closedBy: event.data.lapsedBy, closedAt: event.data.lapsedAt, ended: event.data.ended };
    default:
      return next;
  }
}

export function foldRecertification(events: Iterable<RecertificationEvent>, from: RecertificationState = initialRecertificationState): RecertificationState {
  let state = from;
  for (const event of events) state = evolveRecertification(state, event);
  return state;
}
