import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { newKeyPair } from '@atlauja/signatures';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokenIssuer } from './local-issuer';
import { Unauthenticated } from './principal';

describe('the local token issuer', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'atlauja-auth-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const representative = { subject: '010190-12345', roles: ['representative' as const], institutions: ['90000000001'] };

  it('mints a token that it verifies back into the same principal', async () => {
    const issuer = await LocalTokenIssuer.open(dir);
    expect(await issuer.verify(await issuer.mint(representative))).toEqual(representative);
  });

  it('keeps its key across restarts, so tokens stay valid', async () => {
    const token = await (await LocalTokenIssuer.open(dir)).mint(representative);
    const reopened = await LocalTokenIssuer.open(dir);
    await expect(reopened.verify(token)).resolves.toEqual(representative);
  });

  it('refuses an expired token', async () => {
    const issuer = await LocalTokenIssuer.open(dir);
    const token = await issuer.mint(representative, 60, new Date(Date.now() - 3600_000));
    await expect(issuer.verify(token)).rejects.toEqual(new Unauthenticated('token expired'));
  });

  it('refuses a token signed with another key, and never echoes the token', async () => {
    const issuer = await LocalTokenIssuer.open(dir);
    const { privateKey } = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
    const forged = await new SignJWT({ roles: ['admin'], institutions: [] })
      .setProtectedHeader({ alg: 'ES256' }).setSubject('x').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h').sign(privateKey);
    const error = await issuer.verify(forged).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Unauthenticated);
    expect((error as Error).message).not.toContain(forged);
  });

  it('refuses garbage and unknown roles', async () => {
    const issuer = await LocalTokenIssuer.open(dir);
    await expect(issuer.verify('not.a.token')).rejects.toBeInstanceOf(Unauthenticated);
    const bad = await issuer.mint({ ...representative, roles: ['superuser' as never] });
    await expect(issuer.verify(bad)).rejects.toThrow(/roles/);
  });
});
