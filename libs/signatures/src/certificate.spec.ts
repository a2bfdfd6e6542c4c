import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { parseCertificate } from './certificate';
import { parseCrl } from './crl';
import { OID } from './oids';
import { LATVIAN_LETTERS, testPki } from './testing/test-pki';
import { isValidOldFormat } from './testing/personal-codes';
import { normalizePersonalCode, personalCodeFromSerialNumber } from './personal-code';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
const pki = testPki();

describe('certificate parsing', () => {
  it('reads the qualified-certificate fields of the LV eID-shaped holder', () => {
    const holder = parseCertificate(pki.ec.holder.der);
    expect(holder.extensions.keyUsage).toEqual(new Set(['nonRepudiation']));
    expect(holder.extensions.qcStatements).toEqual({ statementIds: [OID.qcCompliance, OID.qcSscd, OID.qcType], qcTypes: [OID.qcTypeEsign] });
    expect(holder.extensions.policies).toEqual([OID.qcpNaturalQscd]);
    expect(holder.extensions.basicConstraints).toEqual({ ca: false, pathLength: undefined });
    expect(holder.x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(personalCodeFromSerialNumber(holder.subjectSerialNumber)).toBe(pki.ec.personalCode);
    expect(holder.serialHex).toBe(holder.x509.serialNumber.toUpperCase());
  });

  it('reads CA flags, path length and key identifiers', () => {
    const ica = parseCertificate(pki.ec.ica.der);
    expect(ica.extensions.basicConstraints).toEqual({ ca: true, pathLength: 0 });
    expect(ica.extensions.keyUsage).toEqual(new Set(['keyCertSign', 'cRLSign']));
    expect(ica.extensions.authorityKeyId?.equals(pki.ec.root.certificate.extensions.subjectKeyId as Buffer)).toBe(true);
    expect(ica.x509.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp521r1');
  });

  it('decodes every Latvian diacritic in UTF8String names', () => {
    const names = [pki.rsa, pki.ec].flatMap((chain) => [chain.holder, chain.ica, chain.root].map((party) => party.certificate.subject.text)).join(' ');
    for (const letter of LATVIAN_LETTERS) expect(names.toLowerCase()).toContain(letter);
  });

  it('agrees with an independent parser (@peculiar/x509) on names, serials and extensions', () => {
    for (const party of [pki.rsa.holder, pki.ec.holder, pki.ec.ica]) {
      const theirs = new x509.X509Certificate(party.der);
      const ours = parseCertificate(party.der);
      expect(ours.serialHex.replace(/^0+/, '').toLowerCase()).toBe(theirs.serialNumber.replace(/^0+/, '').toLowerCase());
      expect(theirs.subjectName.getField('CN')).toEqual([ours.subject.attributes.find((a) => a.oid === OID.commonName)?.value]);
      expect(theirs.subjectName.getField('2.5.4.5')).toEqual([ours.subjectSerialNumber]);
      const keyUsage = theirs.getExtension(x509.KeyUsagesExtension);
      expect(Boolean(keyUsage && keyUsage.usages & x509.KeyUsageFlags.nonRepudiation)).toBe(ours.extensions.keyUsage?.has('nonRepudiation'));
      expect(Buffer.from(theirs.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId ?? '', 'hex').equals(ours.extensions.subjectKeyId as Buffer)).toBe(true);
    }
  });

  it('reads a CRL: issuer, number, dates, revoked serials with reason', () => {
    const revokedSerial = pki.ec.holder.certificate.serial;
    const crl = parseCrl(pki.ec.icaCrl({ number: 4242, revoked: [{ serial: revokedSerial, revokedAt: pki.now, reason: 1 }] }));
    expect(crl.number).toBe('4242');
    expect(crl.issuer.text).toBe(pki.ec.ica.certificate.subject.text);
    expect(crl.revoked.get(pki.ec.holder.certificate.serialHex)).toEqual({ revokedAt: pki.now, reason: 1 });
    expect(crl.nextUpdate?.getTime()).toBeGreaterThan(crl.thisUpdate.getTime());
  });
});

describe('personal codes', () => {
  it('normalizes and reads PNOLV- identifiers; the test codes are valid', () => {
    expect(normalizePersonalCode('32123456789')).toBe('321234-56789');
    expect(normalizePersonalCode('321234-5678')).toBeUndefined();
    expect(personalCodeFromSerialNumber('PNOLV-321234-56789')).toBe('321234-56789');
    expect(personalCodeFromSerialNumber('PNOEE-38001085718')).toBeUndefined();
    expect(isValidOldFormat(pki.rsa.personalCode)).toBe(true);
    expect(pki.ec.personalCode.startsWith('32')).toBe(true);
  });
});
