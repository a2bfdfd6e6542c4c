import { DOMAIN_ERROR_CODES, DomainError, isDomainError } from './errors';

describe('DomainError', () => {
  it('carries a stable code, the field and a message, and serializes to exactly those', () => {
    const error = new DomainError('TERM_IN_PAST', 'term.date', 'term.date must be after 2025-03-01');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('DomainError');
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: 'TERM_IN_PAST', field: 'term.date', message: 'term.date must be after 2025-03-01' });
  });

  it('is told apart from other errors', () => {
    expect(isDomainError(new DomainError('RIGHTS_EMPTY', 'rights', 'rights must list a scope'))).toBe(true);
    expect(isDomainError(new Error('boom'))).toBe(false);
    expect(isDomainError({ code: 'RIGHTS_EMPTY' })).toBe(false);
  });

  it('codes are unique, upper snake case', () => {
    expect(new Set(DOMAIN_ERROR_CODES).size).toBe(DOMAIN_ERROR_CODES.length);
    for (const code of DOMAIN_ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });
});
