import { createRemoteJWKSet, jwtVerify } from 'jose';
import { principalFromClaims } from './claims';
import { asUnauthenticated } from './local-issuer';
import { Principal } from './principal';
import { TokenVerifier, TokenVerifierOptions } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

/** Server mode: tokens from an OIDC issuer, keys from its JWKS (cached and refreshed by jose). */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly jwks;
  private readonly verified: VerifiedTokenCache;
  private readonly now: () => Date;

  constructor(private readonly issuer: string, private readonly audience: string, jwksUri?: string, private readonly options: TokenVerifierOptions = {}) {
    this.jwks = createRemoteJWKSet(new URL(jwksUri ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
    this.now = options.now ?? (() => new Date());
    this.verified = new VerifiedTokenCache(options.cache, this.now, (options.clockToleranceSeconds ?? 0) * 1000);
  }

  /** Checked by signature once per token, then remembered until it expires (verified-token-cache.ts). */
  verify(token: string): Promise<Principal> {
    return this.verified.principalOf(token, async () => {
      try {
        const { payload } = await jwtVerify(token, this.jwks, {
          issuer: this.issuer,
          audience: this.audience,
          currentDate: this.now(),
          clockTolerance: this.options.clockToleranceSeconds ?? 0,
        });
        return { principal: principalFromClaims(payload), exp: payload.exp };
      } catch (e) {
        throw asUnauthenticated(e);
      }
    });
  }
}
