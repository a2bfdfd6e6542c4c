/**
 * RFC 3161 timestamp validation: the token is a CMS SignedData over a TSTInfo that the TSA's key
 * signed (node:crypto), its message imprint is the hash of the bytes it covers, and the TSA's
 * certificate is a time-stamping certificate (critical timeStamping EKU) with a path to a trusted
 * anchor, valid at the genTime, and — where a set of qualified TSAs is configured — one of them.
 */
import { Asn1Error, Tag, isUniversal, oidOf } from './asn1';
import { HASH_BY_OID, digest, hashLabel, resolveScheme, verifySignature } from './algorithms';
import { Certificate } from './certificate';
import { buildPath } from './chain';
import { SignerInfo, singleAttributeValue } from './cms';
import { readCertificates } from './cades-signature';
import { OID } from './oids';
import { namesEqual } from './names';
import { checkMessageDigest, checkSigningCertificate } from './signed-attributes';
import { ParsedTimestampToken, parseTimestampToken } from './timestamp-token';
import { TrustAnchor } from './trust-store';
import { checkListedService, listedTsaAnchors, withListed } from './trusted-list/list-trust';
import { TrustedList } from './trusted-list/trusted-list';
import { CheckList } from './verdict';

export interface TimestampTrust {
  /** Anchors a TSA certificate must chain to (TSA_NOT_TRUSTED). */
  anchors: TrustAnchor[];
  /** When configured, the TSA certificate or a CA in its path must be one of these (TSA_NOT_QUALIFIED). */
  qualified?: TrustAnchor[];
  /** Trusted lists: their TSA/QTST certificates are TSA anchors too, and qualified only when granted at the genTime. */
  trustedLists?: TrustedList[];
  now: Date;
  skewSeconds: number;
}

export interface ValidatedTimestamp {
  genTime: Date;
  tsa?: Certificate;
  serialHex: string;
  valid: boolean;
}

/**
 * Runs every check of one token over `covered` and reports each; returns what was read (valid
 * false when any check failed). Undefined when the token is not even readable.
 */
export function checkTimestamp(checks: CheckList, token: Buffer, covered: Buffer | undefined, trust: TimestampTrust, pool: Certificate[] = []): ValidatedTimestamp | undefined {
  const start = checks.checks.length;
  let parsed: ParsedTimestampToken;
  try {
    parsed = parseTimestampToken(token);
  } catch (error) {
    checks.fail('TIMESTAMP_INVALID', `the time-stamp token is unreadable: ${error instanceof Asn1Error ? error.message : (error as Error).message}`);
    return undefined;
  }
  const { signedData, info } = parsed;
  const at = info.genTime.toISOString();
  const own = readCertificates(checks, signedData.certificates);
  const candidates = [...own, ...pool, ...tsaAnchors(trust).map((anchor) => anchor.certificate)];
  const [signerInfo] = signedData.signerInfos;
  const tsa = signerInfo && signedData.signerInfos.length === 1 ? findTsa(signerInfo, candidates) : undefined;

  const problems = tokenProblems(signedData.encapsulatedContent as Buffer, signedData.encapsulatedContentType, signerInfo, signedData.signerInfos.length, tsa);
  if (problems.length > 0) checks.fail('TIMESTAMP_INVALID', `time-stamp token of ${at}: ${problems.join('; ')}`);
  else checks.pass('TIMESTAMP_INVALID', `time-stamp token of ${at}, serial ${info.serialHex}, signed by ${tsa?.subject.display}`);
  if (info.genTime.getTime() > trust.now.getTime() + trust.skewSeconds * 1000) checks.fail('TIMESTAMP_INVALID', `genTime ${at} is later than the time of verification`);

  if (!info.hash) {
    checks.fail('ALGORITHM_UNSUPPORTED', `the time-stamp imprint uses digest ${info.hashOid}; SHA-256/384/512 are accepted`);
  } else if (!covered) {
    checks.fail('TIMESTAMP_IMPRINT_MISMATCH', 'the bytes the time-stamp covers could not be formed');
  } else if (digest(info.hash, covered).equals(info.imprint)) {
    checks.pass('TIMESTAMP_IMPRINT_MISMATCH', `the ${hashLabel(info.hash)} imprint is the hash of the signature value it covers`);
  } else {
    checks.fail('TIMESTAMP_IMPRINT_MISMATCH', `the ${hashLabel(info.hash)} imprint is not the hash of the signature value: the token stamps something else`);
  }
  if (tsa) checkTsa(checks, tsa, info.genTime, trust, [...own, ...pool]);
  const valid = !checks.checks.slice(start).some((check) => !check.ok);
  return { genTime: info.genTime, tsa, serialHex: info.serialHex, valid };
}

/** The token's own CMS: TSTInfo content, one SignerInfo, the TSA's certificate bound and its signature verifying. */
function tokenProblems(content: Buffer, contentType: string, signerInfo: SignerInfo | undefined, signerCount: number, tsa: Certificate | undefined): string[] {
  if (signerCount !== 1 || !signerInfo) return [`${signerCount} SignerInfos; exactly one is required`];
  if (!tsa) return ["the TSA's certificate is neither in the token nor among the trusted ones"];
  const signed = signerInfo.signedAttributes;
  if (!signed) return ['no signed attributes'];
  const hash = HASH_BY_OID[signerInfo.digestAlgorithm.oid];
  if (!hash) return [`digest algorithm ${signerInfo.digestAlgorithm.oid} is not SHA-256/384/512`];
  // The CMS attribute checks, in a scratch list: any of their failures makes the token invalid.
  const scratch = new CheckList();
  const type = singleAttributeValue(signed.attributes, OID.contentType).value;
  if (!type || !isUniversal(type, Tag.OID) || oidOf(type, 'contentType') !== OID.tstInfo || contentType !== OID.tstInfo) scratch.fail('CONTENT_TYPE_INVALID', 'the signed contentType is not id-ct-TSTInfo');
  checkMessageDigest(scratch, signed.attributes, hash, [{ label: 'the TSTInfo', bytes: content }]);
  checkSigningCertificate(scratch, signed.attributes, tsa);
  const problems = scratch.checks.filter((check) => !check.ok).map((check) => check.detail);
  const scheme = resolveScheme(signerInfo.signatureAlgorithm, tsa.x509.publicKey, hash);
  if (!scheme.ok) problems.push(scheme.reason);
  else if (!verifySignature(signed.signedBytes, signerInfo.signature, tsa.x509.publicKey, scheme.scheme)) problems.push("the TSA's signature does not verify");
  return problems;
}

function checkTsa(checks: CheckList, tsa: Certificate, genTime: Date, trust: TimestampTrust, pool: Certificate[]): void {
  const purposes = tsa.x509.keyUsage ?? [];
  // A trusted list usually names the time-stamping unit's own certificate: it is then its own anchor.
  const listedItself = trust.trustedLists?.length ? listedTsaAnchors(trust.trustedLists).find((anchor) => anchor.sha256 === tsa.sha256) : undefined;
  const path = listedItself ? { certificates: [], anchor: listedItself } : buildPath(tsa, pool, tsaAnchors(trust));
  const chain = path.anchor ? [...path.certificates, path.anchor.certificate] : path.certificates;
  const problems: string[] = [];
  if (!purposes.includes(OID.kpTimeStamping)) problems.push(`${tsa.subject.display} is not a time-stamping certificate (no timeStamping extended key usage)`);
  if (!path.anchor) problems.push(`no configured TSA trust anchor issued ${chain[chain.length - 1].issuer.display}`);
  if (problems.length > 0) checks.fail('TSA_NOT_TRUSTED', problems.join('; '));
  else checks.pass('TSA_NOT_TRUSTED', `${tsa.subject.display} chains to ${path.anchor?.subject}`);
  const outside = chain.filter((certificate) => genTime < certificate.notBefore || genTime > certificate.notAfter);
  if (outside.length > 0) checks.fail('TSA_NOT_TRUSTED', `${outside.map((c) => c.subject.display).join(', ')} not valid at the genTime ${genTime.toISOString()}`);
  const qualified = trust.qualified?.find((anchor) => chain.some((certificate) => certificate.sha256 === anchor.sha256));
  if (qualified) {
    checks.pass('TSA_NOT_QUALIFIED', `${tsa.subject.display} is a qualified TSA (${qualified.subject})`);
  } else if (trust.trustedLists?.length) {
    // Not in the configured set (or none is): the lists decide, as of the genTime.
    if (checkListedService(checks, trust.trustedLists, tsa, 'tsa', genTime, chain.slice(1))) checks.pass('TSA_NOT_QUALIFIED', `${tsa.subject.display} is a qualified TSA of the trusted list`);
  } else if (trust.qualified) {
    checks.fail('TSA_NOT_QUALIFIED', `${tsa.subject.display} is not among the configured qualified TSAs`);
  }
}

function tsaAnchors(trust: TimestampTrust): TrustAnchor[] {
  return trust.trustedLists?.length ? withListed(trust.anchors, listedTsaAnchors(trust.trustedLists)) : trust.anchors;
}

function findTsa(signerInfo: SignerInfo, pool: Certificate[]): Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid.kind === 'subjectKeyIdentifier') return pool.find((certificate) => certificate.extensions.subjectKeyId?.equals(sid.keyId));
  return pool.find((certificate) => certificate.serial.equals(sid.serial) && namesEqual(certificate.issuer, sid.issuer));
}
