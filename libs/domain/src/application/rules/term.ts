/**
 * The term of the rights (seed 002): until a given date, or 18 months after the user's last
 * authentication in the portal (sliding: every login pushes the end forward; the expiry process
 * computes the end from the logins, the domain only records the choice).
 */
import { DomainError } from '../../shared/errors';
import { addMonths, compareIsoDates, dateOfInstant, parseIsoDate } from '../../shared/time';

export const SLIDING_TERM_MONTHS = 18;

export type Term =
  | { readonly kind: 'until'; readonly date: string }
  | { readonly kind: 'after-last-login'; readonly months: typeof SLIDING_TERM_MONTHS };

export interface TermPolicy {
  /** How far ahead an end date may lie, counted from the command's date. */
  readonly maxTermMonths: number;
}

export const DEFAULT_TERM_POLICY: TermPolicy = { maxTermMonths: 60 };

/** Checks the shape only: a real date, or the sliding 18 months. */
export function parseTerm(input: unknown, field = 'term'): Term {
  const term = input as Partial<{ kind: string; date: unknown; months: unknown }> | null;
  if (term?.kind === 'until' && parseIsoDate(term.date)) {
    return { kind: 'until', date: term.date as string };
  }
  if (term?.kind === 'after-last-login' && term.months === SLIDING_TERM_MONTHS) {
    return { kind: 'after-last-login', months: SLIDING_TERM_MONTHS };
  }
  throw new DomainError('TERM_INVALID', field, `${field} must be { kind: 'until', date: 'YYYY-MM-DD' } or { kind: 'after-last-login', months: ${SLIDING_TERM_MONTHS} }`);
}

/** An end date must lie after the day of `at`. */
export function assertTermNotEnded(term: Term, at: string, field = 'term'): void {
  if (term.kind === 'until' && compareIsoDates(term.date, dateOfInstant(at)) <= 0) {
    throw new DomainError('TERM_IN_PAST', `${field}.date`, `${field}.date must be after ${dateOfInstant(at)}, the day of the command`);
  }
}

/** The whole rule for a term being chosen (drafting or editing). */
export function validateTerm(input: unknown, at: string, policy: TermPolicy = DEFAULT_TERM_POLICY, field = 'term'): Term {
  const term = parseTerm(input, field);
  assertTermNotEnded(term, at, field);
  if (term.kind === 'until') {
    const latest = addMonths(dateOfInstant(at), policy.maxTermMonths);
    if (compareIsoDates(term.date, latest) > 0) {
      throw new DomainError('TERM_TOO_LONG', `${field}.date`, `${field}.date may be at most ${policy.maxTermMonths} months ahead (${latest} at the latest)`);
    }
  }
  return term;
}

/** Whether an end date has passed by the day of `at` (the date itself is the last day of the rights). */
export function hasEndDatePassed(term: Term, at: string): boolean {
  return term.kind === 'until' && compareIsoDates(term.date, dateOfInstant(at)) < 0;
}
