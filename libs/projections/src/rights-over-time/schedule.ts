/**
 * The process's decisions about time, pure: when an approved application's rights lapse, and when
 * the reminders before it are due. The projection calls them with event data only, so a rebuild
 * schedules exactly what the live run did.
 *
 * Both terms are counted in Riga days, as an end date is: the last day is in force, and the rights
 * lapse at the Riga midnight that follows it.
 * - until a date: the last day is that date;
 * - 18 months after the last login: the last day is 18 months after the Riga date of the latest of
 *   the last login and the approval (a login before the approval does not shorten the term).
 */
import { SLIDING_TERM_MONTHS, type ExpiryReason, type Term } from '@atlauja/domain';
import { addDays, addMonths, rigaDateOf, rigaMidnight } from './riga-calendar';

export interface Expiry {
  reason: ExpiryReason;
  /** The last Riga day the rights are in force. */
  lastDay: string;
  /** When the expiry is due: the Riga midnight after the last day (ISO instant). */
  dueAt: string;
}

export function expiryOf(term: Term, approvedAt: string, lastLoginAt: string | null): Expiry {
  if (term.kind === 'until') return { reason: 'end-date', lastDay: term.date, dueAt: rigaMidnight(addDays(term.date, 1)) };
  const since = lastLoginAt !== null && Date.parse(lastLoginAt) > Date.parse(approvedAt) ? lastLoginAt : approvedAt;
  const lastDay = addMonths(rigaDateOf(since), SLIDING_TERM_MONTHS);
  return { reason: 'no-login-18-months', lastDay, dueAt: rigaMidnight(addDays(lastDay, 1)) };
}

export const REMINDER_DAYS = [30, 7] as const;
export type ReminderKind = 'expiry-in-30-days' | 'expiry-in-7-days';

export interface Reminder {
  kind: ReminderKind;
  dueAt: string;
}

/**
 * The reminders 30 and 7 days before the expiry instant, leaving out those already past at
 * `scheduledAt` (approved 10 days before the end: only the 7-day reminder is still ahead).
 */
export function remindersBefore(expiry: Expiry, scheduledAt: string): Reminder[] {
  const expiryDay = addDays(expiry.lastDay, 1);
  return REMINDER_DAYS.map((days) => ({ kind: `expiry-in-${days}-days` as ReminderKind, dueAt: rigaMidnight(addDays(expiryDay, -days)) })).filter(
    (r) => Date.parse(r.dueAt) >= Date.parse(scheduledAt),
  );
}
