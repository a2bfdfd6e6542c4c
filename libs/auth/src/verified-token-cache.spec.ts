import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, SignJWT } from 'jose';
import { newKeyPair } from '@atlauja/signatures';
import { LocalTokenIssuer } from './local-issuer';
import { OidcTokenVerifier } from './oidc-verifier';
import { Unauthenticated, type Principal } from './principal';
import { VerifiedTokenCache, type VerifiedToken } from './verified-token-cache';

const representative: Principal = { subject: '010190-12345', roles: ['representative'], institutions: ['90000000001'] };
const T0 = Date.parse('2026-11-23T10:00:00Z');

/** A clock the test moves. */
function clockAt(ms: number): { now: () => Date; set(ms: number): void } {
  let current = ms;
  return { now: () => new Date(current), set: (next) => { current = next; } };
}

describe('verified tokens are remembered until they expire', () => {
  it('verifies a token once; later requests with it get the principal without verifying again', async () => {
    const cache = new VerifiedTokenCache({}, () => new Date(T0));
    let verifications = 0;
    const verify = async (): Promise<VerifiedToken> => { verifications += 1; return { principal: representative, exp: T0 / 1000 + 3600 }; };
    for (let i = 0; i < 5; i++) expect(await cache.principalOf('token-a', verify)).toEqual(representative);
    expect(verifications).toBe(1);
    await cache.principalOf('token-b', verify);
    expect(verifications).toBe(2);
  });

  it('a refusal is not remembered: the next request is verified again', async () => {
    const cache = new VerifiedTokenCache({}, () => new Date(T0));
    let verifications = 0;
    const refuse = async (): Promise<VerifiedToken> => { verifications += 1; throw new Unauthenticated('token signature invalid'); };
    await expect(cache.principalOf('forged', refuse)).rejects.toThrow('token signature invalid');
    await expect(cache.principalOf('forged', refuse)).rejects.toThrow('token signature invalid');
    expect(verifications).toBe(2);
  });

  it('is bounded: beyond maxEntries the least recently used token is verified again', async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 2 }, () => new Date(T0));
    const seen: string[] = [];
    const verifyAs = (token: string) => async (): Promise<VerifiedToken> => { seen.push(token); return { principal: representative, exp: T0 / 1000 + 3600 }; };
    for (const token of ['a', 'b', 'a', 'c', 'a', 'b']) await cache.principalOf(token, verifyAs(token));
    expect(seen).toEqual(['a', 'b', 'c', 'b']); // 'a' was used last before 'c' came in, so 'b' went
    expect(cache.size).toBe(2);
  });

  it('with maxEntries 0 nothing is remembered: every request verifies the signature', async () => {
    const cache = new VerifiedTokenCache({ maxEntries: 0 }, () => new Date(T0));
    let verifications = 0;
    const verify = async (): Promise<VerifiedToken> => { verifications += 1; return { principal: representative, exp: T0 / 1000 + 3600 }; };
    for (let i = 0; i < 3; i++) expect(await cache.principalOf('token-a', verify)).toEqual(representative);
    expect(verifications).toBe(3);
    expect(cache.size).toBe(0);
  });

  it('a remembered verification lasts at most maxAgeMs, whatever the exp', async () => {
    const clock = clockAt(T0);
    const cache = new VerifiedTokenCache({ maxAgeMs: 60_000 }, clock.now);
    let verifications = 0;
    const verify = async (): Promise<VerifiedToken> => { verifications += 1; return { principal: representative, exp: T0 / 1000 + 8 * 3600 }; };
    await cache.principalOf('t', verify);
    clock.set(T0 + 59_000);
    await cache.principalOf('t', verify);
    clock.set(T0 + 60_000);
    await cache.principalOf('t', verify);
    expect(verifications).toBe(2);
  });

  it('hands each caller its own copy of the principal', async () => {
    const cache = new VerifiedTokenCache({}, () => new Date(T0));
    const verify = async (): Promise<VerifiedToken> => ({ principal: { ...representative, roles: [...representative.roles] }, exp: T0 / 1000 + 60 });
    const first = await cache.principalOf('t', verify);
    first.roles.push('admin');
    expect((await cache.principalOf('t', verify)).roles).toEqual(['representative']);
  });

  describe('local issuer', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'atlauja-token-cache-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a remembered token is refused once its exp has passed', async () => {
      const clock = clockAt(T0);
      const issuer = await LocalTokenIssuer.open(dir, { now: clock.now });
      const token = await issuer.mint(representative, 60, new Date(T0));
      expect(await issuer.verify(token)).toEqual(representative);
      clock.set(T0 + 59_000);
      expect(await issuer.verify(token)).toEqual(representative);
      clock.set(T0 + 60_000);
      await expect(issuer.verify(token)).rejects.toEqual(new Unauthenticated('token expired'));
    });

    it('with a clock tolerance, a token is accepted (and remembered) until exp plus the tolerance, not after', async () => {
      const clock = clockAt(T0);
      const issuer = await LocalTokenIssuer.open(dir, { now: clock.now, clockToleranceSeconds: 30 });
      const token = await issuer.mint(representative, 60, new Date(T0));
      await issuer.verify(token);
      clock.set(T0 + 89_000);
      expect(await issuer.verify(token)).toEqual(representative);
      clock.set(T0 + 90_000);
      await expect(issuer.verify(token)).rejects.toEqual(new Unauthenticated('token expired'));
    });
  });

  describe('OIDC issuer (JWKS served on 127.0.0.1)', () => {
    let server: Server;
    let jwksUri: string;
    let sign: (exp: number) => Promise<string>;
    let jwksRequests = 0;

    beforeAll(async () => {
      const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
      const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
      server = createServer((_req, res) => {
        jwksRequests += 1;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUri = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`;
      sign = (exp) => new SignJWT({ roles: ['approver'], institutions: [] })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('020290-11019').setIssuer('https://idp.example').setAudience('atlauja')
        .setIssuedAt(T0 / 1000).setExpirationTime(exp).sign(privateKey);
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('verifies by the issuer key once, then serves the token until exp', async () => {
      const clock = clockAt(T0);
      const verifier = new OidcTokenVerifier('https://idp.example', 'atlauja', { jwksUri, now: clock.now });
      const token = await sign(T0 / 1000 + 120);
      const approver = { subject: '020290-11019', roles: ['approver'], institutions: [] };
      expect(await verifier.verify(token)).toEqual(approver);
      expect(jwksRequests).toBe(1);
      clock.set(T0 + 119_000);
      expect(await verifier.verify(token)).toEqual(approver);
      clock.set(T0 + 120_000);
      await expect(verifier.verify(token)).rejects.toEqual(new Unauthenticated('token expired'));
    });
  });
});
