/**
 * Logins in the e-service's portal, as the login intake records them: the sliding term "18 months
 * after the last login" moves with each. One stream per Riga day (`logins-2026-03-02`), never per
 * person: stream names show in URLs, logs and the audit log, and a personal code must not.
 */
import type { Actor } from '../shared/actor';
import { assertActor } from '../shared/actor';
import { schemaVersionsOf, type CatalogueOf } from '../shared/catalogue-entry';
import { DomainError } from '../shared/errors';
import { normalizePersonalCode } from '../shared/personal-code';
import { isIsoInstant } from '../shared/time';

export interface UserAuthenticated {
  readonly type: 'UserAuthenticated';
  readonly data: {
    /** Normalized (DDMMYY-NNNNN): the key of the sliding term. */
    readonly personalCode: string;
    /** When the user authenticated in the portal (ISO instant). */
    readonly authenticatedAt: string;
    /** The service credential that reported it. */
    readonly reportedBy: string;
  };
}

export type LoginEvent = UserAuthenticated;

export interface RecordLogin {
  readonly type: 'RecordLogin';
  readonly actor: Actor;
  readonly at: string;
  readonly personalCode: string;
  readonly authenticatedAt: string;
}

export type LoginCommand = RecordLogin;

/** Nothing to fold: a day's logins decide nothing about each other. */
export interface LoginsState {
  readonly revision: number;
}

export const initialLoginsState: LoginsState = Object.freeze({ revision: 0 });

export function evolveLogins(state: LoginsState): LoginsState {
  return { revision: state.revision + 1 };
}

export function decideLogin(command: LoginCommand): LoginEvent[] {
  assertActor(command.actor);
  if (command.actor.role !== 'service') throw new DomainError('ROLE_NOT_ALLOWED', 'actor.role', 'logins are reported by the e-service portal (a service credential), not by a person');
  if (!isIsoInstant(command.at) || !isIsoInstant(command.authenticatedAt)) {
    throw new DomainError('TIME_INVALID', 'authenticatedAt', 'authenticatedAt must be an ISO instant with an offset');
  }
  const personalCode = normalizePersonalCode(command.personalCode, 'personalCode');
  // The portal's name without the `service:` prefix, as earlier logins record it.
  return [{ type: 'UserAuthenticated', data: { personalCode, authenticatedAt: command.authenticatedAt, reportedBy: command.actor.id.replace(/^service:/, '') } }];
}

export const LOGIN_EVENTS: CatalogueOf<LoginEvent, LoginCommand> = {
  UserAuthenticated: {
    schemaVersion: 1, actorField: 'reportedBy', timeField: 'authenticatedAt', roles: ['service'], command: 'RecordLogin',
    replay: ({ data }, { actor, at }) => ({ type: 'RecordLogin', actor, at, personalCode: data.personalCode, authenticatedAt: data.authenticatedAt }),
  },
};

export const LOGIN_EVENT_SCHEMA_VERSION = schemaVersionsOf(LOGIN_EVENTS);
