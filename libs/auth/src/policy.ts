import { Forbidden, Principal, Role } from './principal';

/**
 * What a caller may do, one entry per capability: which roles may, and whether the caller must
 * represent the institution the resource belongs to. Four eyes is not here: it needs the
 * application's history, so the domain's machine guards it.
 */
interface Rule {
  roles: readonly Role[];
  /** The caller must represent the resource's institution (applies to the representative role only). */
  ownInstitution: boolean;
  readOnly: boolean;
  /** Only a machine caller (a token with the `service` claim) may; people are refused whatever their roles. */
  service?: boolean;
}

const REPRESENTATIVE_COMMAND: Rule = { roles: ['representative'], ownInstitution: true, readOnly: false };
const APPROVER_COMMAND: Rule = { roles: ['approver'], ownInstitution: false, readOnly: false };
const READ_APPLICATION: Rule = { roles: ['representative', 'approver', 'auditor', 'admin'], ownInstitution: true, readOnly: true };

export const POLICY = {
  'application.draft': REPRESENTATIVE_COMMAND,
  'application.edit': REPRESENTATIVE_COMMAND,
  'application.set-rights': REPRESENTATIVE_COMMAND,
  'application.submit': REPRESENTATIVE_COMMAND,
  'application.sign': REPRESENTATIVE_COMMAND,
  'application.withdraw': REPRESENTATIVE_COMMAND,
  'application.revoke': REPRESENTATIVE_COMMAND,
  'application.claim': APPROVER_COMMAND,
  'application.release': APPROVER_COMMAND,
  'application.approve': APPROVER_COMMAND,
  'application.reject': APPROVER_COMMAND,
  'application.read': READ_APPLICATION,
  'institution.applications': { roles: ['representative', 'auditor', 'admin'], ownInstitution: true, readOnly: true },
  'queue.read': { roles: ['approver', 'auditor'], ownInstitution: false, readOnly: true },
  'rights.read': READ_APPLICATION,
  'audit.read': { roles: ['auditor'], ownInstitution: false, readOnly: true },
  // The e-service portal reports its users' logins (the sliding term). No person's role admits it.
  'portal.login': { roles: [], ownInstitution: false, readOnly: false, service: true },
  // The e-service "Budžets" asks whether a user may use a rights group at a scope now.
  'eservice.authorize': { roles: [], ownInstitution: false, readOnly: true, service: true },
  // The registry (seed 001): administrators keep it; a merge is an administrator's legal act.
  'registry.keep': { roles: ['admin'], ownInstitution: false, readOnly: false },
  'registry.merge': { roles: ['admin'], ownInstitution: false, readOnly: false },
  'registry.list': { roles: ['admin', 'auditor'], ownInstitution: false, readOnly: true },
  'registry.read': { roles: ['admin', 'auditor', 'representative'], ownInstitution: true, readOnly: true },
  // Re-certification (seed 000): an administrator opens and closes; the institution's representative does the work.
  'campaign.open': { roles: ['admin'], ownInstitution: false, readOnly: false },
  'campaign.close': { roles: ['admin'], ownInstitution: false, readOnly: false },
  'campaign.work': { roles: ['representative'], ownInstitution: true, readOnly: false },
  'campaign.read': { roles: ['admin', 'auditor', 'representative'], ownInstitution: true, readOnly: true },
  // Operations: an administrator makes a CRL just put in CRL_DIR count at once.
  'trust.reload': { roles: ['admin'], ownInstitution: false, readOnly: false },
} as const satisfies Record<string, Rule>;

export type Capability = keyof typeof POLICY;

/** Throws Forbidden naming the rule; returns when the caller may. */
export function authorize(principal: Principal, capability: Capability, resource: { institution?: string } = {}): void {
  const rule: Rule = POLICY[capability];
  if (rule.service) {
    if (!principal.service) throw new Forbidden('SERVICE_CREDENTIAL_REQUIRED', `${capability} is for a service credential, not a person's token`);
    return;
  }
  // A service credential speaks for a machine, never for a person: it acts on no application.
  if (principal.service) throw new Forbidden('PERSON_REQUIRED', `${capability} is for people, not a service credential`);
  if (!principal.roles.some((r) => rule.roles.includes(r))) {
    if (!rule.readOnly && principal.roles.includes('auditor') && principal.roles.length === 1) {
      throw new Forbidden('AUDITOR_READ_ONLY', 'auditors only read');
    }
    throw new Forbidden('ROLE_REQUIRED', `${capability} requires the role ${rule.roles.join(' or ')}`);
  }
  // A representative is bound to the institutions they represent; other roles act across institutions.
  if (rule.ownInstitution && actsOnlyAsRepresentative(principal, capability) && resource.institution !== undefined) {
    if (!principal.institutions.includes(resource.institution)) {
      throw new Forbidden('NOT_REPRESENTATIVE_OF_INSTITUTION', `the caller does not represent the institution concerned (${capability})`);
    }
  }
}

/**
 * Whether the caller holds `capability` only through the representative role: then the
 * institution concerned must be one they represent, in the token and (the API checks) in the
 * registry. A caller who also holds another role admitting it acts across institutions.
 */
export function actsOnlyAsRepresentative(principal: Principal, capability: Capability): boolean {
  const held = principal.roles.filter((r) => (POLICY[capability].roles as readonly Role[]).includes(r));
  return held.length > 0 && held.every((r) => r === 'representative');
}
