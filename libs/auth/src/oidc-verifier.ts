import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { principalFromClaims } from './claims';
import { asUnauthenticated } from './local-issuer';
import { Principal } from './principal';
import { TokenVerifier } from './token-verifier';

/**
 * The issuer's keys could not be had (the JWKS endpoint is down, slow or answers garbage) and none
 * fresh are cached: no token can be checked, valid or not. The service is unavailable (503), the
 * caller is not at fault (never a 401).
 */
export class TokenKeysUnavailable extends Error {
  override readonly name = 'TokenKeysUnavailable';
  constructor(readonly jwksUri: string, options?: { cause?: unknown }) {
    super(`the token issuer's keys (${jwksUri}) are unavailable: ${options?.cause instanceof Error ? options.cause.message : 'no answer'}`, options);
  }
}

/** What the key lookup may say about the token itself (not about the key source): a 401. */
const TOKEN_FAULTS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported, errors.JOSEAlgNotAllowed];

export interface OidcOptions {
  jwksUri?: string;
  /** How long fetched keys count as fresh (jose's cacheMaxAge). Default 600 s. */
  maxAgeSeconds?: number;
  /** Bound of a key fetch. Default 5000 ms. */
  timeoutMs?: number;
}

/** Server mode: tokens from an OIDC issuer, keys from its JWKS (cached for maxAgeSeconds, refreshed by jose). */
export class OidcTokenVerifier implements TokenVerifier {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  private readonly keys: JWTVerifyGetKey;
  readonly jwksUri: string;

  constructor(private readonly issuer: string, private readonly audience: string, options: OidcOptions | string = {}) {
    const o = typeof options === 'string' ? { jwksUri: options } : options;
    this.jwksUri = o.jwksUri ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
    this.jwks = createRemoteJWKSet(new URL(this.jwksUri), { cacheMaxAge: (o.maxAgeSeconds ?? 600) * 1000, timeoutDuration: o.timeoutMs ?? 5000 });
    this.keys = async (header, token) => {
      try {
        return await this.jwks(header, token);
      } catch (error) {
        if (TOKEN_FAULTS.some((fault) => error instanceof fault)) throw error;
        throw new TokenKeysUnavailable(this.jwksUri, { cause: error });
      }
    };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, { issuer: this.issuer, audience: this.audience });
      return principalFromClaims(payload);
    } catch (e) {
      if (e instanceof TokenKeysUnavailable) throw e;
      throw asUnauthenticated(e);
    }
  }

  /** Readiness: keys cached and fresh, or fetched now; throws TokenKeysUnavailable. */
  async keysReady(): Promise<{ jwksUri: string; cached: boolean }> {
    if (this.jwks.fresh) return { jwksUri: this.jwksUri, cached: true };
    try {
      await this.jwks.reload();
    } catch (error) {
      throw new TokenKeysUnavailable(this.jwksUri, { cause: error });
    }
    return { jwksUri: this.jwksUri, cached: false };
  }
}
