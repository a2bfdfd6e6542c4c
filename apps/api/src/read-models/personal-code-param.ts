import { tryNormalizePersonalCode } from '@atlauja/domain';
import { problem, ProblemError } from '../http/problem';

/** The one stored form (DDMMYY-NNNNN), or 400 naming the field (never echoing the value). */
export function normalizedPersonalCode(value: string, field: string): string {
  const normalized = tryNormalizePersonalCode(value);
  if (normalized === null) {
    throw new ProblemError(problem(400, 'Invalid request', { kind: 'VALIDATION_FAILED', detail: 'one or more fields are invalid', errors: [{ field, rule: 'PERSONAL_CODE_INVALID', message: `${field} is not a valid personal code` }] }));
  }
  return normalized;
}
