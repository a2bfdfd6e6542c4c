/**
 * The re-certification campaign (aktualizācija, seed 000): an administrator opens one for an
 * institution with a deadline; the institution's representative confirms or drops each user who
 * holds rights there; completing it, or reaching the deadline, ends the rights of everyone not
 * confirmed. One stream per campaign; every command names the campaign, the actor and `at`.
 */
import type { Actor } from '../shared/actor';

interface CommandBase {
  readonly campaignId: string;
  readonly actor: Actor;
  readonly at: string;
}

/** A user holding rights at the institution when the campaign opens, with the applications in force. */
export interface RightsHolder {
  readonly personalCode: string;
  readonly applications: readonly string[];
}

export interface OpenRecertification extends CommandBase {
  readonly type: 'OpenRecertification';
  readonly institution: string;
  /** The last day (YYYY-MM-DD) on which the representative may confirm. */
  readonly deadline: string;
  /** From the rights register: who holds rights at the institution now. */
  readonly holders: readonly RightsHolder[];
  /** The registry's status of the institution: a campaign is opened only for an active one. */
  readonly institutionStatus: string;
}

export interface ConfirmUser extends CommandBase {
  readonly type: 'ConfirmUser';
  readonly personalCode: string;
}

export interface DropUser extends CommandBase {
  readonly type: 'DropUser';
  readonly personalCode: string;
  readonly reason?: string;
}

/** "Saglabāt un pabeigt aktualizāciju": users left unmarked are dropped (seed 000, step 3). */
export interface CompleteRecertification extends CommandBase {
  readonly type: 'CompleteRecertification';
}

/** The deadline passed without completion: a timer closes the campaign and the unconfirmed lose their rights. */
export interface CloseRecertificationAtDeadline extends CommandBase {
  readonly type: 'CloseRecertificationAtDeadline';
}

export type RecertificationCommand = OpenRecertification | ConfirmUser | DropUser | CompleteRecertification | CloseRecertificationAtDeadline;
export type RecertificationCommandType = RecertificationCommand['type'];

export const RECERTIFICATION_COMMAND_TYPES: readonly RecertificationCommandType[] = [
  'OpenRecertification',
  'ConfirmUser',
  'DropUser',
  'CompleteRecertification',
  'CloseRecertificationAtDeadline',
];
