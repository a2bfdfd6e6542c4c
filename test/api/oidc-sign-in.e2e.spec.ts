/**
 * Server mode's sign-in: OIDC authorization code with PKCE against an issuer written here with
 * jose (no network): discovery, the authorization redirect, the code exchange with the verifier,
 * the ID token's nonce; then the session cookie carries the access token the API verifies.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { newKeyPair } from '@atlauja/signatures';
import { OidcTokenVerifier } from '@atlauja/auth';
import { Harness, startHarness } from '../support/api-harness';

const AUDIENCE = 'atlauja-api';
const CLIENT = 'atlauja-portal';
const SECRET = 'portal-secret';
const REDIRECT = 'http://127.0.0.1/session/oidc/callback';

interface Grant {
  challenge: string;
  nonce: string;
  redirectUri: string;
}

/** A minimal OIDC provider: enough of the protocol to prove the relying party's side. */
async function startProvider(): Promise<{ issuer: string; server: Server; authorizations: URLSearchParams[] }> {
  const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const grants = new Map<string, Grant>();
  const authorizations: URLSearchParams[] = [];
  let issuer = '';
  const sign = (claims: Record<string, unknown>, audience: string) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience(audience).setSubject('329999-00002').setIssuedAt().setExpirationTime('10m').sign(privateKey);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/authorize') {
      // The person signs in at the provider; it sends the browser back with a code.
      authorizations.push(url.searchParams);
      const code = randomUUID();
      grants.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', nonce: url.searchParams.get('nonce') ?? '', redirectUri: url.searchParams.get('redirect_uri') ?? '' });
      res.writeHead(302, { location: `${url.searchParams.get('redirect_uri')}?code=${code}&state=${encodeURIComponent(url.searchParams.get('state') ?? '')}` });
      return res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', async () => {
        const form = new URLSearchParams(body);
        const grant = grants.get(form.get('code') ?? '');
        grants.delete(form.get('code') ?? '');
        const basic = Buffer.from(`${CLIENT}:${SECRET}`).toString('base64');
        const verifierOk = grant && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === grant.challenge;
        if (!grant || req.headers.authorization !== `Basic ${basic}` || form.get('redirect_uri') !== grant.redirectUri || !verifierOk) return json(400, { error: 'invalid_grant' });
        json(200, {
          token_type: 'Bearer',
          access_token: await sign({ roles: ['approver'], institutions: [] }, AUDIENCE),
          id_token: await sign({ nonce: grant.nonce, given_name: 'Jānis', family_name: 'Bērziņš' }, CLIENT),
        });
      });
      return;
    }
    json(404, {});
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return { issuer, server, authorizations };
}

let provider: Awaited<ReturnType<typeof startProvider>>;
let h: Harness;
let folder: string;

beforeAll(async () => {
  provider = await startProvider();
  folder = mkdtempSync(join(tmpdir(), 'atlauja-oidc-'));
  h = await startHarness(
    { tokenVerifier: new OidcTokenVerifier(provider.issuer, AUDIENCE, `${provider.issuer}/jwks`) },
    {
      MODE: 'server',
      // The harness hands in an embedded store; a server names its store and its grant-stream key explicitly.
      EVENT_STORE: 'embedded',
      PSEUDONYM_KEY: 'ab'.repeat(32),
      OIDC_ISSUER: provider.issuer,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URI: `${provider.issuer}/jwks`,
      OIDC_CLIENT_ID: CLIENT,
      OIDC_CLIENT_SECRET: SECRET,
      OIDC_REDIRECT_URI: REDIRECT,
      TRUSTED_CA_DIR: folder,
      CRL_DIR: folder,
      RUN_PROJECTIONS: 'false',
    },
  );
});

afterAll(async () => {
  await h?.close();
  provider?.server.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const setCookies = (response: { headers: Record<string, unknown> }): string[] => {
  const raw = response.headers['set-cookie'];
  return Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
};
const cookie = (lines: string[], name: string) => lines.find((l) => l.startsWith(`__Host-${name}=`));

/** Start → the provider's authorize → back to the callback, as a browser follows the redirects. */
async function signIn(returnTo: string, tamper?: (transaction: string) => string) {
  const start = await h.http().get(`/session/oidc/start?returnTo=${encodeURIComponent(returnTo)}`);
  expect(start.status).toBe(303);
  const transaction = cookie(setCookies(start), 'atlauja_oidc')!;
  const atProvider = await fetch(start.headers.location, { redirect: 'manual' });
  const back = new URL(atProvider.headers.get('location')!);
  const value = transaction.split(';')[0];
  const callback = await h.http().get(`${back.pathname}${back.search}`).set('cookie', tamper ? tamper(value) : value);
  return { start, transaction, callback, back };
}

describe('OIDC sign-in (server mode)', () => {
  it('offers OIDC, and no demo people', async () => {
    expect((await h.http().get('/session')).body).toMatchObject({ signedIn: false, mode: 'server', signIn: 'oidc' });
    expect((await h.http().get('/session/demo-people')).status).toBe(404);
    expect((await h.http().post('/session/demo').send({ person: 'admin' })).status).toBe(404);
  });

  it('authorization code with PKCE (S256), state and nonce; the session cookie is httpOnly, Secure, SameSite=Strict', async () => {
    const { start, transaction, callback } = await signIn('/rinda');
    const authorize = new URL(start.headers.location);
    expect(authorize.origin + authorize.pathname).toBe(`${provider.issuer}/authorize`);
    const params = provider.authorizations[provider.authorizations.length - 1];
    expect(params.get('response_type')).toBe('code');
    expect(params.get('client_id')).toBe(CLIENT);
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('scope')?.split(' ')).toContain('openid');
    // The transaction rides in a cookie the cross-site return can carry (Lax), never readable by scripts.
    expect(transaction).toMatch(/HttpOnly/);
    expect(transaction).toMatch(/Secure/);
    expect(transaction).toMatch(/SameSite=Lax/);

    expect(callback.status).toBe(303);
    expect(callback.headers.location).toBe('/rinda');
    const session = cookie(setCookies(callback), 'atlauja_session')!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/Secure/);
    expect(session).toMatch(/SameSite=Strict/);

    const jar = setCookies(callback).map((l) => l.split(';')[0]).filter((c) => !c.endsWith('=')).join('; ');
    const who = await h.http().get('/session').set('cookie', jar);
    expect(who.body).toMatchObject({ signedIn: true, mode: 'server', person: { roles: ['approver'], personalCode: '329999-*****', name: encodeURIComponent('Jānis Bērziņš') } });
    // The API takes the cookie as it takes a bearer token: an unknown application is a 404, not a 401.
    expect((await h.http().get(`/applications/${randomUUID()}`).set('cookie', jar)).status).toBe(404);
    expect((await h.http().get(`/applications/${randomUUID()}`)).status).toBe(401);
  });

  it('refuses an answer that does not belong to this browser (state), and a wrong PKCE verifier', async () => {
    const { back } = await signIn('/rinda');
    const stranger = await h.http().get(`${back.pathname}${back.search}`);
    expect(stranger.status).toBe(303);
    expect(stranger.headers.location).toBe('/ienakt?klume=OIDC_STATE_MISMATCH');
    expect(cookie(setCookies(stranger), 'atlauja_session')).toBeUndefined();

    const tampered = await signIn('/rinda', (value) => {
      const [name, payload] = value.split('=');
      const transaction = JSON.parse(Buffer.from(payload, 'base64url').toString());
      return `${name}=${Buffer.from(JSON.stringify({ ...transaction, verifier: 'x'.repeat(43) })).toString('base64url')}`;
    });
    expect(tampered.callback.headers.location).toBe('/ienakt?klume=OIDC_TOKEN_REFUSED');
    expect(cookie(setCookies(tampered.callback), 'atlauja_session')).toBeUndefined();
  });

  it('returns only to a path of this site', async () => {
    const { callback } = await signIn('//evil.example/steal');
    expect(callback.headers.location).toBe('/');
  });
});
