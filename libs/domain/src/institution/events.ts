/** What happened to one institution in the registry. Plain JSON; who and when inside `data`. */
import type { InstitutionDetails } from './rules/details';

export interface InstitutionRegistered {
  readonly type: 'InstitutionRegistered';
  readonly data: InstitutionDetails & { readonly registrationNumber: string; readonly registeredBy: string; readonly registeredAt: string };
}

export interface InstitutionDetailsChanged {
  readonly type: 'InstitutionDetailsChanged';
  /** Only the details that changed, with their new values. */
  readonly data: { readonly changes: Partial<InstitutionDetails>; readonly changedBy: string; readonly changedAt: string };
}

export interface InstitutionSuspended {
  readonly type: 'InstitutionSuspended';
  readonly data: { readonly reason: string; readonly suspendedBy: string; readonly suspendedAt: string };
}

export interface InstitutionReactivated {
  readonly type: 'InstitutionReactivated';
  readonly data: { readonly reactivatedBy: string; readonly reactivatedAt: string };
}

export interface InstitutionDeactivated {
  readonly type: 'InstitutionDeactivated';
  /** `deletionDue`: the date from which the deletion may be recorded (6 months after). */
  readonly data: { readonly reason: string; readonly deactivatedBy: string; readonly deactivatedAt: string; readonly deletionDue: string };
}

/** The institution ceased to exist by merging into `into` (seed 003); it is deactivated by this event. */
export interface InstitutionMerged {
  readonly type: 'InstitutionMerged';
  readonly data: {
    readonly into: string;
    readonly effectiveDate: string;
    readonly mergedBy: string;
    readonly mergedAt: string;
    readonly deletionDue: string;
  };
}

export interface InstitutionDeleted {
  readonly type: 'InstitutionDeleted';
  readonly data: { readonly deletedBy: string; readonly deletedAt: string };
}

export interface RepresentativeAdded {
  readonly type: 'RepresentativeAdded';
  readonly data: { readonly personalCode: string; readonly addedBy: string; readonly addedAt: string };
}

export interface RepresentativeRemoved {
  readonly type: 'RepresentativeRemoved';
  readonly data: { readonly personalCode: string; readonly reason?: string; readonly removedBy: string; readonly removedAt: string };
}

/**
 * Seed 000: while a re-certification campaign is open the institution's users are locked out. The
 * lock is the institution's own (one campaign at a time, held by its stream's expected revision).
 */
export interface InstitutionLockedForRecertification {
  readonly type: 'InstitutionLockedForRecertification';
  readonly data: { readonly campaignId: string; readonly deadline: string; readonly lockedBy: string; readonly lockedAt: string };
}

/** The campaign is over (completed by the representative, or lapsed at its deadline): the lockout lifts. */
export interface InstitutionUnlocked {
  readonly type: 'InstitutionUnlocked';
  readonly data: { readonly campaignId: string; readonly outcome: 'completed' | 'lapsed'; readonly unlockedBy: string; readonly unlockedAt: string };
}

export type InstitutionEvent =
  | InstitutionRegistered
  | InstitutionDetailsChanged
  | InstitutionSuspended
  | InstitutionReactivated
  | InstitutionDeactivated
  | InstitutionMerged
  | InstitutionDeleted
  | RepresentativeAdded
  | RepresentativeRemoved
  | InstitutionLockedForRecertification
  | InstitutionUnlocked;

export type InstitutionEventType = InstitutionEvent['type'];
