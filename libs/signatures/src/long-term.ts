/**
 * What a long-term signature (level T, LT, LTA) carries beside the signature itself: timestamp
 * tokens, certificates, CRLs and OCSP responses. The format readers collect it as found, without
 * judging it; timestamp and OCSP validation plug in at one place (`VerifyOptions.longTerm`).
 */
import { Certificate } from './certificate';
import { Crl } from './crl';
import { CheckList, Evidence } from './verdict';

export interface TimestampToken {
  /** signature: over the signature value (XAdES/CAdES-T); archive: XAdES/CAdES-LTA; document: a PAdES document timestamp. */
  kind: 'signature' | 'archive' | 'document';
  /** The RFC 3161 TimeStampToken (CMS ContentInfo), DER. */
  token: Buffer;
  /**
   * The bytes whose hash the token's message imprint must be: the canonicalized ds:SignatureValue
   * (XAdES), the SignerInfo signature value (CAdES), the ByteRange of the document timestamp
   * (PAdES). Absent for archive timestamps, whose input the timestamp checks assemble themselves.
   */
  covered?: Buffer;
}

export interface LongTermMaterial {
  timestamps: TimestampToken[];
  /** Certificates carried for validation (XAdES CertificateValues, CMS certificates, PAdES DSS). */
  certificates: Buffer[];
  crls: Buffer[];
  ocspResponses: Buffer[];
}

export const noLongTermMaterial = (): LongTermMaterial => ({ timestamps: [], certificates: [], crls: [], ocspResponses: [] });

/** One signature found in the signed object, after its format's own checks. */
export interface ExaminedSignature {
  /** How the details name it when a container holds several (the XAdES Id, the PDF field). */
  label: string;
  signer?: Certificate;
  /** Every certificate the signature carries, for path building. */
  pool: Certificate[];
  /** The claimed signing time, when readable. */
  signedAt?: Date;
  /**
   * What a signature timestamp over this signature covers: the CMS signature value, or the XAdES
   * ds:SignatureValue in exclusive C14N. A timestamp the service obtains itself is over these bytes.
   */
  signatureValue?: Buffer;
  longTerm: LongTermMaterial;
}

/** What the long-term check may use beside the signature: the path found, the time, the CRLs. */
export interface LongTermContext {
  now: Date;
  skewSeconds: number;
  /** The signer's path, signer first, up to and including the anchor (when one was reached). */
  chain: Certificate[];
  crls: Crl[];
  /** Time-stamp tokens the service obtained itself over a signature value (matched by imprint). */
  serviceTimestamps: Buffer[];
  /** OCSP responses the service fetched itself (live OCSP), judged like embedded ones. */
  fetchedOcspResponses: Buffer[];
  /** The verdict's evidence: the check records the policy, the timestamps and OCSP responses it judged. */
  evidence: Evidence;
}

export interface LongTermOutcome {
  /** The earliest valid timestamp's genTime. */
  provenAt?: Date;
  /** Set when the signature has no valid timestamp: the bytes a timestamp would have to cover. */
  untimestamped?: Buffer;
  /** Certificates of the path whose revocation status an authorized, fresh OCSP response gives: a missing CRL is then no REVOCATION_UNKNOWN. */
  revocationKnown?: Certificate[];
}

/**
 * The place where timestamp (RFC 3161) and OCSP checks run, once per signature, after the path,
 * validity and qualification checks and before the CRL checks: add checks to `checks`; return the
 * proven time, if any, and the certificates whose status OCSP gave.
 */
export type LongTermCheck = (checks: CheckList, signature: ExaminedSignature, context: LongTermContext) => LongTermOutcome | void;
