/**
 * The cast and the happy path of the specs. Histories are produced by `decide` itself from valid
 * commands, so a fixture is always a history the domain could have written.
 */
import {
  decide,
  foldApplication,
  type Actor,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationStatus,
  type InstitutionFact,
  type InstitutionFacts,
} from '@atlauja/domain';
import { oldFormatCode } from './personal-codes';

export const APP_ID = 'app-0001';
export const PREVIOUS_APP_ID = 'app-0000';
export const LATER_APP_ID = 'app-0002';
export const AT = '2025-03-01T10:00:00+02:00';
export const TODAY = '2025-03-01';
export const DOC = 'a'.repeat(64);
export const OTHER_DOC = 'b'.repeat(64);

export const REP_CODE = oldFormatCode('1985-03-14', 100);
export const REP2_CODE = oldFormatCode('1990-11-30', 200);
export const APPROVER_CODE = '321234-56789'; // new format: no date, no check digit
export const APPROVER2_CODE = '329876-54321';
export const USER_CODE = oldFormatCode('2001-07-09', 300);

export const representative: Actor = { id: REP_CODE, role: 'representative' };
export const representative2: Actor = { id: REP2_CODE, role: 'representative' };
export const approver: Actor = { id: APPROVER_CODE, role: 'approver' };
export const approver2: Actor = { id: APPROVER2_CODE, role: 'approver' };
export const admin: Actor = { id: oldFormatCode('1970-01-01', 400), role: 'admin' };
export const auditor: Actor = { id: oldFormatCode('1975-05-05', 500), role: 'auditor' };
export const system: Actor = { id: 'system:expiry', role: 'system' };
/** A representative who also works as an approver: the four-eyes rule is about the person, not the role. */
export const repAsApprover: Actor = { id: REP_CODE, role: 'approver' };

// Registration numbers: a ministry heading a resort of two subordinates, a CVI, a municipality.
export const MINISTRY = '90000000011';
export const SUB_V1 = '90000000022';
export const SUB_V3 = '90000000033';
export const CVI = '90000000044';
export const MUNICIPALITY = '90000000055';
export const UNKNOWN_INSTITUTION = '90000000099';

const fact = (registrationNumber: string, type: InstitutionFact['type'], resortHead: string, coordinationVariant: 1 | 2 | 3): InstitutionFact => ({
  registrationNumber,
  type,
  resortHead,
  coordinationVariant,
});

/** Seed 002: variant 2 suits the ministry itself; its subordinates use 1 and 3. */
export const FACTS: InstitutionFacts = {
  [MINISTRY]: fact(MINISTRY, 'ministry', MINISTRY, 2),
  [SUB_V1]: fact(SUB_V1, 'subordinate', MINISTRY, 1),
  [SUB_V3]: fact(SUB_V3, 'subordinate', MINISTRY, 3),
  [CVI]: fact(CVI, 'cvi', CVI, 2),
  [MUNICIPALITY]: fact(MUNICIPALITY, 'municipality', MUNICIPALITY, 2),
};

export const USER = { givenName: 'Anna', surname: 'Bērziņa', personalCode: USER_CODE, email: 'anna.berzina@example.lv' };

type Of<T extends ApplicationCommand['type']> = Extract<ApplicationCommand, { type: T }>;
type Overrides<T extends ApplicationCommand['type']> = Partial<Omit<Of<T>, 'type'>>;

const base = { applicationId: APP_ID, at: AT };

/** Valid commands of the happy path, each overridable. */
export const commands = {
  draft: (o: Overrides<'DraftApplication'> = {}): Of<'DraftApplication'> => ({
    type: 'DraftApplication',
    ...base,
    actor: representative,
    kind: 'new-user',
    institution: MINISTRY,
    user: USER,
    term: { kind: 'after-last-login', months: 18 },
    justification: 'Prepares the ministry estimate',
    facts: FACTS,
    ...o,
  }),
  edit: (o: Overrides<'EditDraft'> = {}): Of<'EditDraft'> => ({
    type: 'EditDraft',
    ...base,
    actor: representative,
    justification: 'Prepares the ministry estimate and oversees the resort',
    ...o,
  }),
  setRights: (o: Overrides<'SetRights'> = {}): Of<'SetRights'> => ({
    type: 'SetRights',
    ...base,
    actor: representative,
    // Seed 002's example: a ministry user who oversees the resort and prepares the ministry's own estimate.
    rights: [
      { kind: 'resort', resort: MINISTRY, groups: ['VIEW'] },
      { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] },
    ],
    facts: FACTS,
    ...o,
  }),
  submit: (o: Overrides<'SubmitApplication'> = {}): Of<'SubmitApplication'> => ({
    type: 'SubmitApplication',
    ...base,
    actor: representative,
    documentSha256: DOC,
    ...o,
  }),
  sign: (o: Omit<Overrides<'SignApplication'>, 'signature'> & { signature?: Partial<Of<'SignApplication'>['signature']> } = {}): Of<'SignApplication'> => ({
    type: 'SignApplication',
    ...base,
    actor: representative,
    ...o,
    signature: {
      valid: true,
      documentSha256: DOC,
      signerPersonalCode: REP_CODE,
      signedAt: '2025-03-01T09:59:00+02:00',
      evidenceRef: 'evidence/app-0001/1',
      ...o.signature,
    },
  }),
  withdraw: (o: Overrides<'WithdrawApplication'> = {}): Of<'WithdrawApplication'> => ({
    type: 'WithdrawApplication',
    ...base,
    actor: representative,
    ...o,
  }),
  claim: (o: Overrides<'ClaimApplication'> = {}): Of<'ClaimApplication'> => ({ type: 'ClaimApplication', ...base, actor: approver, ...o }),
  release: (o: Overrides<'ReleaseClaim'> = {}): Of<'ReleaseClaim'> => ({ type: 'ReleaseClaim', ...base, actor: approver, ...o }),
  approve: (o: Overrides<'ApproveApplication'> = {}): Of<'ApproveApplication'> => ({ type: 'ApproveApplication', ...base, actor: approver, ...o }),
  reject: (o: Overrides<'RejectApplication'> = {}): Of<'RejectApplication'> => ({
    type: 'RejectApplication',
    ...base,
    actor: approver,
    reason: 'The justification does not name the tasks',
    ...o,
  }),
  revoke: (o: Overrides<'RevokeApplication'> = {}): Of<'RevokeApplication'> => ({
    type: 'RevokeApplication',
    ...base,
    actor: representative,
    reason: 'The user left the ministry',
    confirmed: true,
    ...o,
  }),
  expire: (o: Overrides<'ExpireApplication'> = {}): Of<'ExpireApplication'> => ({
    type: 'ExpireApplication',
    ...base,
    actor: system,
    reason: 'no-login-18-months',
    ...o,
  }),
  supersede: (o: Overrides<'SupersedeApplication'> = {}): Of<'SupersedeApplication'> => ({
    type: 'SupersedeApplication',
    ...base,
    actor: { id: 'system:supersession', role: 'system' },
    supersededBy: LATER_APP_ID,
    ...o,
  }),
  end: (o: Overrides<'EndApplication'> = {}): Of<'EndApplication'> => ({
    type: 'EndApplication',
    ...base,
    actor: { id: 'system:institution-changes', role: 'system' },
    cause: 'institution-merged',
    causeRef: 'institution-90000000055@3',
    ...o,
  }),
  close: (o: Overrides<'CloseApplication'> = {}): Of<'CloseApplication'> => ({
    type: 'CloseApplication',
    ...base,
    actor: { id: 'system:institution-changes', role: 'system' },
    cause: 'institution-merged',
    causeRef: 'institution-90000000055@3',
    ...o,
  }),
};

/** Runs commands from the empty stream through `decide`, returning every event produced. */
export function run(...cmds: ApplicationCommand[]): ApplicationEvent[] {
  const events: ApplicationEvent[] = [];
  for (const command of cmds) events.push(...decide(command, foldApplication(events)));
  return events;
}

/** The happy path's commands up to each status (and a claimed variant of `signed`). */
const PATHS: Record<ApplicationStatus | 'claimed', () => ApplicationCommand[]> = {
  none: () => [],
  draft: () => [commands.draft()],
  submitted: () => [...PATHS.draft(), commands.setRights(), commands.submit()],
  signed: () => [...PATHS.submitted(), commands.sign()],
  claimed: () => [...PATHS.signed(), commands.claim()],
  approved: () => [...PATHS.claimed(), commands.approve()],
  rejected: () => [...PATHS.claimed(), commands.reject()],
  withdrawn: () => [...PATHS.draft(), commands.withdraw()],
  revoked: () => [...PATHS.approved(), commands.revoke()],
  expired: () => [...PATHS.approved(), commands.expire()],
  superseded: () => [...PATHS.approved(), commands.supersede()],
  ended: () => [...PATHS.approved(), commands.end()],
  closed: () => [...PATHS.signed(), commands.close()],
};

export function historyOf(status: ApplicationStatus | 'claimed'): ApplicationEvent[] {
  return run(...PATHS[status]());
}
