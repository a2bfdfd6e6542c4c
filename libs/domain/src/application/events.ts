/**
 * What happened to one application, in the past tense. Events are plain JSON (strings, numbers,
 * booleans, arrays, objects; no Dates, no bigint, no keys with undefined values) so every store
 * and every reader sees the same bytes. Whoever acted and when sits inside `data`, so a reader
 * needs no envelope to show "approved by X at T".
 */
import type { EndCause, ExpiryReason, JsonValue } from './commands';
import type { ApplicationKind, ApplicationUser } from './rules/content';
import type { RightsScope, RightsWarning } from './rules/rights';
import type { Term } from './rules/term';

export interface ApplicationDrafted {
  readonly type: 'ApplicationDrafted';
  readonly data: {
    readonly applicationId: string;
    readonly kind: ApplicationKind;
    readonly institution: string;
    readonly user: ApplicationUser;
    readonly term: Term;
    readonly justification: string;
    readonly replaces?: string;
    readonly draftedBy: string;
    readonly draftedAt: string;
  };
}

export interface DraftEdited {
  readonly type: 'DraftEdited';
  readonly data: {
    /** Only what was changed. */
    readonly changes: { readonly user?: ApplicationUser; readonly term?: Term; readonly justification?: string };
    readonly editedBy: string;
    readonly editedAt: string;
  };
}

export interface RightsSet {
  readonly type: 'RightsSet';
  readonly data: {
    /** Normalized: groups deduplicated, in canonical order, VIEW dropped beside another group. */
    readonly rights: RightsScope[];
    /** What the normalization removed, to show the representative. */
    readonly warnings: RightsWarning[];
    readonly setBy: string;
    readonly setAt: string;
  };
}

export interface ApplicationSubmitted {
  readonly type: 'ApplicationSubmitted';
  readonly data: {
    /** The fixed document to sign: content is frozen from here on. */
    readonly documentSha256: string;
    /** The readable PDF of that document (absent in submissions made before PDFs were served). */
    readonly pdfSha256?: string;
    readonly submittedBy: string;
    readonly submittedAt: string;
  };
}

export interface ApplicationSigned {
  readonly type: 'ApplicationSigned';
  readonly data: {
    readonly documentSha256: string;
    readonly signerPersonalCode: string;
    readonly signedBy: string;
    /** The signing time the signature claims. */
    readonly signedAt: string;
    /** When the signature was accepted (the command's time). */
    readonly acceptedAt: string;
    readonly evidenceRef?: string;
    readonly evidence?: { readonly [key: string]: JsonValue };
  };
}

export interface ApplicationWithdrawn {
  readonly type: 'ApplicationWithdrawn';
  readonly data: { readonly withdrawnBy: string; readonly withdrawnAt: string; readonly reason?: string };
}

export interface ApplicationClaimed {
  readonly type: 'ApplicationClaimed';
  readonly data: { readonly claimedBy: string; readonly claimedAt: string };
}

export interface ClaimReleased {
  readonly type: 'ClaimReleased';
  readonly data: { readonly releasedBy: string; readonly releasedAt: string };
}

export interface ApplicationApproved {
  readonly type: 'ApplicationApproved';
  readonly data: {
    readonly approvedBy: string;
    readonly approvedAt: string;
    /** Carried so a process manager can supersede the replaced application without reading this stream. */
    readonly kind: ApplicationKind;
    readonly replaces?: string;
  };
}

export interface ApplicationRejected {
  readonly type: 'ApplicationRejected';
  readonly data: { readonly rejectedBy: string; readonly rejectedAt: string; readonly reason: string };
}

export interface ApplicationRevoked {
  readonly type: 'ApplicationRevoked';
  readonly data: { readonly revokedBy: string; readonly revokedAt: string; readonly reason: string };
}

export interface ApplicationExpired {
  readonly type: 'ApplicationExpired';
  readonly data: { readonly expiredBy: string; readonly expiredAt: string; readonly reason: ExpiryReason };
}

export interface ApplicationSuperseded {
  readonly type: 'ApplicationSuperseded';
  readonly data: { readonly supersededBy: string; readonly supersededAt: string; readonly recordedBy: string };
}

export interface ApplicationEnded {
  readonly type: 'ApplicationEnded';
  readonly data: { readonly cause: EndCause; readonly causeRef: string; readonly endedBy: string; readonly endedAt: string };
}

/** Closed undecided (draft, submitted or signed) because its institution was merged away. */
export interface ApplicationClosed {
  readonly type: 'ApplicationClosed';
  readonly data: { readonly cause: EndCause; readonly causeRef: string; readonly closedBy: string; readonly closedAt: string };
}

export type ApplicationEvent =
  | ApplicationDrafted
  | DraftEdited
  | RightsSet
  | ApplicationSubmitted
  | ApplicationSigned
  | ApplicationWithdrawn
  | ApplicationClaimed
  | ClaimReleased
  | ApplicationApproved
  | ApplicationRejected
  | ApplicationRevoked
  | ApplicationExpired
  | ApplicationSuperseded
  | ApplicationEnded
  | ApplicationClosed;

export type ApplicationEventType = ApplicationEvent['type'];
