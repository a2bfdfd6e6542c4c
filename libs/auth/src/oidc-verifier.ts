import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { principalFromClaims } from './claims';
import { asUnauthenticated } from './local-issuer';
import { Principal } from './principal';
import { TokenVerifier, TokenVerifierOptions } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

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

export interface OidcOptions extends TokenVerifierOptions {
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
  private readonly verified: VerifiedTokenCache;
  private readonly now: () => Date;
  private readonly options: OidcOptions;
  readonly jwksUri: string;

  constructor(private readonly issuer: string, private readonly audience: string, options: OidcOptions | string = {}) {
    this.options = typeof options === 'string' ? { jwksUri: options } : options;
    this.jwksUri = this.options.jwksUri ?? `${issuer.replace(/\/$/, '')}/.well-known/jwks.json`;
    this.jwks = createRemoteJWKSet(new URL(this.jwksUri), { cacheMaxAge: (this.options.maxAgeSeconds ?? 600) * 1000, timeoutDuration: this.options.timeoutMs ?? 5000 });
    this.keys = async (header, token) => {
      try {
        return await this.jwks(header, token);
      } catch (error) {
        if (TOKEN_FAULTS.some((fault) => error instanceof fault)) throw error;
        throw new TokenKeysUnavailable(this.jwksUri, { cause: error });
      }
    };
    this.now = this.options.now ?? (() => new Date());
    this.verified = new VerifiedTokenCache(this.options.cache, this.now, (this.options.clockToleranceSeconds ?? 0) * 1000);
  }

  /** Checked by signature once per token, then remembered until it expires (verified-token-cache.ts). */
  verify(token: string): Promise<Principal> {
    return this.verified.principalOf(token, async () => {
      try {
        const { payload } = await jwtVerify(token, this.keys, {
          issuer: this.issuer,
          audience: this.audience,
          currentDate: this.now(),
          clockTolerance: this.options.clockToleranceSeconds ?? 0,
        });
        return { principal: principalFromClaims(payload), exp: payload.exp };
      } catch (e) {
        if (e instanceof TokenKeysUnavailable) throw e;
        throw asUnauthenticated(e);
      }
    });
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
