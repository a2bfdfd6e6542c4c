import { tryNormalizePersonalCode, type Actor, type ActorRole } from '@atlauja/domain';
import { Forbidden, type Principal } from '@atlauja/auth';

/** People act under their personal code; the domain compares ids as strings, so only the normalized form. */
export function actorOf(principal: Principal, roles: readonly string[]): Actor {
  const id = tryNormalizePersonalCode(principal.subject);
  if (principal.service || !id) throw new Forbidden('PERSON_REQUIRED', 'only people act here, under their personal code; a service credential does not');
  const role = principal.roles.find((r) => roles.includes(r));
  return { id, role: (role ?? principal.roles[0]) as ActorRole };
}
