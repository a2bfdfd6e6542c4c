import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { SessionConfig } from './session-config';

type OidcSettings = NonNullable<SessionConfig['oidc']>;

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** One sign-in in flight: what the callback must find again (kept in a short-lived httpOnly cookie). */
export interface OidcTransaction {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export class OidcSignInError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'OidcSignInError';
  }
}

const random = (): string => randomBytes(32).toString('base64url');

/**
 * The portal as an OIDC relying party: authorization code with PKCE (S256), state and nonce,
 * endpoints from the issuer's discovery document. The ID token is verified (issuer, audience =
 * client id, nonce, signature by the issuer's JWKS); the session then holds the access token, which
 * the API verifies as it verifies any bearer token (OIDC_AUDIENCE).
 */
export class OidcClient {
  private discovery?: Promise<Discovery>;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly settings: OidcSettings, private readonly fetcher: typeof fetch = fetch) {}

  private discover(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const url = `${this.settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
      const response = await this.fetcher(url, { headers: { accept: 'application/json' } });
      if (!response.ok) throw new OidcSignInError('OIDC_DISCOVERY_FAILED', `the issuer's discovery document answered ${response.status}`);
      const document = (await response.json()) as Discovery;
      if (document.issuer !== this.settings.issuer) throw new OidcSignInError('OIDC_DISCOVERY_FAILED', "the discovery document names another issuer");
      return document;
    })().catch((error: unknown) => {
      this.discovery = undefined;
      throw error instanceof OidcSignInError ? error : new OidcSignInError('OIDC_DISCOVERY_FAILED', 'the issuer did not answer');
    });
    return this.discovery;
  }

  /** A new transaction and the URL to send the browser to. */
  async start(returnTo: string): Promise<{ transaction: OidcTransaction; url: string }> {
    const discovery = await this.discover();
    const transaction: OidcTransaction = { state: random(), nonce: random(), verifier: random(), returnTo };
    const url = new URL(discovery.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      state: transaction.state,
      nonce: transaction.nonce,
      code_challenge: createHash('sha256').update(transaction.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { transaction, url: url.toString() };
  }

  /** Exchanges the code; returns the access token and the verified ID token's claims. */
  async finish(transaction: OidcTransaction, query: { code?: string; state?: string; error?: string }): Promise<{ accessToken: string; idToken: JWTPayload }> {
    if (query.error) throw new OidcSignInError('OIDC_DENIED', 'the issuer did not sign the person in');
    if (!query.state || query.state !== transaction.state) throw new OidcSignInError('OIDC_STATE_MISMATCH', 'the sign-in answer does not belong to this browser');
    if (!query.code) throw new OidcSignInError('OIDC_CODE_MISSING', 'the issuer sent no authorization code');
    const discovery = await this.discover();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: this.settings.redirectUri, code_verifier: transaction.verifier, client_id: this.settings.clientId });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.settings.clientSecret) {
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.settings.clientId)}:${encodeURIComponent(this.settings.clientSecret)}`).toString('base64')}`;
    }
    const response = await this.fetcher(discovery.token_endpoint, { method: 'POST', headers, body });
    if (!response.ok) throw new OidcSignInError('OIDC_TOKEN_REFUSED', `the token endpoint answered ${response.status}`);
    const tokens = (await response.json()) as { access_token?: string; id_token?: string; token_type?: string };
    if (!tokens.access_token || !tokens.id_token) throw new OidcSignInError('OIDC_TOKEN_REFUSED', 'the token endpoint returned no access token or no ID token');
    this.jwks ??= createRemoteJWKSet(new URL(discovery.jwks_uri));
    try {
      const { payload } = await jwtVerify(tokens.id_token, this.jwks, { issuer: this.settings.issuer, audience: this.settings.clientId });
      if (payload.nonce !== transaction.nonce) throw new OidcSignInError('OIDC_NONCE_MISMATCH', 'the ID token was not issued for this sign-in');
      return { accessToken: tokens.access_token, idToken: payload };
    } catch (error) {
      if (error instanceof OidcSignInError) throw error;
      throw new OidcSignInError('OIDC_ID_TOKEN_INVALID', 'the ID token did not verify');
    }
  }
}
