import { DomainError } from './errors';
import { tryNormalizePersonalCode } from './personal-code';

export const ACTOR_ROLES = ['representative', 'approver', 'auditor', 'admin', 'system', 'service'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

/**
 * Who issues a command, as established by authentication (the domain does not authenticate).
 * `id` is the person's normalized personal code (`DDMMYY-NNNNN`), `system:<process>` for a process,
 * or `service:<name>` for a machine caller (the e-service portal reporting logins).
 */
export interface Actor {
  readonly id: string;
  readonly role: ActorRole;
}

/**
 * Identity comparisons (four eyes, claim holder, signer) compare ids as strings, so an id that is
 * not in its one normalized form could slip past them: refuse it rather than normalize silently.
 */
export function assertActor(actor: unknown): asserts actor is Actor {
  const a = actor as Partial<Actor> | null | undefined;
  if (!a || typeof a !== 'object' || !ACTOR_ROLES.includes(a.role as ActorRole) || typeof a.id !== 'string') {
    throw new DomainError('ACTOR_INVALID', 'actor', `actor must have an id and a role (${ACTOR_ROLES.join(', ')})`);
  }
  if (a.role === 'system' || a.role === 'service') {
    if (!new RegExp(`^${a.role}:[a-z0-9][a-z0-9._-]*$`, 'i').test(a.id)) {
      throw new DomainError('ACTOR_INVALID', 'actor.id', `actor.id of a ${a.role} actor must be ${a.role}:<name>`);
    }
  } else if (tryNormalizePersonalCode(a.id) !== a.id) {
    throw new DomainError('ACTOR_INVALID', 'actor.id', 'actor.id of a person must be a valid personal code in the normalized form DDMMYY-NNNNN');
  }
}
