import { Principal } from './principal';
import type { TokenCacheOptions } from './verified-token-cache';

/** Verifies a bearer token and says who is calling; throws Unauthenticated. */
export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

/** What the verifiers share: the clock (tests move it), the clock tolerance for exp/nbf, the cache of verified tokens. */
export interface TokenVerifierOptions {
  now?: () => Date;
  /** Seconds of clock difference with the issuer allowed on exp and nbf; 0 by default. */
  clockToleranceSeconds?: number;
  cache?: TokenCacheOptions;
}
