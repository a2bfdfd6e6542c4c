/** The term of the rights: until a date (ahead, within the policy's maximum), or 18 months after the last login. */
import { AT } from '../../../test/fixtures';
import { expectRefusal } from '../../../test/given';
import { DEFAULT_TERM_POLICY, hasEndDatePassed, validateTerm } from './term';

describe('term until a date', () => {
  it('accepts a date after the day of the command', () => {
    expect(validateTerm({ kind: 'until', date: '2025-03-02' }, AT)).toEqual({ kind: 'until', date: '2025-03-02' });
  });

  it.each(['2025-03-01', '2024-12-31'])('refuses %s: not after the day of the command (TERM_IN_PAST)', (date) => {
    const error = expectRefusal(() => validateTerm({ kind: 'until', date }, AT), 'TERM_IN_PAST');
    expect(error.field).toBe('term.date');
  });

  it("counts the day in the command's own offset: just after midnight in Riga is already the next day", () => {
    expectRefusal(() => validateTerm({ kind: 'until', date: '2025-03-01' }, '2025-03-01T00:05:00+02:00'), 'TERM_IN_PAST');
  });

  it(`accepts up to ${DEFAULT_TERM_POLICY.maxTermMonths} months ahead by default, and refuses a day more (TERM_TOO_LONG)`, () => {
    expect(DEFAULT_TERM_POLICY.maxTermMonths).toBe(60);
    expect(validateTerm({ kind: 'until', date: '2030-03-01' }, AT).kind).toBe('until');
    expectRefusal(() => validateTerm({ kind: 'until', date: '2030-03-02' }, AT), 'TERM_TOO_LONG');
  });

  it('takes the maximum from the policy', () => {
    const policy = { maxTermMonths: 12 };
    expect(validateTerm({ kind: 'until', date: '2026-03-01' }, AT, policy).kind).toBe('until');
    expectRefusal(() => validateTerm({ kind: 'until', date: '2026-03-02' }, AT, policy), 'TERM_TOO_LONG');
  });

  it('counts months as the calendar does: from 31 January, one month ends on the last day of February', () => {
    const policy = { maxTermMonths: 1 };
    expect(validateTerm({ kind: 'until', date: '2024-02-29' }, '2024-01-31T12:00:00Z', policy).kind).toBe('until');
    expectRefusal(() => validateTerm({ kind: 'until', date: '2024-03-01' }, '2024-01-31T12:00:00Z', policy), 'TERM_TOO_LONG');
  });

  it('the end date is the last day of the rights: it has passed only the day after', () => {
    const term = { kind: 'until', date: '2025-03-01' } as const;
    expect(hasEndDatePassed(term, '2025-03-01T23:59:00+02:00')).toBe(false);
    expect(hasEndDatePassed(term, '2025-03-02T00:00:00+02:00')).toBe(true);
    expect(hasEndDatePassed({ kind: 'after-last-login', months: 18 }, '2099-01-01T00:00:00Z')).toBe(false);
  });
});

describe('term 18 months after the last login (sliding)', () => {
  it('is accepted as is: its end is computed later from the logins', () => {
    expect(validateTerm({ kind: 'after-last-login', months: 18 }, AT)).toEqual({ kind: 'after-last-login', months: 18 });
  });

  it.each([
    ['another number of months', { kind: 'after-last-login', months: 24 }],
    ['an unknown kind', { kind: 'forever' }],
    ['a date that does not exist', { kind: 'until', date: '2025-02-29' }],
    ['a date in another writing', { kind: 'until', date: '01.06.2025' }],
    ['nothing', undefined],
  ])('refuses %s (TERM_INVALID)', (_label, term) => {
    expectRefusal(() => validateTerm(term, AT), 'TERM_INVALID');
  });
});
