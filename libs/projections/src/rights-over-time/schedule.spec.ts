/** The process's decisions about time, given a term and the logins, then this expiry and these reminders. */
import { expiryOf, remindersBefore } from './schedule';

const SLIDING = { kind: 'after-last-login', months: 18 } as const;

describe('when the rights lapse', () => {
  it('until a date: the date is the last day; due at the Riga midnight after it (winter +02:00, summer +03:00)', () => {
    expect(expiryOf({ kind: 'until', date: '2026-12-31' }, '2026-03-02T09:00:00+02:00', null)).toEqual({ reason: 'end-date', lastDay: '2026-12-31', dueAt: '2027-01-01T00:00:00+02:00' });
    expect(expiryOf({ kind: 'until', date: '2026-07-14' }, '2026-03-02T09:00:00+02:00', null).dueAt).toBe('2026-07-15T00:00:00+03:00');
    // Logins do not move a fixed end date.
    expect(expiryOf({ kind: 'until', date: '2026-07-14' }, '2026-03-02T09:00:00+02:00', '2026-07-10T10:00:00+03:00').lastDay).toBe('2026-07-14');
  });

  it('sliding: 18 months after the approval when there is no login', () => {
    expect(expiryOf(SLIDING, '2026-03-02T09:00:00+02:00', null)).toEqual({ reason: 'no-login-18-months', lastDay: '2027-09-02', dueAt: '2027-09-03T00:00:00+03:00' });
  });

  it('sliding: 18 months after the last login; a login before the approval does not shorten it', () => {
    expect(expiryOf(SLIDING, '2026-03-02T09:00:00+02:00', '2026-11-20T23:30:00+02:00').lastDay).toBe('2028-05-20');
    expect(expiryOf(SLIDING, '2026-03-02T09:00:00+02:00', '2026-01-01T10:00:00+02:00').lastDay).toBe('2027-09-02');
  });

  it('sliding: the Riga date counts, not UTC (a login at 00:30 Riga is still the new day)', () => {
    expect(expiryOf(SLIDING, '2026-01-01T09:00:00+02:00', '2026-03-09T22:30:00Z').lastDay).toBe('2027-09-10');
  });

  it('the end of a short month is clamped (31 August + 18 months = 29 February in a leap year)', () => {
    expect(expiryOf(SLIDING, '2026-08-31T09:00:00+03:00', null).lastDay).toBe('2028-02-29');
  });
});

describe('the reminders before the expiry', () => {
  const expiry = expiryOf({ kind: 'until', date: '2026-06-30' }, '2026-03-02T09:00:00+02:00', null);

  it('30 and 7 days before the expiry instant', () => {
    expect(remindersBefore(expiry, '2026-03-02T09:00:00+02:00')).toEqual([
      { kind: 'expiry-in-30-days', dueAt: '2026-06-01T00:00:00+03:00' },
      { kind: 'expiry-in-7-days', dueAt: '2026-06-24T00:00:00+03:00' },
    ]);
  });

  it('only those still ahead when scheduled (approved 10 days before the end: the 7-day one only)', () => {
    expect(remindersBefore(expiry, '2026-06-21T09:00:00+03:00').map((r) => r.kind)).toEqual(['expiry-in-7-days']);
    expect(remindersBefore(expiry, '2026-06-29T09:00:00+03:00')).toEqual([]);
  });
});
