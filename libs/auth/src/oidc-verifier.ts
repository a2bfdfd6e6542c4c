import { createRemoteJWKSet, jwtVerify } from 'jose';
import { principalFromClaims } from './claims';
import { asUnauthenticated } from './local-issuer';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/** Server mode: tokens from an OIDC issuer, keys from its JWKS (cached and refreshed by jose). */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly jwks;

  constructor(private readonly issuer: string, private readonly audience: string, jwksUri?: string) {
    this.jwks = createRemoteJWKSet(new URL(jwksUri ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`));
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.jwks, { issuer: this.issuer, audience: this.audience });
      return principalFromClaims(payload);
    } catch (e) {
      throw asUnauthenticated(e);
    }
  }
}
