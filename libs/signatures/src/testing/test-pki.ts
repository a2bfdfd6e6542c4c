/**
 * A test PKI, generated once per test file (module-level memo) and at run time (nothing on disk):
 * - RSA chain: RSA-2048 root, intermediate and holder. LV CAs use RSA-4096; key size is not
 *   under test here and 2048 keeps key generation fast.
 * - EC chain shaped like LV eID 2025: P-521 root and intermediate (SHA-512), P-384 holder.
 * Holders are qualified-shaped (QCStatements, nonRepudiation, QCP-n-qscd, `PNOLV-` serialNumber
 * with a valid personal code), names in UTF-8 with Latvian diacritics. Validity is relative to
 * the real clock so that OpenSSL, which verifies "now", agrees.
 */
import { KeyObject } from 'node:crypto';
import { Certificate, parseCertificate } from '../certificate';
import { OID } from '../oids';
import { serialNumberForPersonalCode } from '../personal-code';
import { TrustAnchor, trustAnchorFrom } from '../trust-store';
import { CertificateSpec, CrlSpec, IssuerSpec, NameSpec, encodeName, issueCertificate, issueCrl, keyIdentifier } from '../x509-builder';
import { newFormatPersonalCode, oldFormatPersonalCode } from './personal-codes';
import { newKeyPair } from '../key-pair';

export interface Party {
  privateKey: KeyObject;
  publicKey: KeyObject;
  der: Buffer;
  certificate: Certificate;
  /** For issuing below this party. */
  asIssuer: IssuerSpec;
}

export interface TestChain {
  root: Party;
  ica: Party;
  holder: Party;
  rootName: NameSpec;
  holderName: NameSpec;
  personalCode: string;
  anchor: TrustAnchor;
  /** Current CRLs of the root (for the intermediate) and of the intermediate (for holders), nobody revoked. */
  crls: Buffer[];
  /** Another holder certificate for the same key (or `publicKey`), with spec overrides. */
  issueHolder(overrides?: Partial<CertificateSpec> & { privateKey?: KeyObject }): Party;
  /** An authorized OCSP responder of the intermediate (id-kp-OCSPSigning, issued by it). */
  ocspResponder: Party;
  /** A CRL of the intermediate, current unless overridden. */
  icaCrl(overrides?: Partial<CrlSpec>): Buffer;
  rootCrl(overrides?: Partial<CrlSpec>): Buffer;
}

export interface TestPki {
  /** The reference time: certificates and CRLs are current at it. */
  now: Date;
  rsa: TestChain;
  ec: TestChain;
  /** A time-stamping authority issued by the RSA root (timeStamping EKU, critical). */
  tsa: Party;
}

/** Ā, č, ē, ģ, ī, ķ, ļ, ņ, š, ū, ž — all of them appear in the test names. */
export const LATVIAN_LETTERS = 'āčēģīķļņšūž';

const DAY = 24 * 60 * 60 * 1000;
let cached: TestPki | undefined;

export function testPki(): TestPki {
  cached ??= createTestPki(new Date(Math.floor(Date.now() / 1000) * 1000));
  return cached;
}

function createTestPki(now: Date): TestPki {
  const rsa = createChain(now, {
      keys: () => newKeyPair({ type: 'rsa', modulusLength: 2048 }),
      icaKeys: () => newKeyPair({ type: 'rsa', modulusLength: 2048 }),
      holderKeys: () => newKeyPair({ type: 'rsa', modulusLength: 2048 }),
      rootCn: 'Testa Saknes CA RSA — ķēdes pārbaudei',
      icaCn: 'eParaksts Testa ICA 2021',
      personalCode: oldFormatPersonalCode('150385', 1, 234),
      holderName: { given: 'Jānis', surname: 'Bērziņš-Čakste' },
    });
  const ec = createChain(now, {
      keys: () => newKeyPair({ type: 'ec', namedCurve: 'secp521r1' }),
      icaKeys: () => newKeyPair({ type: 'ec', namedCurve: 'secp521r1' }),
      holderKeys: () => newKeyPair({ type: 'ec', namedCurve: 'secp384r1' }),
      rootCn: 'LV eID Testa Saknes CA 2025',
      icaCn: 'LV eID Testa ICA 2025',
      personalCode: newFormatPersonalCode('123456789'),
      holderName: { given: 'Līga Ģertrūde', surname: 'Ķēniņa-Žuļeva' },
    });
  return { now, rsa, ec, tsa: issueTsa(now, rsa.root) };
}

function issueTsa(now: Date, root: Party): Party {
  const keys = newKeyPair({ type: 'rsa', modulusLength: 2048 });
  return party(keys, undefined, {
    subject: [
      [OID.country, 'LV'],
      [OID.organization, 'Latvijas Valsts radio un televīzijas centrs (testa vide)'],
      [OID.commonName, 'Testa kvalificētais laika zīmogs'],
    ],
    publicKey: keys.publicKey,
    issuer: root.asIssuer,
    notBefore: new Date(now.getTime() - 2 * 365 * DAY),
    notAfter: new Date(now.getTime() + 5 * 365 * DAY),
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: { purposes: [OID.kpTimeStamping], critical: true },
  });
}

interface ChainShape {
  keys: () => { privateKey: KeyObject; publicKey: KeyObject };
  icaKeys: () => { privateKey: KeyObject; publicKey: KeyObject };
  holderKeys: () => { privateKey: KeyObject; publicKey: KeyObject };
  rootCn: string;
  icaCn: string;
  personalCode: string;
  holderName: { given: string; surname: string };
}

function createChain(now: Date, shape: ChainShape): TestChain {
  const at = (days: number): Date => new Date(now.getTime() + days * DAY);
  const organization = 'Valsts reģionālās attīstības aģentūra (testa vide)';
  const rootName: NameSpec = [
    [OID.country, 'LV'],
    [OID.organization, organization],
    [OID.commonName, shape.rootCn],
  ];
  const rootKeys = shape.keys();
  const rootIssuer: IssuerSpec = { name: encodeName(rootName), privateKey: rootKeys.privateKey, keyId: keyIdentifier(rootKeys.publicKey) };
  const root = party(rootKeys, rootIssuer, {
    subject: rootName,
    publicKey: rootKeys.publicKey,
    issuer: rootIssuer,
    notBefore: at(-5 * 365),
    notAfter: at(15 * 365),
    ca: {},
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const icaName: NameSpec = [
    [OID.country, 'LV'],
    [OID.organization, organization],
    [OID.organizationIdentifier, 'NTRLV-40003132437'],
    [OID.commonName, shape.icaCn],
  ];
  const icaKeys = shape.icaKeys();
  const ica = party(icaKeys, { name: encodeName(icaName), privateKey: icaKeys.privateKey, keyId: keyIdentifier(icaKeys.publicKey) }, {
    subject: icaName,
    publicKey: icaKeys.publicKey,
    issuer: root.asIssuer,
    notBefore: at(-3 * 365),
    notAfter: at(10 * 365),
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
  const holderName = personName(shape.holderName.given, shape.holderName.surname, shape.personalCode);
  const holderKeys = shape.holderKeys();
  const holderSpec = (overrides: Partial<CertificateSpec>, publicKey: KeyObject): CertificateSpec => ({
    subject: holderName,
    publicKey,
    issuer: ica.asIssuer,
    notBefore: at(-365),
    notAfter: at(4 * 365),
    keyUsage: ['nonRepudiation'],
    qcStatements: { compliance: true, sscd: true, types: [OID.qcTypeEsign] },
    policies: [OID.qcpNaturalQscd],
    ...overrides,
  });
  const issueHolder = (overrides: Partial<CertificateSpec> & { privateKey?: KeyObject } = {}): Party => {
    const { privateKey = holderKeys.privateKey, ...spec } = overrides;
    const publicKey = spec.publicKey ?? holderKeys.publicKey;
    return party({ privateKey, publicKey }, undefined, holderSpec(spec, publicKey));
  };
  const responderKeys = shape.holderKeys();
  const ocspResponder = party(responderKeys, undefined, {
    subject: [
      [OID.country, 'LV'],
      [OID.organization, organization],
      [OID.commonName, `${shape.icaCn} OCSP`],
    ],
    publicKey: responderKeys.publicKey,
    issuer: ica.asIssuer,
    notBefore: at(-30),
    notAfter: at(365),
    keyUsage: ['digitalSignature'],
    extendedKeyUsage: { purposes: [OID.kpOcspSigning], critical: false },
  });
  const crlOf = (issuer: IssuerSpec) => (overrides: Partial<CrlSpec> = {}): Buffer =>
    issueCrl({ issuer, thisUpdate: at(-1), nextUpdate: at(7), number: 1, ...overrides });
  const icaCrl = crlOf(ica.asIssuer);
  const rootCrl = crlOf(root.asIssuer);
  return {
    root,
    ica,
    holder: issueHolder(),
    rootName,
    holderName,
    personalCode: shape.personalCode,
    anchor: trustAnchorFrom(root.der, 'test-pki'),
    crls: [rootCrl(), icaCrl()],
    issueHolder,
    ocspResponder,
    icaCrl,
    rootCrl,
  };
}

export function personName(given: string, surname: string, personalCode: string): NameSpec {
  return [
    [OID.country, 'LV'],
    [OID.surname, surname],
    [OID.givenName, given],
    [OID.serialNumber, serialNumberForPersonalCode(personalCode)],
    [OID.commonName, `${given} ${surname}`],
  ];
}

function party(keys: { privateKey: KeyObject; publicKey: KeyObject }, asIssuer: IssuerSpec | undefined, spec: CertificateSpec): Party {
  const der = issueCertificate(spec);
  const certificate = parseCertificate(der);
  return {
    ...keys,
    der,
    certificate,
    asIssuer: asIssuer ?? { name: certificate.subject.der, privateKey: keys.privateKey, keyId: keyIdentifier(keys.publicKey) },
  };
}
