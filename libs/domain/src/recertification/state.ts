/** One campaign as its events tell it. */
import type { RightsHolder } from './commands';

export const RECERTIFICATION_STATUSES = ['none', 'open', 'completed', 'lapsed'] as const;
export type RecertificationStatus = (typeof RECERTIFICATION_STATUSES)[number];
export type HolderDecision = 'confirmed' | 'dropped';

export interface RecertificationState {
  readonly status: RecertificationStatus;
  readonly campaignId: string | null;
  readonly institution: string | null;
  readonly deadline: string | null;
  readonly holders: readonly RightsHolder[];
  /** The representative's latest mark per personal code; an unmarked holder is absent. */
  readonly decisions: Readonly<Record<string, HolderDecision>>;
  readonly openedBy: string | null;
  readonly openedAt: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  /** After closing: the holders whose rights end. */
  readonly ended: readonly RightsHolder[];
  readonly revision: number;
}

export const initialRecertificationState: RecertificationState = Object.freeze({
  status: 'none',
  campaignId: null,
  institution: null,
  deadline: null,
  holders: [],
  decisions: {},
  openedBy: null,
  openedAt: null,
  closedBy: null,
  closedAt: null,
  ended: [],
  revision: 0,
});

export interface CampaignProgress {
  readonly holders: number;
  readonly confirmed: number;
  readonly dropped: number;
  readonly pending: number;
}

export function campaignProgress(state: RecertificationState): CampaignProgress {
  const marks = state.holders.map((h) => state.decisions[h.personalCode]);
  const confirmed = marks.filter((m) => m === 'confirmed').length;
  const dropped = marks.filter((m) => m === 'dropped').length;
  return { holders: state.holders.length, confirmed, dropped, pending: state.holders.length - confirmed - dropped };
}

/** Everyone not confirmed: the dropped and the forgotten alike (seed 000: unmarked users are removed). */
export function unconfirmedHolders(state: RecertificationState): RightsHolder[] {
  return state.holders.filter((h) => state.decisions[h.personalCode] !== 'confirmed');
}
