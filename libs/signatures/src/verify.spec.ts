import { createHash } from 'node:crypto';
import { newKeyPair } from './key-pair';
import forge from 'node-forge';
import { toDer } from './asn1';
import { OID } from './oids';
import { trustAnchorFrom } from './trust-store';
import { Verdict } from './verdict';
import { encodeName, issueCertificate, keyIdentifier } from './x509-builder';
import { SAMPLE_APPLICATION, sampleDocument, signAs, verifyAgainst, signingTimeOf } from './testing/scenario';
import { personName, testPki } from './testing/test-pki';
import { newFormatPersonalCode } from './testing/personal-codes';

const pki = testPki();
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number): Date => new Date(pki.now.getTime() + days * DAY);

/** The failed codes, and a guard that a refusal is for the stated reason only. */
function expectRefusedFor(verdict: Verdict, ...codes: string[]): void {
  expect(verdict.valid).toBe(false);
  expect([...verdict.failures].sort()).toEqual([...codes].sort());
}

describe('verifyDetachedCades — accepted', () => {
  it.each([
    ['RSA PKCS#1 v1.5, SHA-256', 'rsa', {}],
    ['RSA PKCS#1 v1.5, SHA-512', 'rsa', { hash: 'sha512' }],
    ['RSA-PSS, SHA-256', 'rsa', { pss: true }],
    ['RSA-PSS, SHA-384', 'rsa', { pss: true, hash: 'sha384' }],
    ['ECDSA P-384 (LV eID 2025 shape), SHA-256', 'ec', {}],
    ['ECDSA P-384, SHA-384', 'ec', { hash: 'sha384' }],
    ['ECDSA P-384, SHA-512', 'ec', { hash: 'sha512' }],
    ['signingCertificate v1 instead of v2', 'ec', { signingCertificateAttribute: 'v1' }],
  ] as const)('%s', (_label, chainName, options) => {
    const chain = pki[chainName];
    const verdict = verifyAgainst(pki, chain, signAs(pki, chain, chain.holder, options));
    expect(verdict.failures).toEqual([]);
    expect(verdict.valid).toBe(true);
    expect(verdict.signedAt).toBe(signingTimeOf(pki).toISOString());
    expect(verdict.signer).toEqual({
      personalCode: chain.personalCode,
      subject: chain.holder.certificate.subject.text,
      serialNumber: chain.holder.certificate.serialHex,
      issuer: chain.ica.certificate.subject.text,
    });
    expect(verdict.checks.every((check) => check.ok)).toBe(true);
  });

  it('decodes UTF8String names with Latvian diacritics', () => {
    const verdict = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec));
    expect(verdict.signer?.subject).toContain('CN=Līga Ģertrūde Ķēniņa-Žuļeva');
    expect(verdict.signer?.issuer).toContain('O=Valsts reģionālās attīstības aģentūra (testa vide)');
  });

  it('keeps personal codes out of check details (they are masked)', () => {
    const verdict = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec));
    const details = verdict.checks.map((check) => check.detail).join('\n');
    expect(details).not.toContain(pki.ec.personalCode);
    expect(details).toContain('PNOLV-321234-*****');
  });

  it('records evidence: signature, content hash, chain up to the anchor, anchor hash, CRLs', () => {
    const signature = signAs(pki, pki.rsa);
    const { evidence } = verifyAgainst(pki, pki.rsa, signature);
    expect(evidence.signatureB64).toBe(signature.toString('base64'));
    expect(evidence.contentSha256).toBe(createHash('sha256').update(sampleDocument()).digest('hex'));
    expect(evidence.certificatesB64).toEqual([pki.rsa.holder.der, pki.rsa.ica.der, pki.rsa.root.der].map((der) => der.toString('base64')));
    expect(evidence.trustAnchorSha256).toBe(pki.rsa.anchor.sha256);
    expect(evidence.crls).toHaveLength(2);
    expect(evidence.crls[0]).toMatchObject({ number: '1', issuer: pki.rsa.ica.certificate.subject.text });
    expect(evidence.checkedAt).toBe(pki.now.toISOString());
  });

  it('accepts an intermediate CA configured as the trust anchor (the EU trusted list lists issuing CAs)', () => {
    const verdict = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { trustAnchors: [trustAnchorFrom(pki.ec.ica.der)] });
    expect(verdict.failures).toEqual([]);
  });
});

describe('verifyDetachedCades — refused, each with its code', () => {
  it('one changed content byte: CONTENT_MISMATCH', () => {
    const content = Buffer.from(sampleDocument());
    content[content.length - 5] ^= 0x01;
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), {}, content), 'CONTENT_MISMATCH');
  });

  it.each(['rsa', 'ec'] as const)('one changed signature byte (%s): SIGNATURE_INVALID', (chainName) => {
    const signature = Buffer.from(signAs(pki, pki[chainName]));
    signature[signature.length - 1] ^= 0x01; // the last octet of SignerInfo.signature
    expectRefusedFor(verifyAgainst(pki, pki[chainName], signature), 'SIGNATURE_INVALID');
  });

  it('a same-name anchor with another key (even the same key identifier): CHAIN_UNTRUSTED', () => {
    const impostorKeys = newKeyPair({ type: 'ec', namedCurve: 'secp521r1' });
    const realKeyId = pki.ec.root.certificate.extensions.subjectKeyId as Buffer;
    const impostor = issueCertificate({
      subject: pki.ec.rootName,
      publicKey: impostorKeys.publicKey,
      issuer: { name: encodeName(pki.ec.rootName), privateKey: impostorKeys.privateKey, keyId: realKeyId },
      subjectKeyId: realKeyId,
      notBefore: at(-365),
      notAfter: at(365),
      ca: {},
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    expect(trustAnchorFrom(impostor).subject).toBe(pki.ec.anchor.subject);
    const verdict = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { trustAnchors: [trustAnchorFrom(impostor)] });
    expectRefusedFor(verdict, 'CHAIN_UNTRUSTED');
    expect(verdict.evidence.trustAnchorSha256).toBe('');
  });

  it('an expired certificate: CERT_EXPIRED', () => {
    const expired = pki.ec.issueHolder({ notBefore: at(-3 * 365), notAfter: at(-1) });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, expired)), 'CERT_EXPIRED');
  });

  it('a certificate not yet valid at signing time: CERT_NOT_YET_VALID', () => {
    const early = pki.ec.issueHolder({ notBefore: at(1), notAfter: at(365) });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, early)), 'CERT_NOT_YET_VALID');
  });

  it('a certificate on the CRL: CERT_REVOKED', () => {
    const crl = pki.ec.icaCrl({ number: 2, revoked: [{ serial: pki.ec.holder.certificate.serial, revokedAt: at(-2), reason: 1 }] });
    const verdict = verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { crls: [pki.ec.rootCrl(), crl] });
    expectRefusedFor(verdict, 'CERT_REVOKED');
    expect(verdict.checks.find((check) => check.code === 'CERT_REVOKED' && !check.ok)?.detail).toContain('reason 1');
  });

  it('a CRL with a bad signature: CRL_INVALID', () => {
    const crl = Buffer.from(pki.ec.icaCrl());
    crl[crl.length - 1] ^= 0x01;
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { crls: [pki.ec.rootCrl(), crl] }), 'CRL_INVALID');
  });

  it('a CRL signed by another CA under the same name: CRL_INVALID', () => {
    const otherKeys = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const forged = pki.ec.icaCrl({ issuer: { ...pki.ec.ica.asIssuer, privateKey: otherKeys.privateKey } });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { crls: [pki.ec.rootCrl(), forged] }), 'CRL_INVALID');
  });

  it('a stale CRL: CRL_STALE', () => {
    const stale = pki.ec.icaCrl({ thisUpdate: at(-10), nextUpdate: at(-3) });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { crls: [pki.ec.rootCrl(), stale] }), 'CRL_STALE');
  });

  it('a stale CRL beside a current one is not a failure (the newest current CRL is used)', () => {
    const stale = pki.ec.icaCrl({ thisUpdate: at(-10), nextUpdate: at(-3) });
    expect(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec), { crls: [...pki.ec.crls, stale] }).failures).toEqual([]);
  });

  it("no CRL for the holder's issuer: REVOCATION_UNKNOWN by default, accepted under 'allow-unknown'", () => {
    const signature = signAs(pki, pki.ec);
    const onlyRootCrl = { crls: [pki.ec.rootCrl()] };
    expectRefusedFor(verifyAgainst(pki, pki.ec, signature, onlyRootCrl), 'REVOCATION_UNKNOWN');
    const allowed = verifyAgainst(pki, pki.ec, signature, { ...onlyRootCrl, revocationPolicy: 'allow-unknown' });
    expect(allowed.valid).toBe(true);
    expect(allowed.checks.find((check) => check.code === 'REVOCATION_UNKNOWN')?.detail).toContain('unknown');
  });

  it('a certificate without QCStatements: NOT_QUALIFIED', () => {
    const plain = pki.ec.issueHolder({ qcStatements: undefined });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, plain)), 'NOT_QUALIFIED');
  });

  it('a qualified certificate for e-seals, or one without QcSSCD: NOT_QUALIFIED', () => {
    const eseal = pki.ec.issueHolder({ qcStatements: { compliance: true, sscd: true, types: ['0.4.0.1862.1.6.2'] } });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, eseal)), 'NOT_QUALIFIED');
    const noDevice = pki.ec.issueHolder({ qcStatements: { compliance: true, sscd: false, types: [OID.qcTypeEsign] } });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, noDevice)), 'NOT_QUALIFIED');
  });

  it('a certificate without nonRepudiation: NOT_NON_REPUDIATION', () => {
    const authentication = pki.ec.issueHolder({ keyUsage: ['digitalSignature'] });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, authentication)), 'NOT_NON_REPUDIATION');
  });

  it("another person's certificate: SIGNER_MISMATCH", () => {
    const keys = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const otherPerson = pki.ec.issueHolder({
      subject: personName('Pēteris', 'Ozoliņš', newFormatPersonalCode('987654321')),
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
    });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, otherPerson)), 'SIGNER_MISMATCH');
  });

  it('a missing signingCertificateV2: MISSING_SIGNING_CERTIFICATE', () => {
    const signature = signAs(pki, pki.ec, pki.ec.holder, { signingCertificateAttribute: 'none' });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signature), 'MISSING_SIGNING_CERTIFICATE');
  });

  it('a signingCertificateV2 naming another certificate: SIGNING_CERTIFICATE_MISMATCH', () => {
    const sameKeyOtherCertificate = pki.ec.issueHolder();
    const signature = signAs(pki, pki.ec, pki.ec.holder, { signingCertificateReference: sameKeyOtherCertificate.der });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signature), 'SIGNING_CERTIFICATE_MISMATCH');
  });

  it('an attached instead of a detached signature: NOT_DETACHED', () => {
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, pki.ec.holder, { attached: true })), 'NOT_DETACHED');
  });

  it('a signing time in the future: SIGNING_TIME_INVALID', () => {
    const signature = signAs(pki, pki.ec, pki.ec.holder, { signingTime: new Date(pki.now.getTime() + 60 * 60 * 1000) });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signature), 'SIGNING_TIME_INVALID');
  });

  it('a signing time before the document was issued (earliestSigningTime): SIGNING_TIME_INVALID', () => {
    const backdated = signAs(pki, pki.ec, pki.ec.holder, { signingTime: at(-1) });
    const verdict = verifyAgainst(pki, pki.ec, backdated, { earliestSigningTime: at(-0.5) });
    expectRefusedFor(verdict, 'SIGNING_TIME_INVALID');
  });

  it('two SignerInfos: SIGNER_COUNT', () => {
    const cms = forge.asn1.fromDer(forge.util.createBuffer(signAs(pki, pki.ec).toString('binary')));
    const signedData = ((cms.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    const signerInfos = signedData[signedData.length - 1].value as forge.asn1.Asn1[];
    signerInfos.push(signerInfos[0]);
    expectRefusedFor(verifyAgainst(pki, pki.ec, toDer(cms)), 'SIGNER_COUNT');
  });

  it('a key on a curve outside P-256/384/521: ALGORITHM_UNSUPPORTED', () => {
    const keys = newKeyPair({ type: 'ec', namedCurve: 'secp256k1' });
    const holder = pki.ec.issueHolder({ publicKey: keys.publicKey, privateKey: keys.privateKey });
    expectRefusedFor(verifyAgainst(pki, pki.ec, signAs(pki, pki.ec, holder)), 'ALGORITHM_UNSUPPORTED');
  });

  it('an issuer that is not a CA: ISSUER_NOT_CA', () => {
    const keys = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const name = [[OID.country, 'LV'], [OID.commonName, 'Nav CA']] as [string, string][];
    const fakeIca = issueCertificate({
      subject: name,
      publicKey: keys.publicKey,
      issuer: pki.ec.root.asIssuer,
      notBefore: at(-10),
      notAfter: at(365),
      keyUsage: ['digitalSignature'],
    });
    const holder = pki.ec.issueHolder({ issuer: { name: encodeName(name), privateKey: keys.privateKey, keyId: keyIdentifier(keys.publicKey) } });
    const signature = signAs(pki, pki.ec, holder, { chain: [fakeIca] });
    // No CRL from the fake issuer either: revocation is unknown, which is allowed here to isolate the code.
    const verdict = verifyAgainst(pki, pki.ec, signature, { revocationPolicy: 'allow-unknown' });
    expectRefusedFor(verdict, 'ISSUER_NOT_CA');
  });

  it('a signer certificate left out of the signature: MISSING_SIGNER_CERTIFICATE', () => {
    const cms = forge.asn1.fromDer(forge.util.createBuffer(signAs(pki, pki.ec).toString('binary')));
    const signedData = ((cms.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
    (signedData[3].value as forge.asn1.Asn1[]).shift(); // certificates [0]: signer first
    const verdict = verifyAgainst(pki, pki.ec, toDer(cms));
    expectRefusedFor(verdict, 'MISSING_SIGNER_CERTIFICATE');
  });

  it('reports every failed check, not just the first', () => {
    const keys = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const everythingWrong = pki.ec.issueHolder({
      subject: personName('Pēteris', 'Ozoliņš', newFormatPersonalCode('987654321')),
      publicKey: keys.publicKey,
      privateKey: keys.privateKey,
      notAfter: at(-1),
      notBefore: at(-400),
      qcStatements: undefined,
      keyUsage: ['digitalSignature'],
    });
    const signature = signAs(pki, pki.ec, everythingWrong, { signingCertificateAttribute: 'none' });
    const content = Buffer.from(JSON.stringify(SAMPLE_APPLICATION));
    expectRefusedFor(
      verifyAgainst(pki, pki.ec, signature, { crls: [] }, content),
      'CONTENT_MISMATCH',
      'MISSING_SIGNING_CERTIFICATE',
      'CERT_EXPIRED',
      'NOT_QUALIFIED',
      'NOT_NON_REPUDIATION',
      'SIGNER_MISMATCH',
      'REVOCATION_UNKNOWN',
    );
  });
});
