/**
 * Issues X.509 certificates and CRLs with node:crypto keys and the ASN.1 builder.
 * For the test PKI and the local DEMO PKI only: it has no policy checks and is not a CA.
 * (It also keeps @peculiar/x509 out of the runtime dependencies.)
 */
import { createHash, KeyObject, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { Asn1Node, bitStringOf, build, parseDer, sequenceOf, toDer } from './asn1';
import { HashName } from './algorithms';
import { KEY_USAGE_BITS, KeyUsageName } from './certificate';
import { OID } from './oids';

/** One attribute per RDN, in order. `C` and `serialNumber` are PrintableString, the rest UTF8String. */
export type NameSpec = Array<[oid: string, value: string]>;

/** Who signs: a CA (or the subject itself, for a root). */
export interface IssuerSpec {
  name: Buffer;
  privateKey: KeyObject;
  keyId: Buffer;
}

export interface CertificateSpec {
  subject: NameSpec;
  publicKey: KeyObject;
  issuer: IssuerSpec;
  notBefore: Date;
  notAfter: Date;
  serial?: Buffer;
  hash?: HashName;
  /** Present for CA certificates. */
  ca?: { pathLength?: number };
  keyUsage: KeyUsageName[];
  /** ETSI QCStatements; omit for a non-qualified certificate. */
  qcStatements?: { compliance: boolean; sscd: boolean; types: string[] };
  policies?: string[];
  /** Test knob: a subjectKeyIdentifier other than the key's own (to imitate a look-alike CA). */
  subjectKeyId?: Buffer;
  /** extendedKeyUsage purposes (timeStamping is critical, as RFC 3161 asks). */
  extendedKeyUsage?: { purposes: string[]; critical: boolean };
}

export interface CrlSpec {
  issuer: IssuerSpec;
  thisUpdate: Date;
  nextUpdate: Date;
  number: number;
  revoked?: { serial: Buffer; revokedAt: Date; reason?: number }[];
  hash?: HashName;
}

const PRINTABLE_ATTRIBUTES = new Set<string>([OID.country, OID.serialNumber]);

export function encodeName(spec: NameSpec): Buffer {
  return toDer(
    build.sequence(
      spec.map(([oid, value]) =>
        build.set([build.sequence([build.oid(oid), PRINTABLE_ATTRIBUTES.has(oid) ? build.printable(value) : build.utf8(value)])]),
      ),
    ),
  );
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = sequenceOf(parseDer(publicKey.export({ type: 'spki', format: 'der' }), 'SPKI'), 'SPKI');
  return createHash('sha1').update(bitStringOf(spki[1], 'subjectPublicKey').bytes).digest();
}

export function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x01; // never a leading zero octet: keeps the encoding length fixed
  return serial;
}

export function issueCertificate(spec: CertificateSpec): Buffer {
  const hash = spec.hash ?? defaultHash(spec.issuer.privateKey);
  const algorithm = signatureAlgorithm(spec.issuer.privateKey, hash);
  const extensions = [
    extension(OID.basicConstraints, true, build.sequence(spec.ca ? [build.boolean(true), ...(spec.ca.pathLength === undefined ? [] : [build.smallInteger(spec.ca.pathLength)])] : [])),
    extension(OID.keyUsage, true, keyUsageBits(spec.keyUsage)),
    extension(OID.subjectKeyIdentifier, false, build.octets(spec.subjectKeyId ?? keyIdentifier(spec.publicKey))),
    extension(OID.authorityKeyIdentifier, false, build.sequence([build.implicitPrimitive(0, spec.issuer.keyId)])),
  ];
  if (spec.policies?.length) {
    extensions.push(extension(OID.certificatePolicies, false, build.sequence(spec.policies.map((policy) => build.sequence([build.oid(policy)])))));
  }
  if (spec.qcStatements) extensions.push(extension(OID.qcStatements, false, qcStatements(spec.qcStatements)));
  if (spec.extendedKeyUsage) {
    extensions.push(extension(OID.extKeyUsage, spec.extendedKeyUsage.critical, build.sequence(spec.extendedKeyUsage.purposes.map((purpose) => build.oid(purpose)))));
  }
  const tbs = build.sequence([
    build.explicit(0, build.smallInteger(2)),
    build.integer(spec.serial ?? randomSerial()),
    algorithm,
    build.fromDer(spec.issuer.name, 'issuer name'),
    build.sequence([build.time(spec.notBefore), build.time(spec.notAfter)]),
    build.fromDer(encodeName(spec.subject), 'subject name'),
    build.fromDer(spec.publicKey.export({ type: 'spki', format: 'der' }), 'SPKI'),
    build.explicit(3, build.sequence(extensions)),
  ]);
  return signed(tbs, algorithm, spec.issuer.privateKey, hash);
}

export function issueCrl(spec: CrlSpec): Buffer {
  const hash = spec.hash ?? defaultHash(spec.issuer.privateKey);
  const algorithm = signatureAlgorithm(spec.issuer.privateKey, hash);
  const revoked = (spec.revoked ?? []).map((entry) =>
    build.sequence([
      build.integer(entry.serial),
      build.time(entry.revokedAt),
      ...(entry.reason === undefined
        ? []
        : [build.sequence([extension(OID.crlReason, false, forge.asn1.create(forge.asn1.Class.UNIVERSAL, 10, false, String.fromCharCode(entry.reason)))])]),
    ]),
  );
  const tbs = build.sequence([
    build.smallInteger(1),
    algorithm,
    build.fromDer(spec.issuer.name, 'issuer name'),
    build.time(spec.thisUpdate),
    build.time(spec.nextUpdate),
    ...(revoked.length > 0 ? [build.sequence(revoked)] : []),
    build.explicit(
      0,
      build.sequence([
        extension(OID.authorityKeyIdentifier, false, build.sequence([build.implicitPrimitive(0, spec.issuer.keyId)])),
        extension(OID.crlNumber, false, build.smallInteger(spec.number)),
      ]),
    ),
  ]);
  return signed(tbs, algorithm, spec.issuer.privateKey, hash);
}

/** Signature AlgorithmIdentifier for a key: sha*WithRSAEncryption (NULL parameters) or ecdsa-with-SHA* (none). */
export function signatureAlgorithm(key: KeyObject, hash: HashName): Asn1Node {
  if (key.asymmetricKeyType === 'ec') {
    const oid = { sha256: OID.ecdsaWithSha256, sha384: OID.ecdsaWithSha384, sha512: OID.ecdsaWithSha512 }[hash];
    return build.sequence([build.oid(oid)]);
  }
  if (key.asymmetricKeyType === 'rsa') {
    const oid = { sha256: OID.sha256WithRSAEncryption, sha384: OID.sha384WithRSAEncryption, sha512: OID.sha512WithRSAEncryption }[hash];
    return build.sequence([build.oid(oid), build.null()]);
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
}

/** The hash LV CAs pair with their keys: SHA-512 on P-521, SHA-384 on P-384, SHA-256 otherwise. */
export function defaultHash(key: KeyObject): HashName {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp521r1') return 'sha512';
  if (curve === 'secp384r1') return 'sha384';
  return 'sha256';
}

function signed(tbs: Asn1Node, algorithm: Asn1Node, key: KeyObject, hash: HashName): Buffer {
  const signature = sign(hash, toDer(tbs), key);
  return toDer(build.sequence([tbs, algorithm, build.bitString(signature)]));
}

function extension(oid: string, critical: boolean, value: Asn1Node): Asn1Node {
  return build.sequence([build.oid(oid), ...(critical ? [build.boolean(true)] : []), build.octets(toDer(value))]);
}

/** DER named bit list: trailing zero bits dropped (X.690 11.2.2). */
function keyUsageBits(usages: KeyUsageName[]): Asn1Node {
  const bits = usages.map((usage) => KEY_USAGE_BITS.indexOf(usage));
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc((highest >> 3) + 1);
  for (const bit of bits) bytes[bit >> 3] |= 0x80 >> (bit & 7);
  return build.bitString(bytes, 7 - (highest & 7));
}

function qcStatements(spec: NonNullable<CertificateSpec['qcStatements']>): Asn1Node {
  const statements: Asn1Node[] = [];
  if (spec.compliance) statements.push(build.sequence([build.oid(OID.qcCompliance)]));
  if (spec.sscd) statements.push(build.sequence([build.oid(OID.qcSscd)]));
  if (spec.types.length > 0) statements.push(build.sequence([build.oid(OID.qcType), build.sequence(spec.types.map((type) => build.oid(type)))]));
  return build.sequence(statements);
}
