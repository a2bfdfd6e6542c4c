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

export type InstitutionEvent =
  | InstitutionRegistered
  | InstitutionDetailsChanged
  | InstitutionSuspended
  | InstitutionReactivated
  | InstitutionDeactivated
  | InstitutionMerged
  | InstitutionDeleted
  | RepresentativeAdded
  | RepresentativeRemoved;

export type InstitutionEventType = InstitutionEvent['type'];

export const INSTITUTION_EVENT_SCHEMA_VERSION: Readonly<Record<InstitutionEventType, number>> = {
  InstitutionRegistered: 1,
  InstitutionDetailsChanged: 1,
  InstitutionSuspended: 1,
  InstitutionReactivated: 1,
  InstitutionDeactivated: 1,
  InstitutionMerged: 1,
  InstitutionDeleted: 1,
  RepresentativeAdded: 1,
  RepresentativeRemoved: 1,
};

export const INSTITUTION_EVENT_TYPES = Object.keys(INSTITUTION_EVENT_SCHEMA_VERSION) as InstitutionEventType[];
