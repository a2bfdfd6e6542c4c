/**
 * What the registry's and the campaign's machines share with the application's: guards kept as
 * data (`{ type: 'rules', params: { rules } }`) so a refusal names the rule that failed, and a
 * refusal explained from the machine's own table; one implementation for every stream type.
 */
import { getNextTransitions, type AnyStateMachine } from 'xstate';
import { DomainError, type DomainErrorCode } from './errors';

export interface Rule<State, Command> {
  readonly code: DomainErrorCode;
  readonly field: string;
  readonly message: string;
  readonly holds: (state: State, command: Command) => boolean;
}

export interface RulesGuardOf<Name extends string> {
  readonly type: 'rules';
  readonly params: { readonly rules: readonly Name[] };
}

/** A guard that every named rule must pass. */
export function rulesGuard<Name extends string>(...rules: Name[]): RulesGuardOf<Name> {
  return { type: 'rules', params: { rules } };
}

/** The machine's `rules` guard implementation over a table of rules. */
export function holdsAll<State, Command, Name extends string>(table: Record<Name, Rule<State, Command>>) {
  return ({ context, event }: { context: State; event: Command }, params: { readonly rules: readonly Name[] }): boolean =>
    params.rules.every((name) => table[name].holds(context, event));
}

/**
 * Why `machine` refuses `command` in `state` (resolved at `status`): TRANSITION_NOT_ALLOWED when no
 * transition exists, else the first failing rule of its guard; null when allowed.
 */
export function explainRefusalOf<State extends { readonly status: string }, Command extends { readonly type: string }, Name extends string>(
  machine: AnyStateMachine,
  table: Record<Name, Rule<State, Command>>,
  state: State,
  command: Command,
  noun: string,
): DomainError | null {
  const snapshot = machine.resolveState({ value: state.status, context: state });
  if (snapshot.can(command)) return null;
  const transitions = getNextTransitions(snapshot);
  for (const transition of transitions.filter((t) => t.eventType === command.type)) {
    const guard = transition.guard as RulesGuardOf<Name> | undefined;
    const failing = guard?.params.rules.find((name) => !table[name].holds(state, command));
    if (failing) {
      const rule = table[failing];
      return new DomainError(rule.code, rule.field, `${command.type} refused on ${rule.field}: ${rule.message}`);
    }
  }
  const allowed = [...new Set(transitions.map((t) => t.eventType))];
  return new DomainError(
    'TRANSITION_NOT_ALLOWED',
    'type',
    `type ${String(command.type)} is not allowed when the ${noun} is ${state.status}` + (allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it is final)'),
  );
}
