import { seesPersonalCode, type PersonalCodeOf } from './disclosure';
import type { Principal, Role } from './principal';

const as = (...roles: Role[]): Principal => ({ subject: '010190-12345', roles, institutions: ['90000000001'] });
const user = (represents: boolean, decides: boolean): PersonalCodeOf => ({ kind: 'user', represents, decides });

describe('who sees a personal code unmasked: the one rule', () => {
  it('auditors see every code', () => {
    for (const whose of [user(false, false), { kind: 'representative' } as const, { kind: 'actor' } as const]) expect(seesPersonalCode(as('auditor'), whose)).toBe(true);
  });

  it("a representative sees their institution's users' codes only when they represent it (in the registry)", () => {
    expect(seesPersonalCode(as('representative'), user(true, false))).toBe(true);
    expect(seesPersonalCode(as('representative'), user(false, false))).toBe(false);
    expect(seesPersonalCode(as('representative'), user(false, true))).toBe(false);
  });

  it('an approver sees the user of an application they decide, and no other', () => {
    expect(seesPersonalCode(as('approver'), user(false, true))).toBe(true);
    expect(seesPersonalCode(as('approver'), user(false, false))).toBe(false);
    expect(seesPersonalCode(as('approver'), user(true, false))).toBe(false);
  });

  it('an administrator sees the representatives they keep, not users', () => {
    expect(seesPersonalCode(as('admin'), { kind: 'representative' })).toBe(true);
    expect(seesPersonalCode(as('admin'), user(true, true))).toBe(false);
  });

  it("actors' codes are an auditor's only; a service credential sees none, whatever roles it carries", () => {
    for (const role of ['representative', 'approver', 'admin'] as Role[]) expect(seesPersonalCode(as(role), { kind: 'actor' })).toBe(false);
    const service: Principal = { ...as('auditor', 'representative', 'approver', 'admin'), service: 'budzets' };
    for (const whose of [user(true, true), { kind: 'representative' } as const, { kind: 'actor' } as const]) expect(seesPersonalCode(service, whose)).toBe(false);
  });
});
