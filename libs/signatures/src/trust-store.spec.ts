import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toPem } from './certificate';
import { ensureDemoPki } from './demo-pki';
import { signDetachedCades } from './sign';
import { isDemoAnchor, loadCrls, loadTrustAnchors } from './trust-store';
import { verifyDetachedCades } from './verify';
import { newFormatPersonalCode } from './testing/personal-codes';
import { sampleDocument } from './testing/scenario';
import { testPki } from './testing/test-pki';

const pki = testPki();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'atlauja-trust-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadTrustAnchors / loadCrls', () => {
  it('reads PEM (several blocks per file) and DER, by extension, and nothing else', () => {
    writeFileSync(join(dir, 'lv-eid.pem'), toPem(pki.ec.root.der, 'CERTIFICATE') + toPem(pki.ec.ica.der, 'CERTIFICATE'));
    writeFileSync(join(dir, 'eparaksts.der'), pki.rsa.root.der);
    writeFileSync(join(dir, 'README.txt'), 'not a certificate');
    const anchors = loadTrustAnchors(dir);
    expect(anchors.map((anchor) => anchor.sha256).sort()).toEqual([pki.ec.root.certificate.sha256, pki.ec.ica.certificate.sha256, pki.rsa.root.certificate.sha256].sort());
    expect(anchors.find((anchor) => anchor.source?.endsWith('eparaksts.der'))?.subject).toBe(pki.rsa.root.certificate.subject.text);
  });

  it('names the file that is not a certificate', () => {
    writeFileSync(join(dir, 'broken.crt'), 'garbage');
    expect(() => loadTrustAnchors(dir)).toThrow(/broken\.crt/);
  });

  it('reads CRLs as PEM and DER', () => {
    writeFileSync(join(dir, 'ica.crl'), pki.ec.crls[1]);
    writeFileSync(join(dir, 'root.pem'), toPem(pki.ec.crls[0], 'X509 CRL'));
    const crls = loadCrls(dir);
    expect(crls.map((crl) => crl.issuer.text).sort()).toEqual([pki.ec.ica.certificate.subject.text, pki.ec.root.certificate.subject.text].sort());
    expect(crls[0].number).toBe('1');
  });
});

describe('ensureDemoPki (local mode)', () => {
  const demoCode = newFormatPersonalCode('000000000');

  it('creates a DEMO anchor, a qualified-shaped demo signer and a current CRL, which verify together', () => {
    const demo = ensureDemoPki(dir, demoCode);
    const anchors = loadTrustAnchors(demo.trustedCaDir);
    expect(anchors).toHaveLength(1);
    expect(anchors[0].subject).toContain('DEMO — not a trusted qualified CA');
    expect(isDemoAnchor(anchors[0])).toBe(true);
    expect(statSync(demo.signerKeyPath).mode & 0o077).toBe(0);

    const signature = signDetachedCades(sampleDocument(), {
      key: readFileSync(demo.signerKeyPath, 'utf8'),
      certificate: readFileSync(demo.signerCertificatePath, 'utf8'),
      signingTime: new Date(Date.now() - 1000),
    });
    const verdict = verifyDetachedCades(signature, sampleDocument(), {
      trustAnchors: anchors,
      crls: loadCrls(demo.crlDir),
      now: new Date(),
      expectedPersonalCode: demoCode,
    });
    expect(verdict.failures).toEqual([]);
  });

  it('is idempotent, reissues the signer for another personal code, and renews a CRL near its end', () => {
    const first = ensureDemoPki(dir, demoCode);
    const root = readFileSync(first.rootCertificatePath, 'utf8');
    const signer = readFileSync(first.signerCertificatePath, 'utf8');
    const crl = readFileSync(first.crlPath, 'utf8');
    ensureDemoPki(dir, demoCode);
    expect(readFileSync(first.signerCertificatePath, 'utf8')).toBe(signer);
    expect(readFileSync(first.crlPath, 'utf8')).toBe(crl);

    ensureDemoPki(dir, newFormatPersonalCode('111111111'), new Date(Date.now() + 40 * 24 * 60 * 60 * 1000));
    expect(readFileSync(first.rootCertificatePath, 'utf8')).toBe(root);
    expect(readFileSync(first.signerCertificatePath, 'utf8')).not.toBe(signer);
    const renewed = loadCrls(first.crlDir);
    expect(renewed[0].number).toBe('2');
  });

  it('real anchors are not demo anchors', () => {
    expect(isDemoAnchor(pki.ec.anchor)).toBe(false);
    expect(isDemoAnchor(pki.rsa.anchor)).toBe(false);
  });
});
