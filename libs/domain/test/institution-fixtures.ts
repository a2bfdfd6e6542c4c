/**
 * The registry's cast. Registration numbers are fictional (11 digits starting with 9, as state
 * institutions' do); personal codes are built by the published formula, not copied from anyone.
 */
import {
  decideInstitution,
  decideRecertification,
  foldInstitution,
  foldRecertification,
  type Actor,
  type InstitutionCommand,
  type InstitutionEvent,
  type InstitutionStatus,
  type RecertificationCommand,
  type RecertificationEvent,
  type RecertificationStatus,
} from '@atlauja/domain';
import { givenFor } from './given-decider';
import { oldFormatCode } from './personal-codes';

export const AT = '2025-03-01T10:00:00+02:00';
export const LATER = '2025-09-01T10:00:00+03:00';

export const MINISTRY = '90000000011';
export const SUBORDINATE = '90000000022';
export const MUNICIPALITY_A = '90000000055';
export const MUNICIPALITY_B = '90000000066';

export const REP_CODE = oldFormatCode('1985-03-14', 100);
export const REP2_CODE = oldFormatCode('1990-11-30', 200);
export const USER_CODES = [oldFormatCode('2001-07-09', 300), oldFormatCode('1999-12-31', 310), oldFormatCode('1980-02-29', 320)];

export const admin: Actor = { id: oldFormatCode('1970-01-01', 400), role: 'admin' };
export const representative: Actor = { id: REP_CODE, role: 'representative' };
export const approver: Actor = { id: '321234-56789', role: 'approver' };
export const auditor: Actor = { id: oldFormatCode('1975-05-05', 500), role: 'auditor' };
export const importer: Actor = { id: 'system:institution-import', role: 'system' };
export const timer: Actor = { id: 'system:registry-timer', role: 'system' };

type Of<C, T> = Extract<C, { type: T }>;
type InstOverrides<T extends InstitutionCommand['type']> = Partial<Omit<Of<InstitutionCommand, T>, 'type'>>;

const inst = { registrationNumber: MINISTRY, at: AT, actor: admin };

export const MINISTRY_DETAILS = {
  officialName: 'Izdomātā ministrija',
  shortName: 'IM',
  type: 'ministry' as const,
  resortHead: MINISTRY,
  coordinationVariant: 2 as const,
};

export const institutionCommands = {
  register: (o: InstOverrides<'RegisterInstitution'> = {}): Of<InstitutionCommand, 'RegisterInstitution'> => ({ type: 'RegisterInstitution', ...inst, details: MINISTRY_DETAILS, ...o }),
  update: (o: InstOverrides<'UpdateInstitution'> = {}): Of<InstitutionCommand, 'UpdateInstitution'> => ({ type: 'UpdateInstitution', ...inst, changes: { shortName: 'IzM' }, ...o }),
  suspend: (o: InstOverrides<'SuspendInstitution'> = {}): Of<InstitutionCommand, 'SuspendInstitution'> => ({ type: 'SuspendInstitution', ...inst, reason: 'Access to the module paused', ...o }),
  reactivate: (o: InstOverrides<'ReactivateInstitution'> = {}): Of<InstitutionCommand, 'ReactivateInstitution'> => ({ type: 'ReactivateInstitution', ...inst, ...o }),
  deactivate: (o: InstOverrides<'DeactivateInstitution'> = {}): Of<InstitutionCommand, 'DeactivateInstitution'> => ({ type: 'DeactivateInstitution', ...inst, reason: 'No longer uses the e-service', ...o }),
  delete: (o: InstOverrides<'DeleteInstitution'> = {}): Of<InstitutionCommand, 'DeleteInstitution'> => ({ type: 'DeleteInstitution', ...inst, actor: timer, at: LATER, ...o }),
  addRepresentative: (o: InstOverrides<'AddRepresentative'> = {}): Of<InstitutionCommand, 'AddRepresentative'> => ({ type: 'AddRepresentative', ...inst, personalCode: REP_CODE.replace('-', ''), ...o }),
  removeRepresentative: (o: InstOverrides<'RemoveRepresentative'> = {}): Of<InstitutionCommand, 'RemoveRepresentative'> => ({ type: 'RemoveRepresentative', ...inst, personalCode: REP_CODE, ...o }),
  merge: (o: InstOverrides<'MergeInstitution'> = {}): Of<InstitutionCommand, 'MergeInstitution'> => ({
    type: 'MergeInstitution',
    ...inst,
    into: MUNICIPALITY_B,
    effectiveDate: '2025-03-01',
    target: { status: 'active' },
    ...o,
  }),
  lock: (o: InstOverrides<'LockForRecertification'> = {}): Of<InstitutionCommand, 'LockForRecertification'> => ({
    type: 'LockForRecertification', ...inst, campaignId: 'campaign-0001', deadline: '2025-03-31', ...o,
  }),
  unlock: (o: InstOverrides<'UnlockAfterRecertification'> = {}): Of<InstitutionCommand, 'UnlockAfterRecertification'> => ({
    type: 'UnlockAfterRecertification', ...inst, actor: { id: 'system:recertification', role: 'system' }, campaignId: 'campaign-0001', outcome: 'completed', ...o,
  }),
};

export function runInstitution(...cmds: InstitutionCommand[]): InstitutionEvent[] {
  const events: InstitutionEvent[] = [];
  for (const command of cmds) events.push(...decideInstitution(command, foldInstitution(events)));
  return events;
}

const INSTITUTION_PATHS: Record<InstitutionStatus | 'merged', () => InstitutionCommand[]> = {
  none: () => [],
  active: () => [institutionCommands.register(), institutionCommands.addRepresentative()],
  suspended: () => [...INSTITUTION_PATHS.active(), institutionCommands.suspend()],
  deactivated: () => [...INSTITUTION_PATHS.active(), institutionCommands.deactivate()],
  merged: () => [...INSTITUTION_PATHS.active(), institutionCommands.merge()],
  deleted: () => [...INSTITUTION_PATHS.deactivated(), institutionCommands.delete()],
};

export function institutionHistory(status: InstitutionStatus | 'merged'): InstitutionEvent[] {
  return runInstitution(...INSTITUTION_PATHS[status]());
}

/** The same paths with a re-certification lock taken while it was active. */
export function lockedInstitutionHistory(status: InstitutionStatus | 'merged'): InstitutionEvent[] {
  const path = INSTITUTION_PATHS[status]();
  const at = path.findIndex((c) => c.type === 'AddRepresentative') + 1;
  return runInstitution(...(at > 0 ? [...path.slice(0, at), institutionCommands.lock(), ...path.slice(at)] : path));
}

export const givenInstitution = givenFor(decideInstitution, foldInstitution);

// The campaign
export const CAMPAIGN_ID = 'campaign-0001';
export const DEADLINE = '2025-03-31';
export const AFTER_DEADLINE = '2025-04-01T00:00:00+03:00';
export const HOLDERS = USER_CODES.map((personalCode, i) => ({ personalCode, applications: [`app-10${i}`] }));

type CampOverrides<T extends RecertificationCommand['type']> = Partial<Omit<Of<RecertificationCommand, T>, 'type'>>;
const camp = { campaignId: CAMPAIGN_ID, at: AT, actor: representative };

export const campaignCommands = {
  open: (o: CampOverrides<'OpenRecertification'> = {}): Of<RecertificationCommand, 'OpenRecertification'> => ({
    type: 'OpenRecertification',
    ...camp,
    actor: admin,
    institution: MINISTRY,
    deadline: DEADLINE,
    holders: HOLDERS,
    institutionStatus: 'active',
    ...o,
  }),
  confirm: (o: CampOverrides<'ConfirmUser'> = {}): Of<RecertificationCommand, 'ConfirmUser'> => ({ type: 'ConfirmUser', ...camp, personalCode: USER_CODES[0], ...o }),
  drop: (o: CampOverrides<'DropUser'> = {}): Of<RecertificationCommand, 'DropUser'> => ({ type: 'DropUser', ...camp, personalCode: USER_CODES[1], ...o }),
  complete: (o: CampOverrides<'CompleteRecertification'> = {}): Of<RecertificationCommand, 'CompleteRecertification'> => ({ type: 'CompleteRecertification', ...camp, ...o }),
  close: (o: CampOverrides<'CloseRecertificationAtDeadline'> = {}): Of<RecertificationCommand, 'CloseRecertificationAtDeadline'> => ({
    type: 'CloseRecertificationAtDeadline',
    ...camp,
    actor: { id: 'system:campaign-deadline', role: 'system' },
    at: AFTER_DEADLINE,
    ...o,
  }),
};

export function runCampaign(...cmds: RecertificationCommand[]): RecertificationEvent[] {
  const events: RecertificationEvent[] = [];
  for (const command of cmds) events.push(...decideRecertification(command, foldRecertification(events)));
  return events;
}

const CAMPAIGN_PATHS: Record<RecertificationStatus, () => RecertificationCommand[]> = {
  none: () => [],
  open: () => [campaignCommands.open()],
  completed: () => [campaignCommands.open(), campaignCommands.confirm(), campaignCommands.complete()],
  lapsed: () => [campaignCommands.open(), campaignCommands.confirm(), campaignCommands.close()],
};

export function campaignHistory(status: RecertificationStatus): RecertificationEvent[] {
  return runCampaign(...CAMPAIGN_PATHS[status]());
}

export const givenCampaign = givenFor(decideRecertification, foldRecertification);
