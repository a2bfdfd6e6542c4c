/**
 * What happened to one user's grant at one institution: the stream that makes "at most one grant
 * in force per user per institution" a fact the store enforces. An approval first reserves the
 * grant here (with the stream's expected revision, so two approvals cannot both pass), then the
 * application records its approval, and the reservation is confirmed; an ending releases it.
 * Plain JSON; who and when inside `data`. The stream is named by the user's pseudonym, never the code.
 */
import type { ApplicationKind } from '../application/rules/content';

export interface GrantReserved {
  readonly type: 'GrantReserved';
  readonly data: {
    readonly institution: string;
    readonly applicationId: string;
    readonly kind: ApplicationKind;
    /** For a change or termination: the application in force it replaces. */
    readonly replaces?: string;
    readonly reservedBy: string;
    readonly reservedAt: string;
  };
}

/** The application's approval is recorded: the reservation is the grant in force (none, for a termination). */
export interface GrantAssigned {
  readonly type: 'GrantAssigned';
  readonly data: { readonly applicationId: string; readonly assignedBy: string; readonly assignedAt: string };
}

/** The grant in force ended with its application (revoked, expired, ended by a merge or a campaign). */
export interface GrantEnded {
  readonly type: 'GrantEnded';
  readonly data: { readonly applicationId: string; readonly reason: GrantEndReason; readonly endedBy: string; readonly endedAt: string };
}

/** The reserving approval did not happen (refused after the reservation, rejected, closed): the reservation lapses. */
export interface GrantReservationVoided {
  readonly type: 'GrantReservationVoided';
  readonly data: { readonly applicationId: string; readonly reason: string; readonly voidedBy: string; readonly voidedAt: string };
}

export type GrantEndReason = 'revoked' | 'expired' | 'ended';
export const GRANT_END_REASONS: readonly GrantEndReason[] = ['revoked', 'expired', 'ended'];

export type GrantEvent = GrantReserved | GrantAssigned | GrantEnded | GrantReservationVoided;
export type GrantEventType = GrantEvent['type'];
