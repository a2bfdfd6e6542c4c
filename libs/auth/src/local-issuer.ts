import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importJWK, JWK, jwtVerify, SignJWT } from 'jose';
import { CLAIM_INSTITUTIONS, CLAIM_ROLES, CLAIM_SERVICE, principalFromClaims } from './claims';
import { Principal, Unauthenticated } from './principal';
import { TokenVerifier, TokenVerifierOptions } from './token-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

export const LOCAL_ISSUER = 'atlauja-local';
export const LOCAL_AUDIENCE = 'atlauja';
const ALG = 'ES256';

type KeyLike = Awaited<ReturnType<typeof importJWK>>;

/**
 * The development token issuer of local mode: an ES256 key pair kept in `<dataDir>/auth/`,
 * created on first use. Server mode never uses it (tokens come from the OIDC issuer).
 */
export class LocalTokenIssuer implements TokenVerifier {
  private readonly verified: VerifiedTokenCache;
  private readonly now: () => Date;

  private constructor(private readonly privateKey: KeyLike, private readonly publicKey: KeyLike, readonly kid: string, private readonly options: TokenVerifierOptions) {
    this.now = options.now ?? (() => new Date());
    this.verified = new VerifiedTokenCache(options.cache, this.now, (options.clockToleranceSeconds ?? 0) * 1000);
  }

  static async open(dataDir: string, options: TokenVerifierOptions = {}): Promise<LocalTokenIssuer> {
    const dir = join(dataDir, 'auth');
    const file = join(dir, 'local-issuer.jwk.json');
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      // Generated as DER and imported: a KeyObject fresh from the generation job can hang Node 20 when
      // read while the job is collected (see newKeyPair in @atlauja/signatures).
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'der' }, publicKeyEncoding: { type: 'spki', format: 'der' } });
      const jwk = createPrivateKey({ key: privateKey, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }) as JWK;
      jwk.kid = `local-${Date.now().toString(36)}`;
      writeFileSync(file, JSON.stringify(jwk), { mode: 0o600 });
    }
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    const { d: _d, ...publicJwk } = jwk;
    return new LocalTokenIssuer(await importJWK(jwk, ALG), await importJWK(publicJwk, ALG), jwk.kid ?? 'local', options);
  }

  async mint(principal: Principal, ttlSeconds = 8 * 3600, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({
      [CLAIM_ROLES]: principal.roles,
      [CLAIM_INSTITUTIONS]: principal.institutions,
      ...(principal.service ? { [CLAIM_SERVICE]: principal.service } : {}),
    })
      .setProtectedHeader({ alg: ALG, kid: this.kid })
      .setSubject(principal.subject)
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(this.privateKey);
  }

  /** Checked by signature once per token, then remembered until it expires (verified-token-cache.ts). */
  verify(token: string): Promise<Principal> {
    return this.verified.principalOf(token, async () => {
      try {
        const { payload } = await jwtVerify(token, this.publicKey, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCE,
          algorithms: [ALG],
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

/** jose's messages name claims, never echo the token; keep only the reason. */
export function asUnauthenticated(e: unknown): Unauthenticated {
  if (e instanceof Unauthenticated) return e;
  const code = (e as { code?: string }).code;
  if (code === 'ERR_JWT_EXPIRED') return new Unauthenticated('token expired');
  if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return new Unauthenticated('token signature invalid');
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return new Unauthenticated('token claim invalid: ' + (e as { claim?: string }).claim);
  return new Unauthenticated('token malformed or not accepted');
}
