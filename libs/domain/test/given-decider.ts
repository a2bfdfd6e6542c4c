/**
 * given(events).when(command).then(events | code) for any stream type: the institution and the
 * campaign specs read like the application's (test/given.ts).
 */
import type { DomainError, DomainErrorCode } from '@atlauja/domain';
import { expectRefusal } from './given';

export function givenFor<Command, Event, State>(decide: (command: Command, state: State) => Event[], fold: (events: Iterable<Event>, from?: State) => State) {
  return (history: Event[] = []) => {
    const before = fold(history);
    return {
      before,
      when(command: Command) {
        return {
          then(expected: Event[] | DomainErrorCode): { events: Event[]; state: State } | DomainError {
            if (typeof expected === 'string') return expectRefusal(() => decide(command, before), expected);
            const events = decide(command, before);
            expect(events).toEqual(expected);
            return { events, state: fold(events, before) };
          },
          outcome() {
            const events = decide(command, before);
            return { events, state: fold(events, before) };
          },
        };
      },
    };
  };
}
