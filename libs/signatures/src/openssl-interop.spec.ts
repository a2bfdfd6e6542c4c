/**
 * Interoperability with a CMS implementation no one here wrote: OpenSSL 3 signs, we verify;
 * we sign, OpenSSL verifies (chain to the root included). Skipped, saying so, without openssl.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from './certificate';
import { sampleDocument, signAs, verifyAgainst } from './testing/scenario';
import { TestChain, testPki } from './testing/test-pki';

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = openssl.status === 0;
if (!haveOpenssl) console.warn('openssl-interop: SKIPPED — the openssl CLI is not available on this machine');
const describeWithOpenssl = haveOpenssl ? describe : describe.skip;

describeWithOpenssl(`OpenSSL interoperability (${haveOpenssl ? openssl.stdout.trim() : 'absent'})`, () => {
  const pki = testPki();
  let dir: string;
  const file = (name: string): string => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'atlauja-cms-'));
    writeFileSync(file('document.json'), sampleDocument());
    for (const [name, chain] of Object.entries({ rsa: pki.rsa, ec: pki.ec })) {
      writeFileSync(file(`${name}-holder.pem`), toPem(chain.holder.der, 'CERTIFICATE'));
      writeFileSync(file(`${name}-holder.key`), chain.holder.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
      writeFileSync(file(`${name}-ica.pem`), toPem(chain.ica.der, 'CERTIFICATE'));
      writeFileSync(file(`${name}-root.pem`), toPem(chain.root.der, 'CERTIFICATE'));
      writeFileSync(file(`${name}-ica.crl`), toPem(chain.crls[1], 'X509 CRL'));
    }
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const opensslSign = (name: string, extra: string[] = []): Buffer => {
    const out = file(`${name}-${extra.length}.p7s`);
    execFileSync('openssl', [
      'cms', '-sign', '-binary', '-cades', '-md', 'sha256',
      '-in', file('document.json'),
      '-signer', file(`${name}-holder.pem`), '-inkey', file(`${name}-holder.key`),
      '-certfile', file(`${name}-ica.pem`),
      '-outform', 'DER', '-out', out,
      ...extra,
    ]);
    return readFileSync(out);
  };

  const acceptsNow = (chain: TestChain, signature: Buffer): void => {
    // OpenSSL stamps the real clock as signingTime: verify as of now.
    const verdict = verifyAgainst(pki, chain, signature, { now: new Date() });
    expect(verdict.failures).toEqual([]);
    expect(verdict.valid).toBe(true);
  };

  it.each(['rsa', 'ec'] as const)('accepts `openssl cms -sign -cades` (detached, %s)', (name) => {
    acceptsNow(pki[name], opensslSign(name));
  });

  it('accepts an OpenSSL signature that names the signer by subjectKeyIdentifier (-keyid)', () => {
    acceptsNow(pki.ec, opensslSign('ec', ['-keyid']));
  });

  it('accepts an OpenSSL RSA-PSS signature', () => {
    acceptsNow(pki.rsa, opensslSign('rsa', ['-keyopt', 'rsa_padding_mode:pss']));
  });

  it('refuses an OpenSSL signature over other content: CONTENT_MISMATCH', () => {
    const verdict = verifyAgainst(pki, pki.ec, opensslSign('ec'), { now: new Date() }, Buffer.from('{"other":true}'));
    expect(verdict.failures).toEqual(['CONTENT_MISMATCH']);
  });

  it.each(['rsa', 'ec'] as const)('`openssl cms -verify` accepts our %s signature, chain to the root included', (name) => {
    const chain = pki[name];
    const ours = file(`${name}-ours.p7s`);
    writeFileSync(ours, signAs(pki, chain, chain.holder, { signingTime: new Date() }));
    const result = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-inform', 'DER', '-in', ours, '-content', file('document.json'), '-CAfile', file(`${name}-root.pem`), '-purpose', 'any', '-out', file(`${name}-out.json`)],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toContain('Verification successful');
    expect(result.status).toBe(0);
    expect(readFileSync(file(`${name}-out.json`)).equals(sampleDocument())).toBe(true);
  });

  it('`openssl cms -verify` refuses our signature over changed content', () => {
    const ours = file('ec-ours-2.p7s');
    writeFileSync(ours, signAs(pki, pki.ec, pki.ec.holder, { signingTime: new Date() }));
    writeFileSync(file('changed.json'), Buffer.concat([sampleDocument(), Buffer.from(' ')]));
    const result = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', ours, '-content', file('changed.json'), '-CAfile', file('ec-root.pem'), '-purpose', 'any'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });

  it.each(['rsa', 'ec'] as const)('`openssl verify -crl_check` accepts our %s certificates and CRL', (name) => {
    const result = spawnSync(
      'openssl',
      ['verify', '-crl_check', '-CAfile', file(`${name}-root.pem`), '-untrusted', file(`${name}-ica.pem`), '-CRLfile', file(`${name}-ica.crl`), file(`${name}-holder.pem`)],
      { encoding: 'utf8' },
    );
    expect(result.stdout.trim()).toMatch(/: OK$/);
  });

  it('`openssl x509` reads our Latvian names and qualified-certificate extensions', () => {
    const text = execFileSync('openssl', ['x509', '-in', file('ec-holder.pem'), '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus'], { encoding: 'utf8' });
    expect(text).toContain('Līga Ģertrūde Ķēniņa-Žuļeva');
    expect(text).toMatch(/Non Repudiation/);
    expect(text).toContain('0.4.0.194112.1.2');
    expect(text).toMatch(/qcStatements|1\.3\.6\.1\.5\.5\.7\.1\.3/);
  });
});
