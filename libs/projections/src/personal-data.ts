/**
 * Personal codes are personal data: read models keep them masked wherever nobody needs them, and no
 * free text we store or log (reasons, error messages) may carry one by accident.
 */
import { maskPersonalCode } from '@atlauja/domain';

// A personal code starts with a day (01-31) or 32-39; registration numbers (4..., 5..., 9...) do not match.
const PERSONAL_CODE_LIKE = /(?<!\d)([0-3]\d{5})-?\d{5}(?!\d)/g;
const PERSON_ID = /^\d{6}-?\d{5}$/;

/** An actor id: a person's code masked (`320000-*****`), a process (`system:expiry`) as it is. */
export function maskActor(actor: string | null | undefined): string | null {
  if (actor === null || actor === undefined) return null;
  return PERSON_ID.test(actor.trim()) ? maskPersonalCode(actor) : actor;
}

/** Masks anything in free text that looks like a personal code. */
export function redactPersonalCodes(text: string): string {
  return text.replace(PERSONAL_CODE_LIKE, '$1-*****');
}

/**
 * The form a name is searched in: lower case without diacritics, so "berzins" finds "Bērziņš"
 * (every Latvian letter ā č ē ģ ī ķ ļ ņ š ū ž decomposes into a base letter and a mark under NFD).
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('lv').replace(/\s+/g, ' ').trim();
}
