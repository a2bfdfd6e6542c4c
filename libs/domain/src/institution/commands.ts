/**
 * What an administrator (or the import, or a timer) asks of one institution's stream. The stream
 * is keyed by the registration number; every command names it, with the actor and `at`.
 * Facts about *other* institutions (a resort head, a merge target) come with the command: the
 * domain reads no registry.
 */
import type { Actor } from '../shared/actor';
import type { InstitutionDetails, InstitutionDetailsInput, ResortHeadFact } from './rules/details';

interface CommandBase {
  readonly registrationNumber: string;
  readonly actor: Actor;
  readonly at: string;
}

export interface RegisterInstitution extends CommandBase {
  readonly type: 'RegisterInstitution';
  readonly details: InstitutionDetailsInput;
  /** The registry's answer about `details.resortHead` when it is another institution (null: not registered). */
  readonly resortHead?: ResortHeadFact | null;
}

export interface UpdateInstitution extends CommandBase {
  readonly type: 'UpdateInstitution';
  /** Only what changes; the rest stays. Unchanged values record nothing. */
  readonly changes: Partial<InstitutionDetails>;
  readonly resortHead?: ResortHeadFact | null;
}

export interface SuspendInstitution extends CommandBase {
  readonly type: 'SuspendInstitution';
  readonly reason: string;
}

export interface ReactivateInstitution extends CommandBase {
  readonly type: 'ReactivateInstitution';
}

export interface DeactivateInstitution extends CommandBase {
  readonly type: 'DeactivateInstitution';
  readonly reason: string;
}

/** Seed 001: a deactivated institution is deleted 6 months later unless reactivated. Recorded by a timer. */
export interface DeleteInstitution extends CommandBase {
  readonly type: 'DeleteInstitution';
}

export interface AddRepresentative extends CommandBase {
  readonly type: 'AddRepresentative';
  readonly personalCode: string;
}

export interface RemoveRepresentative extends CommandBase {
  readonly type: 'RemoveRepresentative';
  readonly personalCode: string;
  readonly reason?: string;
}

/** Seed 003: this institution is merged into `into` as of the legal date `effectiveDate`. */
export interface MergeInstitution extends CommandBase {
  readonly type: 'MergeInstitution';
  readonly into: string;
  readonly effectiveDate: string;
  /** The registry's answer about `into` (null: not registered). */
  readonly target: { readonly status: string } | null;
}

/** Seed 000: an administrator starts a campaign; the institution is locked until it is over. */
export interface LockForRecertification extends CommandBase {
  readonly type: 'LockForRecertification';
  readonly campaignId: string;
  /** The last day (YYYY-MM-DD) on which the representative may confirm. */
  readonly deadline: string;
}

/** The campaign ended (its outcome recorded in its own stream): a process lifts the lock. */
export interface UnlockAfterRecertification extends CommandBase {
  readonly type: 'UnlockAfterRecertification';
  readonly campaignId: string;
  readonly outcome: 'completed' | 'lapsed';
}

export type InstitutionCommand =
  | RegisterInstitution
  | UpdateInstitution
  | SuspendInstitution
  | ReactivateInstitution
  | DeactivateInstitution
  | DeleteInstitution
  | AddRepresentative
  | RemoveRepresentative
  | MergeInstitution
  | LockForRecertification
  | UnlockAfterRecertification;

export type InstitutionCommandType = InstitutionCommand['type'];

export const INSTITUTION_COMMAND_TYPES: readonly InstitutionCommandType[] = [
  'RegisterInstitution',
  'UpdateInstitution',
  'SuspendInstitution',
  'ReactivateInstitution',
  'DeactivateInstitution',
  'DeleteInstitution',
  'AddRepresentative',
  'RemoveRepresentative',
  'MergeInstitution',
  'LockForRecertification',
  'UnlockAfterRecertification',
];
