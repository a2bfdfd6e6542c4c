/** X.509 CRLs (RFC 5280 §5): parsed with the ASN.1 walker, their signatures verified with node:crypto. */
import { createHash, KeyObject } from 'node:crypto';
import {
  Asn1Error,
  Asn1Node,
  SequenceReader,
  Tag,
  bitStringOf,
  booleanOf,
  childrenOf,
  integerBytesOf,
  isUniversal,
  octetsOf,
  oidOf,
  parseDer,
  sequenceOf,
  smallIntegerOf,
  timeOf,
  toDer,
} from './asn1';
import { AlgorithmIdentifier, parseAlgorithmIdentifier, resolveScheme, verifySignature } from './algorithms';
import { serialToHex } from './certificate';
import { DistinguishedName, parseName } from './names';
import { OID } from './oids';

export interface RevokedEntry {
  revokedAt: Date;
  reason?: number;
}

export interface Crl {
  der: Buffer;
  sha256: string;
  issuer: DistinguishedName;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** cRLNumber as a decimal string. */
  number?: string;
  authorityKeyId?: Buffer;
  /** Revoked serials, keyed by upper-case hex (as `Certificate.serialHex`). */
  revoked: Map<string, RevokedEntry>;
  /** Critical extensions this verifier does not implement (delta CRLs, indirect entries). */
  unsupportedCritical: string[];
  tbsDer: Buffer;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Buffer;
}

const KNOWN_CRL_EXTENSIONS = new Set<string>([OID.crlNumber, OID.authorityKeyIdentifier, OID.issuingDistributionPoint]);
const KNOWN_ENTRY_EXTENSIONS = new Set<string>([OID.crlReason, OID.invalidityDate]);

export function parseCrl(der: Buffer): Crl {
  const top = sequenceOf(parseDer(der, 'CRL'), 'CertificateList');
  if (top.length !== 3) throw new Asn1Error('CertificateList: expected three elements');
  const tbs = SequenceReader.of(top[0], 'tbsCertList');
  tbs.optionalUniversal(Tag.INTEGER); // version
  tbs.next('signature');
  const issuer = parseName(tbs.next('issuer'), 'CRL issuer');
  const thisUpdate = timeOf(tbs.next('thisUpdate'), 'thisUpdate');
  const nextUpdateNode = tbs.optionalUniversal(Tag.UTC_TIME) ?? tbs.optionalUniversal(Tag.GENERALIZED_TIME);
  const revokedNode = tbs.optionalUniversal(Tag.SEQUENCE);
  const extensionsNode = tbs.optionalContext(0);
  const crl: Crl = {
    der,
    sha256: createHash('sha256').update(der).digest('hex'),
    issuer,
    thisUpdate,
    nextUpdate: nextUpdateNode ? timeOf(nextUpdateNode, 'nextUpdate') : undefined,
    revoked: new Map(),
    unsupportedCritical: [],
    tbsDer: toDer(top[0]),
    signatureAlgorithm: parseAlgorithmIdentifier(top[1], 'CRL signatureAlgorithm'),
    signature: bitStringOf(top[2], 'CRL signature').bytes,
  };
  if (revokedNode) readRevoked(crl, revokedNode);
  if (extensionsNode) readCrlExtensions(crl, extensionsNode);
  return crl;
}

function readRevoked(crl: Crl, node: Asn1Node): void {
  for (const entry of sequenceOf(node, 'revokedCertificates')) {
    const fields = SequenceReader.of(entry, 'revoked entry');
    const serial = integerBytesOf(fields.next('userCertificate'), 'userCertificate');
    const revokedAt = timeOf(fields.next('revocationDate'), 'revocationDate');
    let reason: number | undefined;
    const extensions = fields.optionalUniversal(Tag.SEQUENCE);
    for (const extension of extensions ? sequenceOf(extensions, 'crlEntryExtensions') : []) {
      const { oid, critical, value } = readExtension(extension);
      if (oid === OID.crlReason) reason = smallIntegerOf(parseEnumerated(value), 'reasonCode');
      else if (critical && !KNOWN_ENTRY_EXTENSIONS.has(oid)) crl.unsupportedCritical.push(oid);
    }
    crl.revoked.set(serialToHex(serial), { revokedAt, reason });
  }
}

function readCrlExtensions(crl: Crl, node: Asn1Node): void {
  for (const extension of sequenceOf(childrenOf(node, 'crlExtensions')[0], 'crlExtensions')) {
    const { oid, critical, value } = readExtension(extension);
    if (oid === OID.crlNumber) {
      crl.number = BigInt('0x' + (integerBytesOf(parseDer(value, 'cRLNumber'), 'cRLNumber').toString('hex') || '0')).toString(10);
    } else if (oid === OID.authorityKeyIdentifier) {
      const [first] = sequenceOf(parseDer(value, 'authorityKeyIdentifier'), 'authorityKeyIdentifier');
      if (first && !first.constructed && first.type === 0) crl.authorityKeyId = Buffer.from(first.value as string, 'binary');
    } else if (critical && !KNOWN_CRL_EXTENSIONS.has(oid)) {
      crl.unsupportedCritical.push(oid);
    }
  }
}

function readExtension(node: Asn1Node): { oid: string; critical: boolean; value: Buffer } {
  const fields = SequenceReader.of(node, 'extension');
  const oid = oidOf(fields.next('extnID'), 'extnID');
  const criticalNode = fields.optionalUniversal(Tag.BOOLEAN);
  return { oid, critical: criticalNode ? booleanOf(criticalNode, 'critical') : false, value: octetsOf(fields.next('extnValue'), 'extnValue') };
}

/** ENUMERATED (tag 10) read as an INTEGER. */
function parseEnumerated(value: Buffer): Asn1Node {
  const node = parseDer(value, 'reasonCode');
  if (!isUniversal(node, 10)) throw new Asn1Error('reasonCode: expected ENUMERATED');
  return { ...node, type: Tag.INTEGER } as Asn1Node;
}

/** Verified once per parsed CRL and issuer key: CRLs are loaded once and checked on every verification. */
const verifiedSignatures = new WeakMap<Crl, Map<string, { ok: boolean; reason?: string }>>();

/** True when the CRL's signature verifies with the issuer's key (RSA, RSA-PSS or ECDSA). */
export function crlSignatureValid(crl: Crl, issuerKey: KeyObject): { ok: boolean; reason?: string } {
  const keyId = createHash('sha256').update(issuerKey.export({ type: 'spki', format: 'der' })).digest('hex');
  const known = verifiedSignatures.get(crl) ?? new Map<string, { ok: boolean; reason?: string }>();
  verifiedSignatures.set(crl, known);
  const cached = known.get(keyId);
  if (cached) return cached;
  const result = checkCrlSignature(crl, issuerKey);
  known.set(keyId, result);
  return result;
}

function checkCrlSignature(crl: Crl, issuerKey: KeyObject): { ok: boolean; reason?: string } {
  const resolution = resolveScheme(crl.signatureAlgorithm, issuerKey);
  if (!resolution.ok) return { ok: false, reason: resolution.reason };
  return verifySignature(crl.tbsDer, crl.signature, issuerKey, resolution.scheme)
    ? { ok: true }
    : { ok: false, reason: 'the CRL signature does not verify with the issuer key' };
}
