/**
 * A CAdES signature (CMS SignedData with signed attributes) over given bytes: the detached `.p7s`
 * over the canonical JSON, and the CMS inside a PAdES signature over its ByteRange. Runs the CMS
 * checks; the certificate checks are the caller's, the same for every format.
 */
import { Asn1Error } from './asn1';
import { HASH_BY_OID, resolveScheme, verifySignature } from './algorithms';
import { Certificate, parseCertificate } from './certificate';
import { SignedData, SignerInfo, parseSignedData } from './cms';
import { ExaminedSignature, LongTermMaterial, noLongTermMaterial } from './long-term';
import { namesEqual } from './names';
import { OID } from './oids';
import { checkClaimedSigningTime, checkContentType, checkMessageDigest, checkSigningCertificate, checkSigningTime } from './signed-attributes';
import { CheckList } from './verdict';

export interface CadesContext {
  /** The bytes the signature may be over, each with a label for the details. */
  contents: { label: string; bytes: Buffer }[];
  now: Date;
  skewSeconds: number;
  earliestSigningTime?: Date;
  /** PAdES puts the claimed time in the signature dictionary (/M) and may leave signingTime out. */
  signingTimeOutside?: Date | 'absent';
  extraCertificates?: Buffer[];
  label: string;
}

export function examineCades(checks: CheckList, der: Buffer, context: CadesContext): ExaminedSignature | undefined {
  let signedData: SignedData;
  try {
    signedData = parseSignedData(der);
  } catch (error) {
    checks.fail('MALFORMED', error instanceof Asn1Error ? error.message : 'not a CMS SignedData structure');
    return undefined;
  }
  checks.pass('MALFORMED', 'CMS SignedData read');
  if (signedData.encapsulatedContent !== undefined) {
    checks.fail('NOT_DETACHED', `the signature carries the content (${signedData.encapsulatedContent.length} bytes): a detached signature is required`);
  } else {
    checks.pass('NOT_DETACHED', 'detached signature');
  }
  const [signerInfo] = signedData.signerInfos;
  if (signedData.signerInfos.length !== 1) {
    checks.fail('SIGNER_COUNT', `${signedData.signerInfos.length} SignerInfos; exactly one is required`);
    if (!signerInfo) return undefined;
  } else {
    checks.pass('SIGNER_COUNT', 'one SignerInfo');
  }
  const pool = readCertificates(checks, [...signedData.certificates, ...(context.extraCertificates ?? [])]);
  const signer = findSigner(signerInfo, pool);
  if (signer) {
    checks.pass('MISSING_SIGNER_CERTIFICATE', `signer certificate ${signer.subject.display}, serial ${signer.serialHex}`);
  } else {
    checks.fail('MISSING_SIGNER_CERTIFICATE', 'no certificate in the signature matches the SignerInfo identifier');
  }
  const signedAt = checkSignedAttributes(checks, signedData, signerInfo, signer, context);
  return { label: context.label, signer, pool, signedAt, signatureValue: signerInfo.signature, longTerm: longTermOf(signedData, signerInfo) };
}

export function readCertificates(checks: CheckList, ders: Buffer[]): Certificate[] {
  const certificates: Certificate[] = [];
  for (const der of ders) {
    try {
      const certificate = parseCertificate(der);
      if (!certificates.some((known) => known.der.equals(certificate.der))) certificates.push(certificate);
    } catch (error) {
      checks.fail('MALFORMED', `a certificate in the signature is unreadable: ${(error as Error).message}`);
    }
  }
  return certificates;
}

function checkSignedAttributes(
  checks: CheckList,
  signedData: SignedData,
  signerInfo: SignerInfo,
  signer: Certificate | undefined,
  context: CadesContext,
): Date | undefined {
  const signed = signerInfo.signedAttributes;
  if (!signed) {
    checks.fail('MALFORMED', 'the SignerInfo has no signed attributes: not a CAdES signature');
    return undefined;
  }
  const hash = HASH_BY_OID[signerInfo.digestAlgorithm.oid];
  if (!hash) checks.fail('ALGORITHM_UNSUPPORTED', `digest algorithm ${signerInfo.digestAlgorithm.oid} is not SHA-256/384/512`);
  checkContentType(checks, signed.attributes, signedData.encapsulatedContentType);
  if (hash) checkMessageDigest(checks, signed.attributes, hash, context.contents);
  const signedAt = signingTime(checks, signed.attributes, context);
  if (!signer) return signedAt;
  checkSigningCertificate(checks, signed.attributes, signer);
  const resolution = resolveScheme(signerInfo.signatureAlgorithm, signer.x509.publicKey, hash);
  if (!resolution.ok) {
    checks.fail('ALGORITHM_UNSUPPORTED', resolution.reason);
    return signedAt;
  }
  if (hash) checks.pass('ALGORITHM_UNSUPPORTED', resolution.scheme.label);
  if (verifySignature(signed.signedBytes, signerInfo.signature, signer.x509.publicKey, resolution.scheme)) {
    checks.pass('SIGNATURE_INVALID', `${resolution.scheme.label} signature over the signed attributes verifies`);
  } else {
    checks.fail('SIGNATURE_INVALID', "the signature does not verify with the signer certificate's key");
  }
  return signedAt;
}

function signingTime(checks: CheckList, attributes: NonNullable<SignerInfo['signedAttributes']>['attributes'], context: CadesContext): Date | undefined {
  const outside = context.signingTimeOutside;
  if (outside === undefined || attributes.some((attribute) => attribute.oid === OID.signingTime)) {
    return checkSigningTime(checks, attributes, context.now, context.skewSeconds, context.earliestSigningTime);
  }
  if (outside === 'absent') {
    checks.fail('SIGNING_TIME_INVALID', 'neither a signingTime attribute nor a signing time (/M) in the signature dictionary');
    return undefined;
  }
  return checkClaimedSigningTime(checks, outside, context.now, context.skewSeconds, context.earliestSigningTime);
}

function longTermOf(signedData: SignedData, signerInfo: SignerInfo): LongTermMaterial {
  const material = noLongTermMaterial();
  material.certificates = signedData.certificates;
  material.crls = signedData.crls;
  material.ocspResponses = signedData.ocspResponses;
  for (const attribute of signerInfo.unsignedAttributes) {
    if (attribute.oid === OID.signatureTimeStampToken) {
      for (const token of attribute.values) material.timestamps.push({ kind: 'signature', token, covered: signerInfo.signature });
    }
    if (attribute.oid === OID.archiveTimestampV3) {
      for (const token of attribute.values) material.timestamps.push({ kind: 'archive', token });
    }
  }
  return material;
}

function findSigner(signerInfo: SignerInfo, pool: Certificate[]): Certificate | undefined {
  const sid = signerInfo.sid;
  if (sid.kind === 'subjectKeyIdentifier') {
    return pool.find((certificate) => certificate.extensions.subjectKeyId?.equals(sid.keyId));
  }
  return pool.find((certificate) => certificate.serial.equals(sid.serial) && namesEqual(certificate.issuer, sid.issuer));
}
