/**
 * The registry's lifecycle (seed 001), written here independently of the machine and checked for
 * every state × every command: the legal ones record their event and land where they should,
 * every other one is refused with TRANSITION_NOT_ALLOWED.
 */
import { givenInstitution, institutionCommands as c, institutionHistory, lockedInstitutionHistory } from '../../test/institution-fixtures';
import { listTransitions } from '../application/diagram';
import { INSTITUTION_COMMAND_TYPES, type InstitutionCommand, type InstitutionCommandType } from './commands';
import type { InstitutionEventType } from './events';
import { institutionMachine } from './machine';
import { INSTITUTION_STATUSES, type InstitutionStatus } from './state';

const living = (self: InstitutionStatus) => ({
  UpdateInstitution: self,
  AddRepresentative: self,
  RemoveRepresentative: self,
  DeactivateInstitution: 'deactivated',
  MergeInstitution: 'deactivated',
  UnlockAfterRecertification: self,
}) as const;

const LIFECYCLE: Record<InstitutionStatus, Partial<Record<InstitutionCommandType, InstitutionStatus>>> = {
  none: { RegisterInstitution: 'active' },
  active: { ...living('active'), SuspendInstitution: 'suspended', LockForRecertification: 'active' },
  suspended: { ...living('suspended'), ReactivateInstitution: 'active' },
  deactivated: { ReactivateInstitution: 'active', DeleteInstitution: 'deleted', UnlockAfterRecertification: 'deactivated' },
  deleted: {},
};

const RECORDED_AS: Record<InstitutionCommandType, InstitutionEventType> = {
  RegisterInstitution: 'InstitutionRegistered',
  UpdateInstitution: 'InstitutionDetailsChanged',
  SuspendInstitution: 'InstitutionSuspended',
  ReactivateInstitution: 'InstitutionReactivated',
  DeactivateInstitution: 'InstitutionDeactivated',
  DeleteInstitution: 'InstitutionDeleted',
  AddRepresentative: 'RepresentativeAdded',
  RemoveRepresentative: 'RepresentativeRemoved',
  MergeInstitution: 'InstitutionMerged',
  LockForRecertification: 'InstitutionLockedForRecertification',
  UnlockAfterRecertification: 'InstitutionUnlocked',
};

const COMMAND_OF: Record<InstitutionCommandType, () => InstitutionCommand> = {
  RegisterInstitution: () => c.register(),
  UpdateInstitution: () => c.update(),
  SuspendInstitution: () => c.suspend(),
  ReactivateInstitution: () => c.reactivate(),
  DeactivateInstitution: () => c.deactivate(),
  DeleteInstitution: () => c.delete(),
  // A second representative: the histories already hold the first.
  AddRepresentative: () => c.addRepresentative({ personalCode: '329876-54321' }),
  RemoveRepresentative: () => c.removeRepresentative(),
  MergeInstitution: () => c.merge(),
  LockForRecertification: () => c.lock(),
  UnlockAfterRecertification: () => c.unlock(),
};

/** An unlock needs the lock it lifts; every other command starts from the plain history. */
const historyFor = (status: InstitutionStatus, type: InstitutionCommandType) =>
  type === 'UnlockAfterRecertification' ? lockedInstitutionHistory(status) : institutionHistory(status);

const cases = INSTITUTION_STATUSES.flatMap((status) => INSTITUTION_COMMAND_TYPES.map((type) => [status, type, LIFECYCLE[status][type]] as const));

describe('the institution lifecycle: every state × every command', () => {
  it.each(cases.filter(([, , to]) => to !== undefined))('%s + %s → %s', (status, type, to) => {
    const { events, state } = givenInstitution(historyFor(status, type)).when(COMMAND_OF[type]()).outcome();
    expect(events.map((e) => e.type)).toEqual([RECORDED_AS[type]]);
    expect(state.status).toBe(to);
  });

  it.each(cases.filter(([, , to]) => to === undefined))('%s + %s is refused (TRANSITION_NOT_ALLOWED)', (status, type) => {
    givenInstitution(historyFor(status, type)).when(COMMAND_OF[type]()).then('TRANSITION_NOT_ALLOWED');
  });

  it('the machine holds exactly these transitions, no more', () => {
    const machine = listTransitions(institutionMachine).map((t) => `${t.from} + ${t.command} → ${t.to}`).sort();
    const spec = cases.filter(([, , to]) => to !== undefined).map(([from, command, to]) => `${from} + ${command} → ${to}`).sort();
    expect(machine).toEqual(spec);
  });

  it('names the state and what it allows when refusing, and says when it is final', () => {
    const error = givenInstitution(institutionHistory('deactivated')).when(c.suspend()).then('TRANSITION_NOT_ALLOWED') as Error;
    expect(error.message).toContain('deactivated');
    expect(error.message).toContain('ReactivateInstitution');
    expect((givenInstitution(institutionHistory('deleted')).when(c.reactivate()).then('TRANSITION_NOT_ALLOWED') as Error).message).toContain('final');
  });
});
