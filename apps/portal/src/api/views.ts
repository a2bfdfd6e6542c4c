/**
 * The response bodies the pages read, as the API returns them today. The OpenAPI document does
 * not describe most response bodies yet; `ok<View>()` uses these until it does (client.ts).
 */
export type Role = 'representative' | 'approver' | 'auditor' | 'admin';
export type RightsGroup = 'MANAGE' | 'APPROVE' | 'SIGN' | 'VIEW' | 'COORDINATE' | 'COORDINATE_MIN';
export type Status = 'draft' | 'submitted' | 'signed' | 'approved' | 'rejected' | 'withdrawn' | 'revoked' | 'expired' | 'superseded' | 'ended';
export type Kind = 'new-user' | 'change' | 'termination';
export type Term = { kind: 'until'; date: string } | { kind: 'after-last-login'; months?: 18 };
export type Scope = { kind: 'institution'; institution: string; groups: RightsGroup[] } | { kind: 'resort'; resort: string; groups: RightsGroup[] };

export interface SessionView {
  signedIn: boolean;
  mode: 'local' | 'server';
  signIn: 'demo' | 'oidc' | 'none';
  person?: { personalCode: string; roles: Role[]; institutions: string[]; name: string | null };
  csrfToken?: string;
  expiresAt?: string | null;
}

export interface DemoPeople {
  people: { id: string; givenName: string; surname: string; roles: Role[]; institutions: string[] }[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CommandResult {
  applicationId: string;
  revision: string;
  position: string;
  warnings?: { code: string; field: string; message: string }[];
}

export interface User {
  givenName: string;
  surname: string;
  personalCode: string;
  email: string;
}

export interface ApplicationView {
  id: string;
  status: Status;
  kind: Kind;
  institution: string;
  user: User;
  term: Term;
  rights: Scope[];
  rightsWarnings: { code: string; field: string; message: string }[];
  justification: string;
  replaces: string | null;
  documentSha256: string | null;
  draftedAt: string | null;
  submittedAt: string | null;
  signedAt: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  endedAt: string | null;
  reason: string | null;
  revision: string;
}

export interface EventView {
  id: string;
  revision: string;
  position: string;
  type: string;
  data: Record<string, unknown>;
  occurredAt: string;
  actor: string;
  hash: string;
  prevHash: string;
}

export interface Refusal {
  code: string;
  field: string;
  message: string;
}

export interface SignatureSummary {
  revision: string;
  signedAt: string;
  acceptedAt: string;
  documentSha256: string;
  signer: { name: string | null; issuer: string | null };
  valid: boolean;
  qualified: boolean;
  timestamped: boolean;
  checks: { code: string; ok: boolean }[];
}

export interface ApplicationActions {
  applicationId: string;
  status: Status;
  actions: Partial<Record<'submit' | 'withdraw' | 'revoke' | 'claim' | 'release' | 'approve' | 'reject', Refusal | null>>;
  document: { sha256: string; text: string | null } | null;
  signature: SignatureSummary | null;
}

export interface DocumentToSign {
  applicationId: string;
  revision: string;
  sha256: string;
  mediaType: string;
  contentBase64: string;
  text?: string;
}

export interface QueueItem {
  applicationId: string;
  institution: string;
  kind: Kind;
  user: { givenName: string; surname: string; personalCode: string };
  queuedAt: string;
  ageSeconds: number;
  claimedBy: string | null;
  claimedAt: string | null;
  claimedByMe: boolean;
  fourEyesConflict: boolean;
}

export interface InstitutionApplication {
  applicationId: string;
  institution: string;
  kind: Kind;
  status: Status;
  user: { givenName: string; surname: string; personalCode: string };
  term: Term;
  replaces: string | null;
  draftedAt: string;
  submittedAt: string | null;
  signedAt: string | null;
  decidedAt: string | null;
  endedAt: string | null;
  reason: string | null;
  claimed: boolean;
  updatedAt: string;
}

export interface UserRight {
  user: { givenName: string; surname: string; personalCode: string };
  employer: string;
  scope: { kind: 'institution'; institution: string } | { kind: 'resort'; resort: string };
  groups: RightsGroup[];
  term: Term;
  grantedBy: { applicationId: string; at: string; position: string };
}

export interface Decision {
  applicationId: string;
  institution: string | null;
  decision: 'approved' | 'rejected';
  at: string;
}

export interface Institution {
  registrationNumber: string;
  status: 'active' | 'suspended' | 'deactivated' | 'deleted' | 'none';
  officialName?: string;
  shortName?: string;
  type?: 'ministry' | 'cvi' | 'subordinate' | 'municipality';
  resortHead?: string;
  coordinationVariant?: 1 | 2 | 3;
  eAddress?: string;
  representatives: string[];
  statusReason?: string | null;
  openCampaign: { campaignId: string; deadline: string } | null;
  revision: string | null;
}

export interface InstitutionRow {
  registrationNumber: string;
  officialName?: string;
  type?: Institution['type'];
  status: Institution['status'];
}

export interface Registry {
  resorts: (InstitutionRow & { subordinates: InstitutionRow[] })[];
  openCampaigns: { campaignId: string; institution: string; deadline: string }[];
}

export interface ImportReport {
  registered: string[];
  updated: { registrationNumber: string; fields: string[] }[];
  unchanged: string[];
  notActive: { registrationNumber: string; status: string }[];
  refused: { line: number; registrationNumber: string; code: string; field: string; message: string }[];
  problems: { line: number; field: string; message: string }[];
  notInFile: string[];
  appended: number;
}

export interface Campaign {
  campaignId: string;
  institution: string;
  status: 'open' | 'completed' | 'lapsed' | 'none';
  deadline: string;
  progress: Record<string, number>;
  users: { personalCode: string; decision: 'confirmed' | 'dropped' | 'unmarked'; applications: string[] }[];
  ended: { personalCode: string; applications: string[] }[];
  openedAt: string | null;
  closedAt: string | null;
  revision: string | null;
}

export interface Finding {
  kind: string;
  code: string;
  stream?: string;
  revision?: string;
  type?: string;
  rule?: string;
  message: string;
}

export interface History {
  applicationId: string;
  stream: string;
  revision: string;
  events: EventView[];
  who: { revision: string; type: string; actor: string; at: string }[];
  findings: Finding[];
}

export interface AuditSignature {
  revision: string;
  signedBy: string;
  signedAt: string;
  acceptedAt: string;
  documentSha256: string;
  stored: { checks: { code: string; ok: boolean; detail: string }[] | null; evidence: { certificatesB64?: string[]; trustAnchorSha256?: string; crls?: { issuer: string; sha256: string; thisUpdate: string }[]; checkedAt?: string } | null };
  reverified: { valid: boolean; failures: string[]; checks: { code: string; ok: boolean; detail: string }[]; crlsMissing: string[] };
}

export type StateAt = ApplicationView & { asOf: { revision: string | null; occurredAt: string | null } };
