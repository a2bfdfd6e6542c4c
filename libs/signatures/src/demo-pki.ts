/**
 * Local mode only: a DEMO root CA, a qualified-shaped demo signer and a current CRL, generated
 * on first start under `<dataDir>/demo-pki/`. The root's subject says it is not a trusted
 * qualified CA, and `isDemoAnchor` recognizes it so that server mode refuses to start with it.
 * Built with node:crypto and node-forge only (no devDependency at runtime).
 */
import { createPrivateKey, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Certificate, certificateDer, parseCertificate, toPem } from './certificate';
import { parseCrl } from './crl';
import { OID } from './oids';
import { normalizePersonalCode, personalCodeFromSerialNumber, serialNumberForPersonalCode } from './personal-code';
import { DEMO_ANCHOR_MARK, derBlocks } from './trust-store';
import { IssuerSpec, NameSpec, encodeName, issueCertificate, issueCrl, keyIdentifier } from './x509-builder';
import { newKeyPair } from './key-pair';

export interface DemoPki {
  dir: string;
  /** Use as TRUSTED_CA_DIR in local mode: holds only the demo root certificate. */
  trustedCaDir: string;
  /** Use as CRL_DIR in local mode. */
  crlDir: string;
  rootCertificatePath: string;
  crlPath: string;
  signerCertificatePath: string;
  /** PKCS#8 PEM, mode 0600: for the README walk-through (`openssl cms -sign …`). */
  signerKeyPath: string;
  /** The DEMO time-stamping authority (timeStamping EKU, issued by the demo root): local mode completes B-level signatures with it. */
  tsaCertificatePath: string;
  tsaKeyPath: string;
}

const DAY = 24 * 60 * 60 * 1000;
const CRL_LIFETIME_DAYS = 30;
const DEMO_ROOT_NAME: NameSpec = [
  [OID.country, 'LV'],
  [OID.organization, 'Atļauja vietējā demonstrācija'],
  [OID.commonName, DEMO_ANCHOR_MARK],
];

export function ensureDemoPki(dataDir: string, personalCode: string, now: Date = new Date()): DemoPki {
  const normalized = normalizePersonalCode(personalCode);
  if (!normalized) throw new Error('ensureDemoPki: the demo personal code must have 11 digits');
  const dir = join(dataDir, 'demo-pki');
  const paths: DemoPki = {
    dir,
    trustedCaDir: join(dir, 'trusted'),
    crlDir: join(dir, 'crl'),
    rootCertificatePath: join(dir, 'trusted', 'demo-root.crt'),
    crlPath: join(dir, 'crl', 'demo-root.crl'),
    signerCertificatePath: join(dir, 'signer', 'demo-signer.crt'),
    signerKeyPath: join(dir, 'private', 'demo-signer.key'),
    tsaCertificatePath: join(dir, 'signer', 'demo-tsa.crt'),
    tsaKeyPath: join(dir, 'private', 'demo-tsa.key'),
  };
  const rootKeyPath = join(dir, 'private', 'demo-root.key');
  for (const folder of ['trusted', 'crl', 'signer', 'private']) mkdirSync(join(dir, folder), { recursive: true });
  chmodSync(join(dir, 'private'), 0o700);

  if (!existsSync(paths.rootCertificatePath) || !existsSync(rootKeyPath)) {
    const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const issuer: IssuerSpec = { name: encodeName(DEMO_ROOT_NAME), privateKey, keyId: keyIdentifier(publicKey) };
    const der = issueCertificate({
      subject: DEMO_ROOT_NAME,
      publicKey,
      issuer,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 10 * 365 * DAY),
      ca: { pathLength: 0 },
      keyUsage: ['keyCertSign', 'cRLSign'],
    });
    writePrivate(rootKeyPath, privateKey);
    writeFileSync(paths.rootCertificatePath, toPem(der, 'CERTIFICATE'));
  }
  const root = parseCertificate(certificateDer(readFileSync(paths.rootCertificatePath)));
  const rootIssuer: IssuerSpec = {
    name: root.subject.der,
    privateKey: createPrivateKey(readFileSync(rootKeyPath)),
    keyId: keyIdentifier(root.x509.publicKey),
  };

  if (!signerUsable(paths.signerCertificatePath, normalized, root, now)) {
    const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const der = issueCertificate({
      subject: [
        [OID.country, 'LV'],
        [OID.surname, 'Paraugs'],
        [OID.givenName, 'Jānis'],
        [OID.serialNumber, serialNumberForPersonalCode(normalized)],
        [OID.commonName, 'DEMO Jānis Paraugs'],
      ],
      publicKey,
      issuer: rootIssuer,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 2 * 365 * DAY),
      keyUsage: ['nonRepudiation'],
      qcStatements: { compliance: true, sscd: true, types: [OID.qcTypeEsign] },
      policies: [OID.qcpNaturalQscd],
    });
    writePrivate(paths.signerKeyPath, privateKey);
    writeFileSync(paths.signerCertificatePath, toPem(der, 'CERTIFICATE'));
  }

  if (!tsaUsable(paths, root, now)) {
    const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'secp384r1' });
    const der = issueCertificate({
      subject: [
        [OID.country, 'LV'],
        [OID.organization, 'Atļauja vietējā demonstrācija'],
        [OID.commonName, 'DEMO laika zīmogs — not a qualified TSA'],
      ],
      publicKey,
      issuer: rootIssuer,
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 2 * 365 * DAY),
      keyUsage: ['digitalSignature'],
      extendedKeyUsage: { purposes: [OID.kpTimeStamping], critical: true },
    });
    writePrivate(paths.tsaKeyPath, privateKey);
    writeFileSync(paths.tsaCertificatePath, toPem(der, 'CERTIFICATE'));
  }

  const previous = existsSync(paths.crlPath) ? parseCrl(derBlocks(readFileSync(paths.crlPath), 'X509 CRL')[0]) : undefined;
  const stillCurrent = previous?.nextUpdate && previous.nextUpdate.getTime() > now.getTime() + DAY && previous.issuer.der.equals(root.subject.der);
  if (!stillCurrent) {
    const der = issueCrl({
      issuer: rootIssuer,
      thisUpdate: new Date(now.getTime() - 60 * 1000),
      nextUpdate: new Date(now.getTime() + CRL_LIFETIME_DAYS * DAY),
      number: Number(previous?.number ?? 0) + 1,
    });
    writeFileSync(paths.crlPath, toPem(der, 'X509 CRL'));
  }
  return paths;
}

function signerUsable(path: string, personalCode: string, root: Certificate, now: Date): boolean {
  if (!existsSync(path)) return false;
  const signer = parseCertificate(certificateDer(readFileSync(path)));
  return (
    personalCodeFromSerialNumber(signer.subjectSerialNumber) === personalCode &&
    signer.issuer.der.equals(root.subject.der) &&
    signer.x509.verify(root.x509.publicKey) &&
    signer.notAfter.getTime() > now.getTime() + 30 * DAY
  );
}

function tsaUsable(paths: DemoPki, root: Certificate, now: Date): boolean {
  if (!existsSync(paths.tsaCertificatePath) || !existsSync(paths.tsaKeyPath)) return false;
  const tsa = parseCertificate(certificateDer(readFileSync(paths.tsaCertificatePath)));
  return tsa.issuer.der.equals(root.subject.der) && tsa.x509.verify(root.x509.publicKey) && tsa.notAfter.getTime() > now.getTime() + 30 * DAY;
}

function writePrivate(path: string, key: KeyObject): void {
  writeFileSync(path, key.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
}
