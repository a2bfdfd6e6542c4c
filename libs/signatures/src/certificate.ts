/**
 * X.509 certificates: node:crypto's X509Certificate for keys and signatures (it handles EC),
 * plus the fields and extensions it does not expose, read from the DER with the ASN.1 walker.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  Asn1Error,
  Asn1Node,
  SequenceReader,
  Tag,
  bitStringOf,
  booleanOf,
  childrenOf,
  integerBytesOf,
  isContext,
  isUniversal,
  octetsOf,
  oidOf,
  parseDer,
  sequenceOf,
  smallIntegerOf,
  timeOf,
} from './asn1';
import { DistinguishedName, nameAttribute, parseName } from './names';
import { OID } from './oids';

export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGE_BITS)[number];

export interface QcStatements {
  /** statementId of every QCStatement. */
  statementIds: string[];
  /** The QcType values (esign, eseal, web), when a QcType statement is present. */
  qcTypes: string[];
}

export interface CertificateExtensions {
  basicConstraints?: { ca: boolean; pathLength?: number };
  keyUsage?: Set<KeyUsageName>;
  subjectKeyId?: Buffer;
  authorityKeyId?: Buffer;
  qcStatements?: QcStatements;
  policies: string[];
}

export interface Certificate {
  der: Buffer;
  x509: X509Certificate;
  sha256: string;
  /** INTEGER content octets, for issuer+serial matching. */
  serial: Buffer;
  /** Upper-case hex without the sign octet, as OpenSSL prints it. */
  serialHex: string;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  extensions: CertificateExtensions;
  /** The subject serialNumber attribute (2.5.4.5), e.g. `PNOLV-320000-00000`. */
  subjectSerialNumber?: string;
}

/**
 * Certificates parsed before, by the SHA-256 of the bytes given: every signature brings the same few
 * signer, CA and TSA certificates, and reading one (node's X509Certificate and the walk of its
 * extensions) costs more than the rest of a signature's check together. Shared, so frozen.
 */
const parsed = new LRUCache<string, Certificate>({ max: 1024 });

/** Parses a DER certificate; throws Asn1Error (or node's error, wrapped) when it is not one. */
export function parseCertificate(der: Buffer): Certificate {
  const key = createHash('sha256').update(der).digest('base64');
  const known = parsed.get(key);
  if (known) return known;
  const certificate = readCertificate(der);
  Object.freeze(certificate.extensions.policies);
  Object.freeze(certificate.extensions);
  parsed.set(key, Object.freeze(certificate));
  return certificate;
}

function readCertificate(der: Buffer): Certificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch (error) {
    throw new Asn1Error(`certificate: not readable (${(error as Error).message})`);
  }
  const raw = x509.raw; // exactly the certificate, even if the input had trailing bytes
  const top = sequenceOf(parseDer(raw, 'certificate'), 'certificate');
  const tbs = SequenceReader.of(top[0], 'tbsCertificate');
  tbs.optionalContext(0); // version
  const serial = integerBytesOf(tbs.next('serialNumber'), 'serialNumber');
  tbs.next('signature');
  const issuer = parseName(tbs.next('issuer'), 'issuer');
  const validity = sequenceOf(tbs.next('validity'), 'validity');
  const subject = parseName(tbs.next('subject'), 'subject');
  tbs.next('subjectPublicKeyInfo');
  tbs.optionalContext(1);
  tbs.optionalContext(2);
  const extensionsNode = tbs.optionalContext(3);
  return {
    der: raw,
    x509,
    sha256: createHash('sha256').update(raw).digest('hex'),
    serial,
    serialHex: serialToHex(serial),
    issuer,
    subject,
    notBefore: timeOf(validity[0], 'notBefore'),
    notAfter: timeOf(validity[1], 'notAfter'),
    extensions: parseExtensions(extensionsNode),
    subjectSerialNumber: nameAttribute(subject, OID.serialNumber),
  };
}

export function serialToHex(serial: Buffer): string {
  const magnitude = serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial;
  return magnitude.toString('hex').toUpperCase();
}

export function hasKeyUsage(certificate: Certificate, usage: KeyUsageName): boolean {
  return certificate.extensions.keyUsage?.has(usage) ?? false;
}

/** RFC 5280 "self-issued": subject and issuer are the same name. */
export function isSelfIssued(certificate: Certificate): boolean {
  return certificate.subject.der.equals(certificate.issuer.der);
}

function parseExtensions(node: Asn1Node | undefined): CertificateExtensions {
  const extensions: CertificateExtensions = { policies: [] };
  if (node === undefined) return extensions;
  const [list] = childrenOf(node, 'extensions');
  for (const extension of sequenceOf(list, 'extensions')) {
    const fields = SequenceReader.of(extension, 'extension');
    const oid = oidOf(fields.next('extnID'), 'extnID');
    const criticalNode = fields.optionalUniversal(Tag.BOOLEAN);
    if (criticalNode) booleanOf(criticalNode, 'critical');
    const value = octetsOf(fields.next('extnValue'), 'extnValue');
    readExtension(extensions, oid, value);
  }
  return extensions;
}

function readExtension(into: CertificateExtensions, oid: string, value: Buffer): void {
  switch (oid) {
    case OID.basicConstraints: {
      const fields = SequenceReader.of(parseDer(value, 'basicConstraints'), 'basicConstraints');
      const caNode = fields.optionalUniversal(Tag.BOOLEAN);
      const lengthNode = fields.optionalUniversal(Tag.INTEGER);
      into.basicConstraints = {
        ca: caNode ? booleanOf(caNode, 'cA') : false,
        pathLength: lengthNode ? smallIntegerOf(lengthNode, 'pathLenConstraint') : undefined,
      };
      return;
    }
    case OID.keyUsage: {
      const { bytes } = bitStringOf(parseDer(value, 'keyUsage'), 'keyUsage');
      into.keyUsage = new Set(KEY_USAGE_BITS.filter((_, bit) => ((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1));
      return;
    }
    case OID.subjectKeyIdentifier:
      into.subjectKeyId = octetsOf(parseDer(value, 'subjectKeyIdentifier'), 'subjectKeyIdentifier');
      return;
    case OID.authorityKeyIdentifier: {
      const [first] = sequenceOf(parseDer(value, 'authorityKeyIdentifier'), 'authorityKeyIdentifier');
      if (isContext(first, 0)) into.authorityKeyId = Buffer.from(first.value as string, 'binary');
      return;
    }
    case OID.qcStatements:
      into.qcStatements = parseQcStatements(value);
      return;
    case OID.certificatePolicies:
      into.policies = sequenceOf(parseDer(value, 'certificatePolicies'), 'certificatePolicies').map((policy) =>
        oidOf(sequenceOf(policy, 'policyInformation')[0], 'policyIdentifier'),
      );
      return;
    default:
      return;
  }
}

/** ETSI EN 319 412-5: QCStatements ::= SEQUENCE OF { statementId OID, statementInfo ANY OPTIONAL }. */
function parseQcStatements(value: Buffer): QcStatements {
  const statementIds: string[] = [];
  const qcTypes: string[] = [];
  for (const statement of sequenceOf(parseDer(value, 'qcStatements'), 'qcStatements')) {
    const [idNode, info] = sequenceOf(statement, 'qcStatement');
    const id = oidOf(idNode, 'statementId');
    statementIds.push(id);
    if (id === OID.qcType && isUniversal(info, Tag.SEQUENCE)) {
      for (const type of sequenceOf(info, 'QcType')) qcTypes.push(oidOf(type, 'QcType'));
    }
  }
  return { statementIds, qcTypes };
}

/** DER of a certificate from PEM or DER input. */
export function certificateDer(input: Buffer | string): Buffer {
  const text = typeof input === 'string' ? input : input.subarray(0, 64).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const pem = typeof input === 'string' ? input : input.toString('latin1');
    return Buffer.from(pemBody(pem, 'CERTIFICATE'), 'base64');
  }
  if (typeof input === 'string') throw new Asn1Error('certificate: expected PEM text or DER bytes');
  return input;
}

export function pemBody(pem: string, label: string): string {
  const match = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!match) throw new Asn1Error(`PEM: no ${label} block`);
  return match[1].replace(/\s+/g, '');
}

export function toPem(der: Buffer, label: string): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

