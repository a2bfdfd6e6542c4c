/**
 * Signature and digest algorithms accepted for qualified signatures, mapped to node:crypto.
 * RSA PKCS#1 v1.5, RSA-PSS (MGF1 with the same hash), ECDSA on P-256/P-384/P-521; SHA-256/384/512.
 */
import { constants, createHash, KeyObject, verify } from 'node:crypto';
import { Asn1Node, SequenceReader, Tag, isUniversal, oidOf, smallIntegerOf, childrenOf } from './asn1';
import { OID } from './oids';

export type HashName = 'sha256' | 'sha384' | 'sha512';

export const HASH_BY_OID: Record<string, HashName> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
};

export const OID_BY_HASH: Record<HashName, string> = { sha256: OID.sha256, sha384: OID.sha384, sha512: OID.sha512 };

export const HASH_LENGTH: Record<HashName, number> = { sha256: 32, sha384: 48, sha512: 64 };

const RSA_WITH_HASH: Record<string, HashName> = {
  [OID.sha256WithRSAEncryption]: 'sha256',
  [OID.sha384WithRSAEncryption]: 'sha384',
  [OID.sha512WithRSAEncryption]: 'sha512',
};

const ECDSA_WITH_HASH: Record<string, HashName> = {
  [OID.ecdsaWithSha256]: 'sha256',
  [OID.ecdsaWithSha384]: 'sha384',
  [OID.ecdsaWithSha512]: 'sha512',
};

const SUPPORTED_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1']);
const MIN_RSA_BITS = 2048;

export interface AlgorithmIdentifier {
  oid: string;
  parameters?: Asn1Node;
}

export function parseAlgorithmIdentifier(node: Asn1Node | undefined, what: string): AlgorithmIdentifier {
  const fields = SequenceReader.of(node, what);
  const oid = oidOf(fields.next('algorithm'), what);
  const parameters = fields.hasMore() ? fields.next('parameters') : undefined;
  return { oid, parameters };
}

/** `SHA-256` for 'sha256'. */
export function hashLabel(hash: HashName): string {
  return `SHA-${hash.slice(3)}`;
}

export function digest(hash: HashName | 'sha1', data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

/** How to verify one signature with node:crypto. */
export interface SignatureScheme {
  hash: HashName;
  label: string;
  padding?: number;
  saltLength?: number;
  /** ECDSA signature encoding: DER in CMS, r||s (IEEE P1363) in XML-DSig. */
  dsaEncoding?: 'der' | 'ieee-p1363';
}

export type SchemeResolution = { ok: true; scheme: SignatureScheme } | { ok: false; reason: string };

/**
 * Resolves a signature algorithm against the key that must verify it.
 * `digestHash` is the SignerInfo digestAlgorithm, needed when CMS names only `rsaEncryption`
 * or `id-ecPublicKey` (OpenSSL does the former).
 */
export function resolveScheme(algorithm: AlgorithmIdentifier, key: KeyObject, digestHash?: HashName): SchemeResolution {
  const keyProblem = keyStrengthProblem(key);
  if (keyProblem) return { ok: false, reason: keyProblem };
  const { oid } = algorithm;
  if (RSA_WITH_HASH[oid] || oid === OID.rsaEncryption) {
    const hash = RSA_WITH_HASH[oid] ?? digestHash;
    if (!hash) return { ok: false, reason: 'rsaEncryption without a supported digest algorithm' };
    if (key.asymmetricKeyType !== 'rsa') return { ok: false, reason: `RSA algorithm with a ${key.asymmetricKeyType} key` };
    return { ok: true, scheme: { hash, label: `RSA PKCS#1 v1.5 with ${hashLabel(hash)}`, padding: constants.RSA_PKCS1_PADDING } };
  }
  if (oid === OID.rsassaPss) {
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') {
      return { ok: false, reason: `RSA-PSS with a ${key.asymmetricKeyType} key` };
    }
    const pss = parsePssParameters(algorithm.parameters);
    if (!pss.ok) return pss;
    return { ok: true, scheme: { ...pss.scheme } };
  }
  if (ECDSA_WITH_HASH[oid] || oid === OID.ecPublicKey) {
    const hash = ECDSA_WITH_HASH[oid] ?? digestHash;
    if (!hash) return { ok: false, reason: 'id-ecPublicKey without a supported digest algorithm' };
    if (key.asymmetricKeyType !== 'ec') return { ok: false, reason: `ECDSA with a ${key.asymmetricKeyType} key` };
    return { ok: true, scheme: { hash, label: `ECDSA ${key.asymmetricKeyDetails?.namedCurve} with ${hashLabel(hash)}` } };
  }
  return { ok: false, reason: `signature algorithm ${oid} is not supported` };
}

/** Why a key is too weak or of a kind we do not accept; undefined when it is fine. */
export function keyStrengthProblem(key: KeyObject): string | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    return (details.modulusLength ?? 0) < MIN_RSA_BITS ? `RSA key of ${details.modulusLength} bits (minimum ${MIN_RSA_BITS})` : undefined;
  }
  if (key.asymmetricKeyType === 'ec') {
    return SUPPORTED_CURVES.has(details.namedCurve ?? '') ? undefined : `EC curve ${details.namedCurve} is not supported`;
  }
  return `${key.asymmetricKeyType} keys are not supported`;
}

/** RFC 4055 RSASSA-PSS-params; the SHA-1 defaults are refused. */
function parsePssParameters(parameters: Asn1Node | undefined): SchemeResolution {
  if (!isUniversal(parameters, Tag.SEQUENCE)) return { ok: false, reason: 'RSA-PSS without parameters (SHA-1 defaults)' };
  const fields = SequenceReader.of(parameters, 'RSASSA-PSS-params');
  const hashNode = fields.optionalContext(0);
  const mgfNode = fields.optionalContext(1);
  const saltNode = fields.optionalContext(2);
  const trailerNode = fields.optionalContext(3);
  const hash = hashNode ? HASH_BY_OID[parseAlgorithmIdentifier(childrenOf(hashNode, 'hashAlgorithm')[0], 'hashAlgorithm').oid] : undefined;
  if (!hash) return { ok: false, reason: 'RSA-PSS hash is not SHA-256/384/512' };
  if (!mgfNode) return { ok: false, reason: 'RSA-PSS with the default MGF1-SHA-1' };
  const mgf = parseAlgorithmIdentifier(childrenOf(mgfNode, 'maskGenAlgorithm')[0], 'maskGenAlgorithm');
  const mgfHash = mgf.parameters ? HASH_BY_OID[parseAlgorithmIdentifier(mgf.parameters, 'MGF1 hash').oid] : undefined;
  if (mgf.oid !== OID.mgf1 || mgfHash !== hash) return { ok: false, reason: 'RSA-PSS mask generation must be MGF1 with the same hash' };
  const saltLength = saltNode ? smallIntegerOf(childrenOf(saltNode, 'saltLength')[0], 'saltLength') : 20;
  if (trailerNode && smallIntegerOf(childrenOf(trailerNode, 'trailerField')[0], 'trailerField') !== 1) {
    return { ok: false, reason: 'RSA-PSS trailerField must be 1' };
  }
  return {
    ok: true,
    scheme: { hash, label: `RSA-PSS with ${hashLabel(hash)}, salt ${saltLength}`, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
  };
}

/** Verifies; any error from node (wrong encoding, wrong size) is a failed signature, not an exception. */
export function verifySignature(data: Buffer, signature: Buffer, key: KeyObject, scheme: SignatureScheme): boolean {
  try {
    return verify(scheme.hash, data, { key, padding: scheme.padding, saltLength: scheme.saltLength, dsaEncoding: scheme.dsaEncoding ?? 'der' }, signature);
  } catch {
    return false;
  }
}
