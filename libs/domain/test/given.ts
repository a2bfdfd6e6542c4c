/**
 * given(events).when(command).then(expected): the shape of every decider spec.
 * `expected` is the events decide must return, or the code of the DomainError it must throw.
 */
import { decide, DomainError, foldApplication, type ApplicationCommand, type ApplicationEvent, type ApplicationState, type DomainErrorCode } from '@atlauja/domain';

export interface Outcome {
  readonly events: ApplicationEvent[];
  /** The state after folding the new events onto the given ones. */
  readonly state: ApplicationState;
}

export function given(history: ApplicationEvent[] = []) {
  const before = foldApplication(history);
  return {
    when(command: ApplicationCommand) {
      return {
        then(expected: ApplicationEvent[] | DomainErrorCode): Outcome | DomainError {
          if (typeof expected === 'string') return expectRefusal(() => decide(command, before), expected);
          const events = decide(command, before);
          expect(events).toEqual(expected);
          return { events, state: foldApplication(events, before) };
        },
        /** For specs that check only part of the outcome. */
        outcome(): Outcome {
          const events = decide(command, before);
          return { events, state: foldApplication(events, before) };
        },
      };
    },
  };
}

/** Asserts that `act` throws a DomainError with `code` (and a message naming its field), and returns it. */
export function expectRefusal(act: () => unknown, code: DomainErrorCode): DomainError {
  let thrown: unknown;
  try {
    act();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(DomainError);
  const error = thrown as DomainError;
  expect({ code: error.code, message: error.message }).toEqual({ code, message: expect.any(String) });
  if (error.field) expect(error.message).toContain(error.field.split(/[.[]/)[0]);
  return error;
}
