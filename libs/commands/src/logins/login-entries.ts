/** The login intake's command on the day's logins stream, declared once. */
import { LOGINS_STREAM, type LoginCommand, type LoginEvent, type LoginsState } from '@atlauja/domain';
import type { CommandEntry } from '../command-entry';

export const LOGIN_COMMANDS = {
  /** Appends to the day's stream whatever else was reported meanwhile: decided again on a lost race. */
  record: {
    stream: LOGINS_STREAM, expect: 'any', capability: 'portal.login', retries: 5,
    build: (input: { personalCode: string; authenticatedAt: string }, c) => ({ type: 'RecordLogin', actor: c.actor, at: c.at, personalCode: input.personalCode, authenticatedAt: input.authenticatedAt }),
  } satisfies CommandEntry<{ personalCode: string; authenticatedAt: string }, LoginsState & { readonly status: 'recording' }, LoginCommand, LoginEvent>,
} as const;
