/**
 * Every stream type of the domain in one table: its decider (for the command handler), its event
 * catalogue (for the audit, the projections and the docs) and its machine's refusal (for the
 * audit's replay). Adding a stream type means adding it here; the rest reads this table.
 */
import { APPLICATION_EVENTS } from '../application/catalogue';
import type { ApplicationCommand } from '../application/commands';
import { decide } from '../application/decide';
import type { ApplicationEvent } from '../application/events';
import { evolve } from '../application/evolve';
import { explainRefusal } from '../application/machine';
import { TRANSITION_RULES } from '../application/rules/transition-rules';
import { initialApplicationState, type ApplicationState } from '../application/state';
import { INSTITUTION_EVENTS } from '../institution/catalogue';
import type { InstitutionCommand } from '../institution/commands';
import { decideInstitution } from '../institution/decide';
import type { InstitutionEvent } from '../institution/events';
import { evolveInstitution } from '../institution/evolve';
import { explainInstitutionRefusal } from '../institution/machine';
import { INSTITUTION_RULES } from '../institution/rules/transition-rules';
import { initialInstitutionState, type InstitutionState } from '../institution/state';
import { RECERTIFICATION_EVENTS } from '../recertification/catalogue';
import type { RecertificationCommand } from '../recertification/commands';
import { decideRecertification } from '../recertification/decide';
import type { RecertificationEvent } from '../recertification/events';
import { evolveRecertification } from '../recertification/evolve';
import { explainRecertificationRefusal } from '../recertification/machine';
import { RECERTIFICATION_RULES } from '../recertification/rules/transition-rules';
import { initialRecertificationState, type RecertificationState } from '../recertification/state';
import { GRANT_EVENTS } from '../grant/catalogue';
import type { GrantCommand } from '../grant/commands';
import { decideGrant } from '../grant/decide';
import type { GrantEvent } from '../grant/events';
import { evolveGrant } from '../grant/evolve';
import { explainGrantRefusal } from '../grant/machine';
import { GRANT_RULES } from '../grant/rules/transition-rules';
import { initialGrantState, type GrantState } from '../grant/state';
import { decideLogin, evolveLogins, initialLoginsState, LOGIN_EVENTS, type LoginCommand, type LoginEvent, type LoginsState } from '../logins/logins';
import type { CatalogueOf } from '../shared/catalogue-entry';
import type { Decider } from '../shared/decider';
import type { DomainError } from '../shared/errors';
import type { Rule } from '../shared/guarded-machine';
import type { StreamType } from './stream-names';

export interface StreamDefinition<State, Command extends { readonly type: string }, Event extends { readonly type: string; readonly data: object }> {
  readonly type: StreamType;
  readonly decider: Decider<State, Command, Event>;
  readonly catalogue: CatalogueOf<Event, Command>;
  /** The machine's answer to `command` in `state`: null when allowed, else the refusal naming its rule. */
  readonly explainRefusal: (state: State, command: Command) => DomainError | null;
  /** The machine's rules, to name the rule behind a refusal. */
  readonly rules: Readonly<Record<string, Rule<State, Command>>>;
}

export const APPLICATION_STREAM: StreamDefinition<ApplicationState, ApplicationCommand, ApplicationEvent> = {
  type: 'application',
  decider: { initialState: initialApplicationState, evolve, decide },
  catalogue: APPLICATION_EVENTS,
  explainRefusal,
  rules: TRANSITION_RULES,
};

export const INSTITUTION_STREAM: StreamDefinition<InstitutionState, InstitutionCommand, InstitutionEvent> = {
  type: 'institution',
  decider: { initialState: initialInstitutionState, evolve: evolveInstitution, decide: decideInstitution },
  catalogue: INSTITUTION_EVENTS,
  explainRefusal: explainInstitutionRefusal,
  rules: INSTITUTION_RULES,
};

export const RECERTIFICATION_STREAM: StreamDefinition<RecertificationState, RecertificationCommand, RecertificationEvent> = {
  type: 'recertification',
  decider: { initialState: initialRecertificationState, evolve: evolveRecertification, decide: decideRecertification },
  catalogue: RECERTIFICATION_EVENTS,
  explainRefusal: explainRecertificationRefusal,
  rules: RECERTIFICATION_RULES,
};

export const GRANT_STREAM: StreamDefinition<GrantState, GrantCommand, GrantEvent> = {
  type: 'grant',
  decider: { initialState: initialGrantState, evolve: evolveGrant, decide: decideGrant },
  catalogue: GRANT_EVENTS,
  explainRefusal: explainGrantRefusal,
  rules: GRANT_RULES,
};

/** The stream types whose commands the domain decides, by type. */
export const STREAM_DEFINITIONS = {
  application: APPLICATION_STREAM,
  institution: INSTITUTION_STREAM,
  recertification: RECERTIFICATION_STREAM,
  grant: GRANT_STREAM,
} as const;

export type DecidedStreamType = keyof typeof STREAM_DEFINITIONS;

/**
 * The logins stream: decided (every report is a fact to record), with no lifecycle for an auditor
 * to replay, so it is not among the decided stream types above.
 */
export const LOGINS_STREAM: StreamDefinition<LoginsState & { readonly status: 'recording' }, LoginCommand, LoginEvent> = {
  type: 'logins',
  decider: { initialState: { ...initialLoginsState, status: 'recording' }, evolve: (s) => ({ ...evolveLogins(s), status: 'recording' }), decide: decideLogin },
  catalogue: LOGIN_EVENTS,
  explainRefusal: () => null,
  rules: {},
};

/** Every event type of every stream type, with its catalogue entry. */
export const EVENT_CATALOGUE = { ...APPLICATION_EVENTS, ...INSTITUTION_EVENTS, ...RECERTIFICATION_EVENTS, ...GRANT_EVENTS, ...LOGIN_EVENTS } as const;
export type DomainEvent = ApplicationEvent | InstitutionEvent | RecertificationEvent | GrantEvent | LoginEvent;
export type DomainEventType = DomainEvent['type'];

/** The schema version an event type is written with (undefined: not one of ours). */
export function schemaVersionOf(type: string): number | undefined {
  return (EVENT_CATALOGUE as Readonly<Record<string, { schemaVersion: number } | undefined>>)[type]?.schemaVersion;
}
