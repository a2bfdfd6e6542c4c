/**
 * The Latvian personal code (personas kods): 11 digits written `DDMMYY-NNNNN`.
 * - Old format: birth date DDMMYY, a century digit (0: 1800s, 1: 1900s, 2: 2000s), a three-digit
 *   serial and a check digit.
 * - New format (since 2017): `32`..`39` then nine digits; no date, no check digit. Old codes never
 *   start with 32..39 (no day has that number), so the first two digits tell the formats apart.
 */
import { DomainError } from './errors';
import { formatIsoDate, isCalendarDate } from './time';

export type PersonalCodeFormat = 'old' | 'new';

export interface PersonalCode {
  /** `DDMMYY-NNNNN`: the one form stored in events and compared for identity. */
  readonly normalized: string;
  readonly format: PersonalCodeFormat;
  /** `YYYY-MM-DD` for old-format codes. */
  readonly birthDate?: string;
}

/** Weights of the check digit over the first ten digits (old format). */
export const PERSONAL_CODE_CHECK_WEIGHTS = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

const WRITTEN = /^(\d{6})-?(\d{5})$/;
const NEW_FORMAT = /^3[2-9]\d{9}$/;

/**
 * K = (1101 − Σ dᵢ·wᵢ) mod 11 over the first ten digits. Returns null when K is 10: no valid code
 * can carry it, so such a ten-digit prefix is never issued.
 */
export function personalCodeCheckDigit(firstTenDigits: string): number | null {
  const sum = PERSONAL_CODE_CHECK_WEIGHTS.reduce((acc, w, i) => acc + w * Number(firstTenDigits[i]), 0);
  const k = (1101 - sum) % 11;
  return k === 10 ? null : k;
}

/** Parses and validates; throws DomainError (`PERSONAL_CODE_*`) naming `field`. */
export function parsePersonalCode(input: unknown, field = 'personalCode'): PersonalCode {
  const m = typeof input === 'string' ? WRITTEN.exec(input.trim()) : null;
  if (!m) {
    throw new DomainError('PERSONAL_CODE_INVALID', field, `${field} must be 11 digits written DDMMYY-NNNNN (the hyphen is optional)`);
  }
  const digits = m[1] + m[2];
  const normalized = `${m[1]}-${m[2]}`;
  if (NEW_FORMAT.test(digits)) return { normalized, format: 'new' };
  const century = { '0': 1800, '1': 1900, '2': 2000 }[digits[6]];
  if (century === undefined) {
    throw new DomainError('PERSONAL_CODE_INVALID', field, `${field}: the 7th digit of an old-format code is the century (0, 1 or 2)`);
  }
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const year = century + Number(digits.slice(4, 6));
  if (!isCalendarDate(year, month, day)) {
    throw new DomainError('PERSONAL_CODE_BIRTH_DATE', field, `${field}: the first six digits of an old-format code must be a real birth date (DDMMYY)`);
  }
  const expected = personalCodeCheckDigit(digits);
  if (expected === null || expected !== Number(digits[10])) {
    throw new DomainError('PERSONAL_CODE_CHECKSUM', field, `${field}: the check digit of an old-format code does not match (weights 1,6,3,7,9,10,5,8,4,2; K = (1101 − Σ) mod 11)`);
  }
  return { normalized, format: 'old', birthDate: formatIsoDate({ year, month, day }) };
}

export function normalizePersonalCode(input: unknown, field = 'personalCode'): string {
  return parsePersonalCode(input, field).normalized;
}

export function isValidPersonalCode(input: unknown): boolean {
  try {
    parsePersonalCode(input);
    return true;
  } catch {
    return false;
  }
}

/** The normalized code, or null: for comparisons that must not throw (guards). */
export function tryNormalizePersonalCode(input: unknown): string | null {
  try {
    return parsePersonalCode(input).normalized;
  } catch {
    return null;
  }
}

/**
 * `320000-*****`: the first six digits kept, the rest starred. Anything that is not 11 digits is
 * starred entirely, so a malformed value never leaks into a read model or a log line.
 */
export function maskPersonalCode(input: string): string {
  const m = WRITTEN.exec(input.trim());
  return m ? `${m[1]}-*****` : '******-*****';
}
