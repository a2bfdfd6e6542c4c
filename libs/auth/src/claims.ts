import type { JWTPayload } from 'jose';
import { Principal, ROLES, Role, Unauthenticated } from './principal';

/** Claim names shared by the local issuer and the OIDC mapping. */
export const CLAIM_ROLES = 'roles';
export const CLAIM_INSTITUTIONS = 'institutions';
export const CLAIM_SERVICE = 'service';

const REGISTRATION_NUMBER = /^\d{11}$/;

/** Maps a verified payload to a Principal, refusing any shape we do not understand. */
export function principalFromClaims(payload: JWTPayload): Principal {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Unauthenticated('token has no subject');
  const roles = payload[CLAIM_ROLES];
  if (!Array.isArray(roles) || !roles.every((r): r is Role => (ROLES as readonly unknown[]).includes(r))) {
    throw new Unauthenticated(`token claim "${CLAIM_ROLES}" must be a list of ${ROLES.join(', ')}`);
  }
  const institutions = payload[CLAIM_INSTITUTIONS] ?? [];
  if (!Array.isArray(institutions) || !institutions.every((i) => typeof i === 'string' && REGISTRATION_NUMBER.test(i))) {
    throw new Unauthenticated(`token claim "${CLAIM_INSTITUTIONS}" must be a list of 11-digit registration numbers`);
  }
  const service = payload[CLAIM_SERVICE];
  return {
    subject: payload.sub,
    roles,
    institutions: institutions as string[],
    ...(typeof service === 'string' ? { service } : {}),
  };
}
