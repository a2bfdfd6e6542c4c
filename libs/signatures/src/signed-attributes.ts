/** CAdES-BES signed attributes: contentType, messageDigest, signingTime and the ESS signing certificate. */
import { Asn1Node, SequenceReader, Tag, childrenOf, integerBytesOf, isContext, isUniversal, octetsOf, oidOf, sequenceOf, timeOf } from './asn1';
import { HashName, HASH_BY_OID, digest, hashLabel, parseAlgorithmIdentifier } from './algorithms';
import { Certificate } from './certificate';
import { Attribute, singleAttributeValue } from './cms';
import { namesEqual, parseName } from './names';
import { OID } from './oids';
import { CheckList } from './verdict';

export function checkContentType(checks: CheckList, attributes: Attribute[], encapsulatedContentType: string): void {
  const { value, problem } = singleAttributeValue(attributes, OID.contentType);
  if (!value) return checks.fail('CONTENT_TYPE_INVALID', `contentType attribute ${problem}`);
  const signedType = isUniversal(value, Tag.OID) ? oidOf(value, 'contentType') : 'not an OID';
  if (signedType !== OID.data || encapsulatedContentType !== OID.data) {
    return checks.fail('CONTENT_TYPE_INVALID', `content type ${signedType} / eContentType ${encapsulatedContentType}; expected id-data`);
  }
  checks.pass('CONTENT_TYPE_INVALID', 'contentType is id-data');
}

/** The signed digest must be the hash of one of the documents served (their labels name which in the detail). */
export function checkMessageDigest(checks: CheckList, attributes: Attribute[], hash: HashName, contents: { label: string; bytes: Buffer }[]): void {
  const { value, problem } = singleAttributeValue(attributes, OID.messageDigest);
  if (!value) return checks.fail('CONTENT_MISMATCH', `messageDigest attribute ${problem}`);
  const signed = isUniversal(value, Tag.OCTET_STRING) ? octetsOf(value, 'messageDigest') : Buffer.alloc(0);
  const match = contents.find((content) => signed.equals(digest(hash, content.bytes)));
  if (!match) {
    return checks.fail('CONTENT_MISMATCH', `messageDigest is not the ${hashLabel(hash)} of the document: the signature is over other bytes`);
  }
  checks.pass('CONTENT_MISMATCH', `messageDigest equals the ${hashLabel(hash)} of ${match.label}`);
}

/** The claimed time of signing; it must not lie in the future (beyond the allowed skew) nor before `earliest`. */
export function checkSigningTime(
  checks: CheckList,
  attributes: Attribute[],
  now: Date,
  skewSeconds: number,
  earliest?: Date,
): Date | undefined {
  const { value, problem } = singleAttributeValue(attributes, OID.signingTime);
  if (!value) {
    checks.fail('SIGNING_TIME_INVALID', `signingTime attribute ${problem}`);
    return undefined;
  }
  let signedAt: Date;
  try {
    signedAt = timeOf(value, 'signingTime');
  } catch {
    checks.fail('SIGNING_TIME_INVALID', 'signingTime is not a valid time');
    return undefined;
  }
  return checkClaimedSigningTime(checks, signedAt, now, skewSeconds, earliest);
}

/** The same bounds for a time claimed elsewhere (XAdES SigningTime, a PDF signature's /M). */
export function checkClaimedSigningTime(checks: CheckList, signedAt: Date, now: Date, skewSeconds: number, earliest?: Date): Date {
  if (signedAt.getTime() > now.getTime() + skewSeconds * 1000) {
    checks.fail('SIGNING_TIME_INVALID', `signingTime ${signedAt.toISOString()} is later than the verification time ${now.toISOString()} (+${skewSeconds}s skew)`);
  } else if (earliest && signedAt.getTime() < earliest.getTime() - skewSeconds * 1000) {
    checks.fail('SIGNING_TIME_INVALID', `signingTime ${signedAt.toISOString()} is before the document was issued (${earliest.toISOString()})`);
  } else {
    checks.pass('SIGNING_TIME_INVALID', `signed at ${signedAt.toISOString()}`);
  }
  return signedAt;
}

/**
 * ESS signingCertificateV2 (RFC 5035) or V1 (RFC 2634): binds the signer certificate into the
 * signed attributes, so it cannot be swapped for another certificate with the same key.
 */
export function checkSigningCertificate(checks: CheckList, attributes: Attribute[], signer: Certificate): void {
  const v2 = singleAttributeValue(attributes, OID.signingCertificateV2);
  const v1 = singleAttributeValue(attributes, OID.signingCertificate);
  if (!v2.value && !v1.value) {
    const problem = v2.problem !== 'absent' ? v2.problem : v1.problem;
    return checks.fail('MISSING_SIGNING_CERTIFICATE', `signingCertificateV2 attribute ${problem}`);
  }
  checks.pass('MISSING_SIGNING_CERTIFICATE', `${v2.value ? 'signingCertificateV2' : 'signingCertificate (v1)'} present`);
  const problems: string[] = [];
  if (v2.value) problems.push(...essCertIdProblems(v2.value, signer, 'v2'));
  if (v1.value) problems.push(...essCertIdProblems(v1.value, signer, 'v1'));
  if (problems.length > 0) return checks.fail('SIGNING_CERTIFICATE_MISMATCH', problems.join('; '));
  checks.pass('SIGNING_CERTIFICATE_MISMATCH', 'the signed certificate reference matches the signer certificate');
}

/** The first ESSCertID identifies the signing certificate (RFC 5035 §3). */
function essCertIdProblems(value: Asn1Node, signer: Certificate, version: 'v1' | 'v2'): string[] {
  const name = version === 'v2' ? 'signingCertificateV2' : 'signingCertificate';
  try {
    const [certs] = sequenceOf(value, name);
    const [first] = sequenceOf(certs, `${name} certs`);
    const fields = SequenceReader.of(first, 'ESSCertID');
    let hash: HashName | 'sha1' = 'sha1';
    if (version === 'v2') {
      const algorithm = fields.optionalUniversal(Tag.SEQUENCE);
      const oid = algorithm ? parseAlgorithmIdentifier(algorithm, 'ESSCertIDv2 hashAlgorithm').oid : OID.sha256;
      const resolved = HASH_BY_OID[oid];
      if (!resolved) return [`${name} uses an unsupported hash ${oid}`];
      hash = resolved;
    }
    const certHash = octetsOf(fields.next('certHash'), 'certHash');
    const problems: string[] = [];
    if (!certHash.equals(digest(hash, signer.der))) problems.push(`${name} certHash does not match the signer certificate`);
    const issuerSerial = fields.hasMore() ? fields.next('issuerSerial') : undefined;
    if (issuerSerial) {
      const [generalNames, serial] = sequenceOf(issuerSerial, 'IssuerSerial');
      if (!integerBytesOf(serial, 'IssuerSerial serial').equals(signer.serial)) problems.push(`${name} serial number differs from the signer certificate`);
      const directoryNames = sequenceOf(generalNames, 'GeneralNames').filter((general) => isContext(general, 4));
      const matches = directoryNames.some((general) => namesEqual(parseName(childrenOf(general, 'directoryName')[0], 'IssuerSerial issuer'), signer.issuer));
      if (!matches) problems.push(`${name} issuer differs from the signer certificate's issuer`);
    }
    return problems;
  } catch (error) {
    return [`${name} is malformed (${(error as Error).message})`];
  }
}
