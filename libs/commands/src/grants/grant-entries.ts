/** Every command on a user's grant stream, declared once. */
import { GRANT_STREAM, type ApplicationKind, type GrantCommand, type GrantEndReason, type GrantEvent, type GrantState } from '@atlauja/domain';
import type { CommandEntry } from '../command-entry';

type GrantEntry<Input> = CommandEntry<Input, GrantState, GrantCommand, GrantEvent>;

const base = (c: { id: string; actor: GrantCommand['actor']; at: string }) => ({ grantId: c.id, actor: c.actor, at: c.at });

export const GRANT_COMMANDS = {
  /** Part of the approver's approval: not decided again on a lost race (the other approval may have won). */
  reserve: {
    stream: GRANT_STREAM, expect: 'any',
    build: (input: { institution: string; applicationId: string; kind: ApplicationKind; replaces?: string }, c) => ({
      type: 'ReserveGrant', ...base(c), institution: input.institution, applicationId: input.applicationId, kind: input.kind, ...(input.replaces !== undefined && { replaces: input.replaces }),
    }),
  } satisfies GrantEntry<{ institution: string; applicationId: string; kind: ApplicationKind; replaces?: string }>,

  // The processes' steps depend on nothing the caller saw: decided again on a lost race.
  confirm: {
    stream: GRANT_STREAM, expect: 'any', retries: 3,
    build: (input: { applicationId: string }, c) => ({ type: 'ConfirmGrant', ...base(c), applicationId: input.applicationId }),
  } satisfies GrantEntry<{ applicationId: string }>,

  end: {
    stream: GRANT_STREAM, expect: 'any', retries: 3,
    build: (input: { applicationId: string; reason: GrantEndReason }, c) => ({ type: 'EndGrant', ...base(c), applicationId: input.applicationId, reason: input.reason }),
  } satisfies GrantEntry<{ applicationId: string; reason: GrantEndReason }>,

  void: {
    stream: GRANT_STREAM, expect: 'any', retries: 3,
    build: (input: { applicationId: string; reason: string }, c) => ({ type: 'VoidGrantReservation', ...base(c), applicationId: input.applicationId, reason: input.reason }),
  } satisfies GrantEntry<{ applicationId: string; reason: string }>,
} as const;
