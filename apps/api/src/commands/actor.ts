import { tryNormalizePersonalCode, type Actor, type ActorRole } from '@atlauja/domain';
import { Forbidden, type Principal } from '@atlauja/auth';

/**
 * People act under their personal code (the domain compares ids as strings, so only the normalized
 * form); a machine caller, for the capabilities only machines have, as `service:<name>`.
 */
export function actorOf(principal: Principal, roles: readonly string[], service = false): Actor {
  if (service && principal.service) return { id: `service:${principal.service}`, role: 'service' };
  const id = tryNormalizePersonalCode(principal.subject);
  if (principal.service || !id) throw new Forbidden('PERSON_REQUIRED', 'only people act here, under their personal code; a service credential does not');
  const role = principal.roles.find((r) => roles.includes(r));
  return { id, role: (role ?? principal.roles[0]) as ActorRole };
}
