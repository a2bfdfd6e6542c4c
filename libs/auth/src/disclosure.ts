/**
 * Who sees a personal code unmasked: one rule, here, for every endpoint that shows one.
 * - An auditor sees every code: the users', the actors' and the signers' evidence (they replay history).
 * - A representative listed for an institution in the registry sees the codes of that
 *   institution's users (they must, to sign what they submit).
 * - An approver sees the user's code of an application they decide: one they hold the claim on,
 *   or decided.
 * - An administrator sees the codes of the representatives they keep in the registry.
 * - Everyone else, and every service credential, sees codes masked (`320000-*****`); actors' codes
 *   and signature evidence are an auditor's only.
 * The callers establish the facts (`represents` is checked against the registry, `decides` against
 * the application's own stream); the rule only combines them.
 */
import type { Principal } from './principal';

export type PersonalCodeOf =
  /** The user an application, a right or a campaign is about. */
  | { readonly kind: 'user'; readonly represents: boolean; readonly decides: boolean }
  /** A representative as the registry lists them. */
  | { readonly kind: 'representative' }
  /** Whoever acted (an envelope's actor, a claim holder) and the certificates in signature evidence. */
  | { readonly kind: 'actor' };

export function seesPersonalCode(viewer: Principal, whose: PersonalCodeOf): boolean {
  if (viewer.service) return false;
  if (viewer.roles.includes('auditor')) return true;
  switch (whose.kind) {
    case 'user':
      return (viewer.roles.includes('representative') && whose.represents) || (viewer.roles.includes('approver') && whose.decides);
    case 'representative':
      return viewer.roles.includes('admin');
    case 'actor':
      return false;
  }
}
