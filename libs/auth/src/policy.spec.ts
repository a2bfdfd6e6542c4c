import { authorize, Capability, POLICY } from './policy';
import { Forbidden, Principal, Role } from './principal';

const OWN = '90000000001';
const OTHER = '90000000002';
const as = (role: Role): Principal => ({ subject: '010190-12345', roles: [role], institutions: role === 'representative' ? [OWN] : [] });

function outcome(role: Role, capability: Capability, institution: string): string {
  try {
    authorize(as(role), capability, { institution });
    return 'allow';
  } catch (e) {
    return (e as Forbidden).rule;
  }
}

describe('the authorization policy', () => {
  const representativeCommands: Capability[] = ['application.draft', 'application.edit', 'application.set-rights', 'application.submit', 'application.sign', 'application.withdraw', 'application.revoke'];
  const approverCommands: Capability[] = ['application.claim', 'application.release', 'application.approve', 'application.reject'];

  it.each(representativeCommands)('%s: a representative of the institution only', (capability) => {
    expect(outcome('representative', capability, OWN)).toBe('allow');
    expect(outcome('representative', capability, OTHER)).toBe('NOT_REPRESENTATIVE_OF_INSTITUTION');
    expect(outcome('approver', capability, OWN)).toBe('ROLE_REQUIRED');
    expect(outcome('auditor', capability, OWN)).toBe('AUDITOR_READ_ONLY');
    expect(outcome('admin', capability, OWN)).toBe('ROLE_REQUIRED');
  });

  it.each(approverCommands)('%s: approvers only, across institutions', (capability) => {
    expect(outcome('approver', capability, OWN)).toBe('allow');
    expect(outcome('approver', capability, OTHER)).toBe('allow');
    expect(outcome('representative', capability, OWN)).toBe('ROLE_REQUIRED');
    expect(outcome('auditor', capability, OWN)).toBe('AUDITOR_READ_ONLY');
  });

  it('reading an application: its representatives, approvers, auditors and admins', () => {
    expect(outcome('representative', 'application.read', OWN)).toBe('allow');
    expect(outcome('representative', 'application.read', OTHER)).toBe('NOT_REPRESENTATIVE_OF_INSTITUTION');
    for (const role of ['approver', 'auditor', 'admin'] as Role[]) expect(outcome(role, 'application.read', OTHER)).toBe('allow');
  });

  it('portal.login (issue 8): a service credential only; a person is refused whatever their roles', () => {
    const portal: Principal = { subject: 'portal', roles: [], institutions: [], service: 'budzets-portal' };
    expect(() => authorize(portal, 'portal.login')).not.toThrow();
    for (const role of ['representative', 'approver', 'auditor', 'admin'] as Role[]) expect(outcome(role, 'portal.login', OWN)).toBe('SERVICE_CREDENTIAL_REQUIRED');
    // And the service credential does nothing a person does, even if it carried a role.
    const portalWithRole: Principal = { ...portal, roles: ['approver'] };
    expect(() => authorize(portalWithRole, 'application.approve')).toThrow(expect.objectContaining({ rule: 'PERSON_REQUIRED' }));
  });

  it('reloading trust: administrators only', () => {
    expect(outcome('admin', 'trust.reload', OWN)).toBe('allow');
    for (const role of ['representative', 'approver'] as Role[]) expect(outcome(role, 'trust.reload', OWN)).toBe('ROLE_REQUIRED');
    expect(outcome('auditor', 'trust.reload', OWN)).toBe('AUDITOR_READ_ONLY');
  });

  it('every capability names at least one role (or is a service capability), and no read capability admits a write', () => {
    for (const [capability, rule] of Object.entries(POLICY)) {
      expect(rule.roles.length > 0 || ('service' in rule && rule.service)).toBe(true);
      if (capability.endsWith('.read')) expect(rule.readOnly).toBe(true);
    }
  });
});
