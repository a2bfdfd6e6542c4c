/** One application as its events tell it: what an API shows and what the machine's guards read. */
import type { EndCause, ExpiryReason } from './commands';
import type { ApplicationKind, ApplicationUser } from './rules/content';
import type { RightsScope, RightsWarning } from './rules/rights';
import type { Term } from './rules/term';

/** `none` is the stream before its first event; the others are the lifecycle of DOMAIN.md. */
export const APPLICATION_STATUSES = [
  'none',
  'draft',
  'submitted',
  'signed',
  'approved',
  'rejected',
  'withdrawn',
  'revoked',
  'expired',
  'superseded',
  'ended',
  'closed',
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export interface ApplicationState {
  readonly status: ApplicationStatus;
  readonly id: string | null;
  readonly kind: ApplicationKind | null;
  readonly institution: string | null;
  readonly user: ApplicationUser | null;
  readonly term: Term | null;
  readonly rights: readonly RightsScope[];
  readonly rightsWarnings: readonly RightsWarning[];
  readonly justification: string | null;
  readonly replaces: string | null;
  readonly documentSha256: string | null;
  readonly draftedBy: string | null;
  /** Everyone who drafted, edited, set the rights, submitted or signed it: none of them decides it (four eyes). */
  readonly touchedBy: readonly string[];
  readonly draftedAt: string | null;
  readonly lastEditedAt: string | null;
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  readonly signedBy: string | null;
  readonly signedAt: string | null;
  readonly signatureAcceptedAt: string | null;
  readonly signatureEvidenceRef: string | null;
  /** The approver working the application now; cleared on release and on decision. */
  readonly claimedBy: string | null;
  readonly claimedAt: string | null;
  /** The approver who approved or rejected it. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  /** Who or what ended it (withdrawn, revoked, expired, superseded) and when. */
  readonly endedBy: string | null;
  readonly endedAt: string | null;
  /** Rejection, withdrawal or revocation reason, the expiry reason, or the end cause. */
  readonly reason: string | ExpiryReason | EndCause | null;
  /** For an ended application, the event that ended it (`<stream>@<revision>`). */
  readonly causeRef: string | null;
  readonly supersededBy: string | null;
  /** Number of events folded; the stream's last 0-based revision is `revision - 1`. */
  readonly revision: number;
}

export const initialApplicationState: ApplicationState = Object.freeze({
  status: 'none',
  id: null,
  kind: null,
  institution: null,
  user: null,
  term: null,
  rights: [],
  rightsWarnings: [],
  justification: null,
  replaces: null,
  documentSha256: null,
  draftedBy: null,
  touchedBy: [],
  draftedAt: null,
  lastEditedAt: null,
  submittedBy: null,
  submittedAt: null,
  signedBy: null,
  signedAt: null,
  signatureAcceptedAt: null,
  signatureEvidenceRef: null,
  claimedBy: null,
  claimedAt: null,
  decidedBy: null,
  decidedAt: null,
  endedBy: null,
  endedAt: null,
  reason: null,
  causeRef: null,
  supersededBy: null,
  revision: 0,
});

