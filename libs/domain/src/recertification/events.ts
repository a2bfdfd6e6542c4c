/** What happened in one re-certification campaign. Plain JSON; who and when inside `data`. */
import type { RightsHolder } from './commands';

export interface RecertificationOpened {
  readonly type: 'RecertificationOpened';
  readonly data: {
    readonly campaignId: string;
    readonly institution: string;
    readonly deadline: string;
    readonly holders: readonly RightsHolder[];
    readonly openedBy: string;
    readonly openedAt: string;
  };
}

export interface UserConfirmed {
  readonly type: 'UserConfirmed';
  readonly data: { readonly personalCode: string; readonly confirmedBy: string; readonly confirmedAt: string };
}

export interface UserDropped {
  readonly type: 'UserDropped';
  readonly data: { readonly personalCode: string; readonly reason?: string; readonly droppedBy: string; readonly droppedAt: string };
}

/** The outcome, named in full: whose rights stay and whose end (and which applications), so the process that ends them needs nothing else. */
interface Outcome {
  readonly confirmed: readonly string[];
  readonly ended: readonly RightsHolder[];
}

export interface RecertificationCompleted {
  readonly type: 'RecertificationCompleted';
  readonly data: Outcome & { readonly completedBy: string; readonly completedAt: string };
}

export interface RecertificationLapsed {
  readonly type: 'RecertificationLapsed';
  readonly data: Outcome & { readonly lapsedBy: string; readonly lapsedAt: string };
}

export type RecertificationEvent = RecertificationOpened | UserConfirmed | UserDropped | RecertificationCompleted | RecertificationLapsed;
export type RecertificationEventType = RecertificationEvent['type'];
