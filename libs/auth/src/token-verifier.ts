import { Principal } from './principal';

/** Verifies a bearer token and says who is calling; throws Unauthenticated. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}
