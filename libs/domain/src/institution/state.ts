/** One institution as its events tell it: what the registry shows and what the guards read. */
import type { InstitutionDetails } from './rules/details';

/** `none` before the first event; `deleted` keeps the history but leaves the registry. */
export const INSTITUTION_STATUSES = ['none', 'active', 'suspended', 'deactivated', 'deleted'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];

export interface InstitutionState {
  readonly status: InstitutionStatus;
  readonly registrationNumber: string | null;
  readonly details: InstitutionDetails | null;
  /** Normalized personal codes, in the order they were added. */
  readonly representatives: readonly string[];
  /** Why it was suspended or deactivated. */
  readonly statusReason: string | null;
  readonly statusChangedAt: string | null;
  /** Set while deactivated: the date from which it may be deleted. */
  readonly deletionDue: string | null;
  readonly mergedInto: string | null;
  readonly mergeEffectiveDate: string | null;
  readonly registeredAt: string | null;
  /** The open re-certification campaign that locks its users out (seed 000), or null. */
  readonly recertification: { readonly campaignId: string; readonly deadline: string } | null;
  readonly revision: number;
}

export const initialInstitutionState: InstitutionState = Object.freeze({
  status: 'none',
  registrationNumber: null,
  details: null,
  representatives: [],
  statusReason: null,
  statusChangedAt: null,
  deletionDue: null,
  mergedInto: null,
  mergeEffectiveDate: null,
  registeredAt: null,
  recertification: null,
  revision: 0,
});
