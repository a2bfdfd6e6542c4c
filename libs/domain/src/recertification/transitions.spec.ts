/** The campaign's lifecycle, every state × every command, written independently of the machine. */
import { campaignCommands as c, campaignHistory, givenCampaign } from '../../test/institution-fixtures';
import { listTransitions } from '../application/diagram';
import { RECERTIFICATION_COMMAND_TYPES, type RecertificationCommand, type RecertificationCommandType } from './commands';
import type { RecertificationEventType } from './events';
import { recertificationMachine } from './machine';
import { RECERTIFICATION_STATUSES, type RecertificationStatus } from './state';

const LIFECYCLE: Record<RecertificationStatus, Partial<Record<RecertificationCommandType, RecertificationStatus>>> = {
  none: { OpenRecertification: 'open' },
  open: { ConfirmUser: 'open', DropUser: 'open', CompleteRecertification: 'completed', CloseRecertificationAtDeadline: 'lapsed' },
  completed: {},
  lapsed: {},
};

const RECORDED_AS: Record<RecertificationCommandType, RecertificationEventType> = {
  OpenRecertification: 'RecertificationOpened',
  ConfirmUser: 'UserConfirmed',
  DropUser: 'UserDropped',
  CompleteRecertification: 'RecertificationCompleted',
  CloseRecertificationAtDeadline: 'RecertificationLapsed',
};

const COMMAND_OF: Record<RecertificationCommandType, () => RecertificationCommand> = {
  OpenRecertification: () => c.open(),
  ConfirmUser: () => c.confirm({ personalCode: c.drop().personalCode }),
  DropUser: () => c.drop(),
  CompleteRecertification: () => c.complete(),
  CloseRecertificationAtDeadline: () => c.close(),
};

const cases = RECERTIFICATION_STATUSES.flatMap((status) => RECERTIFICATION_COMMAND_TYPES.map((type) => [status, type, LIFECYCLE[status][type]] as const));

describe('the campaign lifecycle: every state × every command', () => {
  it.each(cases.filter(([, , to]) => to !== undefined))('%s + %s → %s', (status, type, to) => {
    const { events, state } = givenCampaign(campaignHistory(status)).when(COMMAND_OF[type]()).outcome();
    expect(events.map((e) => e.type)).toEqual([RECORDED_AS[type]]);
    expect(state.status).toBe(to);
  });

  it.each(cases.filter(([, , to]) => to === undefined))('%s + %s is refused (TRANSITION_NOT_ALLOWED)', (status, type) => {
    givenCampaign(campaignHistory(status)).when(COMMAND_OF[type]()).then('TRANSITION_NOT_ALLOWED');
  });

  it('the machine holds exactly these transitions, no more', () => {
    const machine = listTransitions(recertificationMachine).map((t) => `${t.from} + ${t.command} → ${t.to}`).sort();
    const spec = cases.filter(([, , to]) => to !== undefined).map(([from, command, to]) => `${from} + ${command} → ${to}`).sort();
    expect(machine).toEqual(spec);
  });
});
