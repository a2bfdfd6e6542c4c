/** Submitting, withdrawing, deciding and ending an application: what each records and refuses. */
import { AT, DOC, LATER_APP_ID, PREVIOUS_APP_ID, REP_CODE, approver, commands, historyOf, run, system } from '../../test/fixtures';
import { given } from '../../test/given';

const until = (date: string) => ({ kind: 'until', date }) as const;
const approvedUntil = (date: string) =>
  run(commands.draft({ term: until(date) }), commands.setRights(), commands.submit(), commands.sign(), commands.claim(), commands.approve());

describe('submitting', () => {
  it('fixes the document to sign and freezes the content', () => {
    const history = [...historyOf('draft'), ...given(historyOf('draft')).when(commands.setRights()).outcome().events];
    given(history).when(commands.submit()).then([{ type: 'ApplicationSubmitted', data: { documentSha256: DOC, submittedBy: REP_CODE, submittedAt: AT } }]);
  });

  it.each(['', 'A'.repeat(64), 'a'.repeat(63), 'g'.repeat(64)])('refuses %p as the document hash (DOCUMENT_HASH_INVALID)', (hash) => {
    const history = run(commands.draft(), commands.setRights());
    given(history).when(commands.submit({ documentSha256: hash })).then('DOCUMENT_HASH_INVALID');
  });

  it('refuses when the end date is no longer ahead (TERM_IN_PAST)', () => {
    const history = run(commands.draft({ term: until('2025-03-10') }), commands.setRights());
    given(history).when(commands.submit({ at: '2025-03-10T09:00:00+02:00' })).then('TERM_IN_PAST');
  });
});

describe('withdrawing', () => {
  it.each(['draft', 'submitted'] as const)('a %s application is withdrawn, with an optional reason', (status) => {
    given(historyOf(status))
      .when(commands.withdraw({ reason: ' Drafted by mistake ' }))
      .then([{ type: 'ApplicationWithdrawn', data: { withdrawnBy: REP_CODE, withdrawnAt: AT, reason: 'Drafted by mistake' } }]);
    given(historyOf(status)).when(commands.withdraw()).then([{ type: 'ApplicationWithdrawn', data: { withdrawnBy: REP_CODE, withdrawnAt: AT } }]);
  });

  it('refuses an overlong reason (TEXT_TOO_LONG)', () => {
    given(historyOf('draft')).when(commands.withdraw({ reason: 'x'.repeat(2001) })).then('TEXT_TOO_LONG');
  });
});

describe('approving and rejecting', () => {
  it('approval records the approver, and the kind and replaced application for the supersession process', () => {
    const history = run(
      commands.draft({ kind: 'change', replaces: PREVIOUS_APP_ID }),
      commands.setRights(),
      commands.submit(),
      commands.sign(),
      commands.claim(),
    );
    given(history)
      .when(commands.approve())
      .then([{ type: 'ApplicationApproved', data: { approvedBy: approver.id, approvedAt: AT, kind: 'change', replaces: PREVIOUS_APP_ID } }]);
  });

  it('a new-user approval carries no replaces key', () => {
    given(historyOf('claimed')).when(commands.approve()).then([{ type: 'ApplicationApproved', data: { approvedBy: approver.id, approvedAt: AT, kind: 'new-user' } }]);
  });

  it('refuses to approve rights whose end date has passed meanwhile (TERM_IN_PAST); the approver rejects instead', () => {
    const history = run(commands.draft({ term: until('2025-03-10') }), commands.setRights(), commands.submit(), commands.sign(), commands.claim());
    given(history).when(commands.approve({ at: '2025-03-11T09:00:00+02:00' })).then('TERM_IN_PAST');
    given(history).when(commands.reject({ at: '2025-03-11T09:00:00+02:00' })).outcome();
  });

  it('rejection needs a reason (REASON_REQUIRED), bounded (TEXT_TOO_LONG)', () => {
    given(historyOf('claimed')).when(commands.reject({ reason: ' ' })).then('REASON_REQUIRED');
    given(historyOf('claimed')).when(commands.reject({ reason: 'x'.repeat(2001) })).then('TEXT_TOO_LONG');
  });

  it('rejection records who, when and why', () => {
    const { state } = given(historyOf('claimed')).when(commands.reject()).outcome();
    expect(state).toMatchObject({ status: 'rejected', decidedBy: approver.id, decidedAt: AT, reason: 'The justification does not name the tasks', claimedBy: null });
  });
});

describe('revoking', () => {
  it('needs a reason (REASON_REQUIRED)', () => {
    given(historyOf('approved')).when(commands.revoke({ reason: '' })).then('REASON_REQUIRED');
  });

  it('an administrator may revoke too', () => {
    const { state } = given(historyOf('approved')).when(commands.revoke({ actor: { id: '320000-00001', role: 'admin' } })).outcome();
    expect(state).toMatchObject({ status: 'revoked', endedBy: '320000-00001', endedAt: AT, reason: 'The user left the ministry' });
  });
});

describe('expiring (system)', () => {
  it('an end-date term expires the day after its date', () => {
    given(approvedUntil('2025-06-30'))
      .when(commands.expire({ reason: 'end-date', at: '2025-07-01T00:00:01+03:00' }))
      .then([{ type: 'ApplicationExpired', data: { expiredBy: system.id, expiredAt: '2025-07-01T00:00:01+03:00', reason: 'end-date' } }]);
  });

  it('refuses to expire an end-date term on or before its date (EXPIRY_PREMATURE)', () => {
    given(approvedUntil('2025-06-30')).when(commands.expire({ reason: 'end-date', at: '2025-06-30T23:00:00+03:00' })).then('EXPIRY_PREMATURE');
  });

  it('a sliding term expires after 18 months without a login', () => {
    const { state } = given(historyOf('approved')).when(commands.expire()).outcome();
    expect(state).toMatchObject({ status: 'expired', reason: 'no-login-18-months', endedBy: system.id });
  });

  it('refuses a reason that does not fit the term (EXPIRY_REASON_INVALID)', () => {
    given(historyOf('approved')).when(commands.expire({ reason: 'end-date' })).then('EXPIRY_REASON_INVALID');
    given(approvedUntil('2025-06-30')).when(commands.expire({ reason: 'no-login-18-months', at: '2025-08-01T00:00:00+03:00' })).then('EXPIRY_REASON_INVALID');
    given(historyOf('approved')).when(commands.expire({ reason: 'tired' as never })).then('EXPIRY_REASON_INVALID');
  });
});

describe('superseding (system)', () => {
  it('records the later application that replaced it', () => {
    const { events, state } = given(historyOf('approved')).when(commands.supersede()).outcome();
    expect(events).toEqual([{ type: 'ApplicationSuperseded', data: { supersededBy: LATER_APP_ID, supersededAt: AT, recordedBy: 'system:supersession' } }]);
    expect(state.supersededBy).toBe(LATER_APP_ID);
  });

  it('needs the later application, not itself (SUPERSEDING_APPLICATION_REQUIRED)', () => {
    given(historyOf('approved')).when(commands.supersede({ supersededBy: '' })).then('SUPERSEDING_APPLICATION_REQUIRED');
    given(historyOf('approved')).when(commands.supersede({ supersededBy: 'app-0001' })).then('SUPERSEDING_APPLICATION_REQUIRED');
  });
});

describe('ending by an institution\'s change (system: merge, re-certification)', () => {
  it('records the cause and the event that caused it; the rights are no longer in force', () => {
    const { events, state } = given(historyOf('approved')).when(commands.end({ cause: 'not-recertified', causeRef: 'recertification-c1@4' })).outcome();
    expect(events).toEqual([
      { type: 'ApplicationEnded', data: { cause: 'not-recertified', causeRef: 'recertification-c1@4', endedBy: 'system:institution-changes', endedAt: AT } },
    ]);
    expect(state).toMatchObject({ status: 'ended', reason: 'not-recertified', causeRef: 'recertification-c1@4', endedAt: AT });
  });

  it('refuses an unknown cause (END_CAUSE_INVALID) and a missing reference (END_CAUSE_REF_REQUIRED)', () => {
    given(historyOf('approved')).when(commands.end({ cause: 'bored' as never })).then('END_CAUSE_INVALID');
    given(historyOf('approved')).when(commands.end({ causeRef: ' ' })).then('END_CAUSE_REF_REQUIRED');
  });

  it('ends only rights in force: a draft, a signed or an already ended application is refused', () => {
    given(historyOf('draft')).when(commands.end()).then('TRANSITION_NOT_ALLOWED');
    given(historyOf('signed')).when(commands.end()).then('TRANSITION_NOT_ALLOWED');
    given(historyOf('ended')).when(commands.end()).then('TRANSITION_NOT_ALLOWED');
  });
});
