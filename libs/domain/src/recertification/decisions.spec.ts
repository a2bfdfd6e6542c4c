/** The campaign (seed 000): who acts, the deadline, and whose rights end. */
import {
  AFTER_DEADLINE,
  AT,
  CAMPAIGN_ID,
  DEADLINE,
  HOLDERS,
  MINISTRY,
  USER_CODES,
  admin,
  approver,
  campaignCommands as c,
  campaignHistory,
  givenCampaign,
  representative,
  runCampaign,
} from '../../test/institution-fixtures';
import type { DomainError } from '../shared/errors';
import { foldRecertification } from './evolve';
import { campaignProgress } from './state';

const ON_DEADLINE = '2025-03-31T23:59:00+03:00';

describe('opening', () => {
  it('records the institution, the deadline and who holds rights there now (codes normalized)', () => {
    const holders = [{ personalCode: USER_CODES[0].replace('-', ''), applications: ['app-100'] }];
    givenCampaign().when(c.open({ holders })).then([
      { type: 'RecertificationOpened', data: { campaignId: CAMPAIGN_ID, institution: MINISTRY, deadline: DEADLINE, holders: [{ personalCode: USER_CODES[0], applications: ['app-100'] }], openedBy: admin.id, openedAt: AT } },
    ]);
  });

  it.each([
    ['ROLE_NOT_ALLOWED', c.open({ actor: representative })],
    ['INSTITUTION_NOT_ACTIVE', c.open({ institutionStatus: 'suspended' })],
    ['REGISTRATION_NUMBER_INVALID', c.open({ institution: 'ministry' })],
    ['CAMPAIGN_DEADLINE_INVALID', c.open({ deadline: '2025-03-01' })],
    ['CAMPAIGN_DEADLINE_INVALID', c.open({ deadline: 'end of March' })],
    ['CAMPAIGN_HOLDERS_INVALID', c.open({ holders: 'everyone' as never })],
    ['CAMPAIGN_HOLDERS_INVALID', c.open({ holders: [{ personalCode: '123', applications: ['a'] }] })],
    ['CAMPAIGN_HOLDERS_INVALID', c.open({ holders: [HOLDERS[0], HOLDERS[0]] })],
    ['CAMPAIGN_HOLDERS_INVALID', c.open({ holders: [{ personalCode: USER_CODES[0], applications: [] }] })],
    ['CAMPAIGN_ID_REQUIRED', c.open({ campaignId: '' })],
    ['TIME_INVALID', c.open({ at: 'now' })],
  ] as const)('refuses %s', (code, command) => {
    givenCampaign().when(command).then(code);
  });

  it('refuses a command for another campaign on this stream (CAMPAIGN_ID_MISMATCH)', () => {
    givenCampaign(campaignHistory('open')).when(c.confirm({ campaignId: 'campaign-0002' })).then('CAMPAIGN_ID_MISMATCH');
  });
});

describe('confirming and dropping', () => {
  it('the representative marks each holder; marking again the same way records nothing; a change of mind is recorded', () => {
    const history = runCampaign(c.open(), c.confirm());
    givenCampaign(history).when(c.confirm()).then([]);
    givenCampaign(history).when(c.drop({ personalCode: USER_CODES[0], reason: 'Left' })).then([
      { type: 'UserDropped', data: { personalCode: USER_CODES[0], reason: 'Left', droppedBy: representative.id, droppedAt: AT } },
    ]);
    givenCampaign(runCampaign(c.open(), c.drop())).when(c.drop()).then([]);
  });

  it('refuses someone who held no rights there (CAMPAIGN_USER_UNKNOWN), someone other than a representative (ROLE_NOT_ALLOWED)', () => {
    givenCampaign(campaignHistory('open')).when(c.confirm({ personalCode: '329876-54321' })).then('CAMPAIGN_USER_UNKNOWN');
    const error = givenCampaign(campaignHistory('open')).when(c.confirm({ actor: approver })).then('ROLE_NOT_ALLOWED') as DomainError;
    expect(error.message).toContain('representative');
  });

  it('the deadline day still belongs to the representative; the day after does not (CAMPAIGN_DEADLINE_PASSED)', () => {
    expect(givenCampaign(campaignHistory('open')).when(c.confirm({ at: ON_DEADLINE })).outcome().events).toHaveLength(1);
    givenCampaign(campaignHistory('open')).when(c.confirm({ at: AFTER_DEADLINE })).then('CAMPAIGN_DEADLINE_PASSED');
    givenCampaign(campaignHistory('open')).when(c.complete({ at: AFTER_DEADLINE })).then('CAMPAIGN_DEADLINE_PASSED');
  });

  it('progress counts the confirmed, the dropped and the pending', () => {
    expect(campaignProgress(foldRecertification(runCampaign(c.open(), c.confirm(), c.drop())))).toEqual({ holders: 3, confirmed: 1, dropped: 1, pending: 1 });
  });
});

describe('the outcome: confirmed, dropped and forgotten users', () => {
  const marked = () => runCampaign(c.open(), c.confirm(), c.drop());

  it('completing ends the rights of the dropped and of the unmarked (seed 000), naming their applications', () => {
    const { events, state } = givenCampaign(marked()).when(c.complete()).outcome();
    expect(events).toEqual([
      { type: 'RecertificationCompleted', data: { confirmed: [USER_CODES[0]], ended: [HOLDERS[1], HOLDERS[2]], completedBy: representative.id, completedAt: AT } },
    ]);
    expect(state).toMatchObject({ status: 'completed', ended: [HOLDERS[1], HOLDERS[2]], closedAt: AT });
  });

  it('at the deadline the timer closes it the same way; not before (CAMPAIGN_DEADLINE_NOT_REACHED)', () => {
    givenCampaign(marked()).when(c.close({ at: ON_DEADLINE })).then('CAMPAIGN_DEADLINE_NOT_REACHED');
    const { events, state } = givenCampaign(marked()).when(c.close()).outcome();
    expect(events[0]).toMatchObject({ type: 'RecertificationLapsed', data: { confirmed: [USER_CODES[0]], ended: [HOLDERS[1], HOLDERS[2]], lapsedAt: AFTER_DEADLINE } });
    expect(state.status).toBe('lapsed');
  });

  it('a person changing their mind counts by the last mark', () => {
    const { events } = givenCampaign(runCampaign(c.open(), c.confirm(), c.drop({ personalCode: USER_CODES[0] }), c.confirm({ personalCode: USER_CODES[2] }))).when(c.complete()).outcome();
    expect(events[0]).toMatchObject({ data: { confirmed: [USER_CODES[2]], ended: [HOLDERS[0], HOLDERS[1]] } });
  });

  it('events fold the same from their JSON form; an unknown event only advances the revision', () => {
    const events = runCampaign(c.open(), c.confirm(), c.drop(), c.complete());
    expect(foldRecertification(JSON.parse(JSON.stringify(events)))).toEqual(foldRecertification(events));
    expect(foldRecertification([{ type: 'SomethingNewer', data: {} } as never]).revision).toBe(1);
  });
});
