/**
 * What a person or a process asks of one application. Every command carries the application's id,
 * the actor (from authentication) and `at`, the command's time (ISO instant with offset): the
 * domain reads no clock and makes no ids.
 */
import type { Actor } from '../shared/actor';
import type { ApplicationKind } from './rules/content';
import type { InstitutionFacts, RightsGroup } from './rules/rights';
import type { Term, TermPolicy } from './rules/term';

interface CommandBase {
  readonly applicationId: string;
  readonly actor: Actor;
  readonly at: string;
}

/** The user as typed in the form; the personal code may be written with or without the hyphen. */
export interface UserInput {
  readonly givenName: string;
  readonly surname: string;
  readonly personalCode: string;
  readonly email: string;
}

export type RightsScopeInput =
  | { readonly kind: 'institution'; readonly institution: string; readonly groups: readonly RightsGroup[] }
  | { readonly kind: 'resort'; readonly resort: string; readonly groups: readonly RightsGroup[] };

export interface DraftApplication extends CommandBase {
  readonly type: 'DraftApplication';
  readonly kind: ApplicationKind;
  /** Registration number (11 digits) of the applying institution, the user's employer. */
  readonly institution: string;
  readonly user: UserInput;
  readonly term: Term;
  readonly justification: string;
  /** The application in force for the user: required for change and termination, forbidden for new-user. */
  readonly replaces?: string;
  /** When given, the institution must be among them. */
  readonly facts?: InstitutionFacts;
  readonly policy?: TermPolicy;
  /** The user's grant at the institution as its stream says now (read by the command's entry). */
  readonly grant?: GrantFact;
  /** For a change or termination: the application it names, as its stream says now (null: none). */
  readonly replaced?: ReplacedFact | null;
}

/** What the user's grant stream says at drafting: the application in force and the approval in flight. */
export interface GrantFact {
  readonly inForce: string | null;
  readonly pending: string | null;
}

/** What the named application says of itself: it must be the user's grant in force at the same institution. */
export interface ReplacedFact {
  readonly status: string;
  readonly kind: string;
  readonly institution: string;
  readonly personalCode: string;
}

export interface EditDraft extends CommandBase {
  readonly type: 'EditDraft';
  readonly user?: UserInput;
  readonly term?: Term;
  readonly justification?: string;
  readonly policy?: TermPolicy;
}

export interface SetRights extends CommandBase {
  readonly type: 'SetRights';
  /** The whole list; replaces what was set before. */
  readonly rights: readonly RightsScopeInput[];
  /** Facts about the applying institution and every institution the scopes name (and a resort's members for COORDINATE_MIN). */
  readonly facts: InstitutionFacts;
}

export interface SubmitApplication extends CommandBase {
  readonly type: 'SubmitApplication';
  /** SHA-256 (hex) of the canonical document to sign, computed outside the domain. */
  readonly documentSha256: string;
  /** SHA-256 (hex) of the readable PDF rendered from it, when one is served for signing. */
  readonly pdfSha256?: string;
  /** When given, the rights are checked again against them (facts may have changed since they were set). */
  readonly facts?: InstitutionFacts;
}

/** JSON-safe evidence the signatures library keeps for re-verification. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** The verdict on a detached signature, reached outside the domain (signatures library). */
export interface SignatureVerdict {
  readonly valid: boolean;
  readonly documentSha256: string;
  readonly signerPersonalCode: string;
  /** The signing time the signature claims (ISO instant). */
  readonly signedAt: string;
  /** The names of the checks that failed, when not valid. */
  readonly failures?: readonly string[];
  /** Where the evidence is stored, or the evidence itself. */
  readonly evidenceRef?: string;
  readonly evidence?: { readonly [key: string]: JsonValue };
}

export interface SignApplication extends CommandBase {
  readonly type: 'SignApplication';
  readonly signature: SignatureVerdict;
}

export interface WithdrawApplication extends CommandBase {
  readonly type: 'WithdrawApplication';
  readonly reason?: string;
}

export interface ClaimApplication extends CommandBase {
  readonly type: 'ClaimApplication';
}

export interface ReleaseClaim extends CommandBase {
  readonly type: 'ReleaseClaim';
}

export interface ApproveApplication extends CommandBase {
  readonly type: 'ApproveApplication';
}

export interface RejectApplication extends CommandBase {
  readonly type: 'RejectApplication';
  readonly reason: string;
}

/** "Atsaukt tiesības": confirmed, not signed; takes effect at once (status Atcelts). */
export interface RevokeApplication extends CommandBase {
  readonly type: 'RevokeApplication';
  readonly reason: string;
  readonly confirmed: boolean;
}

export type ExpiryReason = 'end-date' | 'no-login-18-months';
export const EXPIRY_REASONS: readonly ExpiryReason[] = ['end-date', 'no-login-18-months'];

export interface ExpireApplication extends CommandBase {
  readonly type: 'ExpireApplication';
  readonly reason: ExpiryReason;
}

/**
 * Why an institution's change ends rights in force (seeds 000, 003): the institution was merged
 * into another, or its re-certification campaign did not confirm the user.
 */
export type EndCause = 'institution-merged' | 'not-recertified';
export const END_CAUSES: readonly EndCause[] = ['institution-merged', 'not-recertified'];

/** Recorded by the process that carries out a merge or a campaign's outcome, never by a person. */
export interface EndApplication extends CommandBase {
  readonly type: 'EndApplication';
  readonly cause: EndCause;
  /** The event that caused it, `<stream>@<revision>` (e.g. `institution-90000000055@7`), so a reader can follow it. */
  readonly causeRef: string;
}

export interface SupersedeApplication extends CommandBase {
  readonly type: 'SupersedeApplication';
  /** The later approved change (or termination) for the same user. */
  readonly supersededBy: string;
}

/** Seed 003: a merge closes every application of the institution not yet decided; recorded by the process carrying it out. */
export interface CloseApplication extends CommandBase {
  readonly type: 'CloseApplication';
  readonly cause: EndCause;
  readonly causeRef: string;
}

export type ApplicationCommand =
  | DraftApplication
  | EditDraft
  | SetRights
  | SubmitApplication
  | SignApplication
  | WithdrawApplication
  | ClaimApplication
  | ReleaseClaim
  | ApproveApplication
  | RejectApplication
  | RevokeApplication
  | ExpireApplication
  | SupersedeApplication
  | EndApplication
  | CloseApplication;

export type ApplicationCommandType = ApplicationCommand['type'];

/** Every command type, for tables and tests that walk them all. */
export const APPLICATION_COMMAND_TYPES: readonly ApplicationCommandType[] = [
  'DraftApplication',
  'EditDraft',
  'SetRights',
  'SubmitApplication',
  'SignApplication',
  'WithdrawApplication',
  'ClaimApplication',
  'ReleaseClaim',
  'ApproveApplication',
  'RejectApplication',
  'RevokeApplication',
  'ExpireApplication',
  'SupersedeApplication',
  'EndApplication',
  'CloseApplication',
];
