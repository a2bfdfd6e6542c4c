/** One user's grant at one institution as its events tell it. */
import type { ApplicationKind } from '../application/rules/content';

/** none: never reserved; vacant: nothing in force; held: a grant in force; reserved: an approval in flight. */
export const GRANT_STATUSES = ['none', 'vacant', 'held', 'reserved'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

export interface GrantReservation {
  readonly applicationId: string;
  readonly kind: ApplicationKind;
  readonly replaces: string | null;
}

export interface GrantState {
  readonly status: GrantStatus;
  readonly institution: string | null;
  /** The approved application whose rights are in force, or null. */
  readonly inForce: string | null;
  /** The approval in flight, or null. */
  readonly pending: GrantReservation | null;
  readonly revision: number;
}

export const initialGrantState: GrantState = Object.freeze({ status: 'none', institution: null, inForce: null, pending: null, revision: 0 });
