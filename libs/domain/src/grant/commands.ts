/** What an approval and the processes ask of a user's grant stream. Every command names the grant, the actor and `at`. */
import type { Actor } from '../shared/actor';
import type { ApplicationKind } from '../application/rules/content';
import type { GrantEndReason } from './events';

interface CommandBase {
  /** `<institution>-<user pseudonym>`: the grant stream's id. */
  readonly grantId: string;
  readonly actor: Actor;
  readonly at: string;
}

/** The approver's approval, before it is recorded on the application: the one approval that may pass. */
export interface ReserveGrant extends CommandBase {
  readonly type: 'ReserveGrant';
  readonly institution: string;
  readonly applicationId: string;
  readonly kind: ApplicationKind;
  readonly replaces?: string;
}

export interface ConfirmGrant extends CommandBase {
  readonly type: 'ConfirmGrant';
  readonly applicationId: string;
}

export interface EndGrant extends CommandBase {
  readonly type: 'EndGrant';
  readonly applicationId: string;
  readonly reason: GrantEndReason;
}

export interface VoidGrantReservation extends CommandBase {
  readonly type: 'VoidGrantReservation';
  readonly applicationId: string;
  readonly reason: string;
}

export type GrantCommand = ReserveGrant | ConfirmGrant | EndGrant | VoidGrantReservation;
export type GrantCommandType = GrantCommand['type'];
export const GRANT_COMMAND_TYPES: readonly GrantCommandType[] = ['ReserveGrant', 'ConfirmGrant', 'EndGrant', 'VoidGrantReservation'];
