/** Rules on what an application says besides its rights and term: who, for whom, and why. */
import { DomainError, type DomainErrorCode } from '../../shared/errors';
import { normalizePersonalCode } from '../../shared/personal-code';

export const APPLICATION_KINDS = ['new-user', 'change', 'termination'] as const;
/** new-user: jauns lietotājs; change: Mainīt; termination: lietošanas pārtraukšana. */
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export interface ApplicationUser {
  readonly givenName: string;
  readonly surname: string;
  /** Normalized `DDMMYY-NNNNN` in events and state; any accepted writing in commands. */
  readonly personalCode: string;
  readonly email: string;
}

/** Bounds that keep free text fit for a signed document and a read-model column. */
export const TEXT_LIMITS = { name: 100, email: 254, justification: 2000, reason: 2000, id: 200 } as const;

const REGISTRATION_NUMBER = /^\d{11}$/;
// Deliberately loose: one @, a dot in the domain, no spaces. Deliverability is proved by mail, not a regex.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function assertKind(kind: unknown): asserts kind is ApplicationKind {
  if (!APPLICATION_KINDS.includes(kind as ApplicationKind)) {
    throw new DomainError('KIND_INVALID', 'kind', `kind must be one of ${APPLICATION_KINDS.join(', ')}`);
  }
}

export function assertRegistrationNumber(value: unknown, field = 'institution'): asserts value is string {
  if (typeof value !== 'string' || !REGISTRATION_NUMBER.test(value)) {
    throw new DomainError('REGISTRATION_NUMBER_INVALID', field, `${field} must be an 11-digit registration number`);
  }
}

/** Trimmed, non-empty (when `required`), within `limit` characters. */
export function boundedText(
  value: unknown,
  field: string,
  limit: number,
  missing: DomainErrorCode,
): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') throw new DomainError(missing, field, `${field} is required and must not be blank`);
  if (text.length > limit) throw new DomainError('TEXT_TOO_LONG', field, `${field} may be at most ${limit} characters`);
  return text;
}

export function optionalText(value: unknown, field: string, limit: number): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  const text = String(value).trim();
  if (text.length > limit) throw new DomainError('TEXT_TOO_LONG', field, `${field} may be at most ${limit} characters`);
  return text;
}

export function validateUser(input: unknown, field = 'user'): ApplicationUser {
  const user = (input ?? {}) as Partial<Record<keyof ApplicationUser, unknown>>;
  const givenName = boundedText(user.givenName, `${field}.givenName`, TEXT_LIMITS.name, 'USER_NAME_REQUIRED');
  const surname = boundedText(user.surname, `${field}.surname`, TEXT_LIMITS.name, 'USER_NAME_REQUIRED');
  const personalCode = normalizePersonalCode(user.personalCode, `${field}.personalCode`);
  const email = typeof user.email === 'string' ? user.email.trim() : '';
  if (!EMAIL.test(email) || email.length > TEXT_LIMITS.email) {
    throw new DomainError('EMAIL_INVALID', `${field}.email`, `${field}.email must be an e-mail address (name@domain), at most ${TEXT_LIMITS.email} characters`);
  }
  return { givenName, surname, personalCode, email };
}

export function validateJustification(value: unknown): string {
  return boundedText(value, 'justification', TEXT_LIMITS.justification, 'JUSTIFICATION_REQUIRED');
}

/**
 * A change or a termination acts on the application now in force for that user, so it names it;
 * a new user has none in force.
 */
export function validateReplaces(kind: ApplicationKind, replaces: unknown, applicationId: string): string | undefined {
  if (kind === 'new-user') {
    if (replaces !== undefined && replaces !== null) {
      throw new DomainError('REPLACES_FORBIDDEN', 'replaces', 'replaces is only for a change or a termination; a new-user application replaces nothing');
    }
    return undefined;
  }
  if (typeof replaces !== 'string' || replaces.trim() === '') {
    throw new DomainError('REPLACES_REQUIRED', 'replaces', `replaces (the id of the application in force for the user) is required for a ${kind}`);
  }
  if (replaces === applicationId) {
    throw new DomainError('REPLACES_FORBIDDEN', 'replaces', 'replaces must name another application, not this one');
  }
  return replaces;
}
