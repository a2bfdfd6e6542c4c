/**
 * A stream type's behaviour, the one shape every command handler runs (Emmett's decider): the
 * state before the first event, how an event changes it, and what a command records. All pure.
 */
export interface Decider<State, Command, Event extends { readonly type: string; readonly data: unknown }> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  /** The events that record `command` in `state`; throws a DomainError when it is refused; [] when nothing changes. */
  decide(command: Command, state: State): Event[];
}

/** The state after `events`, from the decider's initial state. */
export function foldWith<State, Event extends { readonly type: string; readonly data: unknown }>(
  decider: Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
