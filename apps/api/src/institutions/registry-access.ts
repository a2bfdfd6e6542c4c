import { Forbidden, Principal, Role } from '@atlauja/auth';
import { tryNormalizePersonalCode, type Actor, type InstitutionState } from '@atlauja/domain';

/**
 * Who may do what to the registry and to a campaign. The application policy (libs/auth) has no
 * registry capabilities yet; these rules are the registry's, written once here, refusing with the
 * same Forbidden (403 naming the rule).
 */
export function requireRole(principal: Principal, roles: readonly Role[], what: string): Role {
  const role = principal.roles.find((r) => roles.includes(r));
  if (!role) throw new Forbidden('ROLE_REQUIRED', `${what} requires the role ${roles.join(' or ')}`);
  return role;
}

export function personOf(principal: Principal, role: Role): Actor {
  const id = tryNormalizePersonalCode(principal.subject);
  if (!id) throw new Forbidden('SUBJECT_NOT_A_PERSON', 'the token subject is not a personal code; only people keep the registry');
  return { id, role };
}

/** A representative acts for an institution when the token says so and the registry lists them. */
export function requireRegistryRepresentative(principal: Principal, institution: InstitutionState | undefined, registrationNumber: string): Actor {
  requireRole(principal, ['representative'], 'acting in a re-certification');
  const actor = personOf(principal, 'representative');
  if (!principal.institutions.includes(registrationNumber)) {
    throw new Forbidden('NOT_REPRESENTATIVE_OF_INSTITUTION', 'the caller does not represent the institution of this campaign');
  }
  if (!institution?.representatives.includes(actor.id)) {
    throw new Forbidden('NOT_REPRESENTATIVE_IN_REGISTRY', `the caller is not a representative of institution ${registrationNumber} in the registry (the token alone does not suffice)`);
  }
  return actor;
}

/** Admins and auditors read every institution; a representative their own. */
export function requireReader(principal: Principal, registrationNumber?: string): Role {
  const role = requireRole(principal, ['admin', 'auditor', 'representative'], 'reading the registry');
  if (principal.roles.includes('admin') || principal.roles.includes('auditor')) return principal.roles.includes('admin') ? 'admin' : 'auditor';
  if (registrationNumber !== undefined && !principal.institutions.includes(registrationNumber)) {
    throw new Forbidden('NOT_REPRESENTATIVE_OF_INSTITUTION', 'the caller does not represent this institution');
  }
  return role;
}
