/** The outcome of a verification: every check with its stable code, and the evidence to re-verify it. */

/**
 * Stable check codes. A check is named by the code it fails with; `ok: true` means it passed
 * (for REVOCATION_UNKNOWN under 'allow-unknown': status unknown, accepted by policy — see detail).
 */
export const CHECK_CODES = [
  'TOO_LARGE',
  'MALFORMED',
  'NOT_DETACHED',
  'SIGNER_COUNT',
  'MISSING_SIGNER_CERTIFICATE',
  'CONTENT_TYPE_INVALID',
  'CONTENT_MISMATCH',
  'MISSING_SIGNING_CERTIFICATE',
  'SIGNING_CERTIFICATE_MISMATCH',
  'SIGNING_TIME_INVALID',
  'ALGORITHM_UNSUPPORTED',
  'SIGNATURE_INVALID',
  'CHAIN_UNTRUSTED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ISSUER_NOT_CA',
  'NOT_QUALIFIED',
  'NOT_NON_REPUDIATION',
  'SIGNER_MISMATCH',
  'CRL_INVALID',
  'CRL_STALE',
  'REVOCATION_UNKNOWN',
  'CERT_REVOKED',
  'EVIDENCE_MISMATCH',
  // The signed object as a whole: which format, and containers (EDOC / ASiC-E).
  'FORMAT_UNKNOWN',
  'MIMETYPE_MISSING',
  'MIMETYPE_INVALID',
  'CONTAINER_UNSAFE_NAME',
  'CONTAINER_DUPLICATE_NAME',
  'CONTAINER_TOO_LARGE',
  'CONTAINER_EXTRA_FILE',
  'CONTAINER_DOCUMENT_MISSING',
  'MANIFEST_MISMATCH',
  'XML_FORBIDDEN',
  // XAdES: what the signature covers.
  'REFERENCE_UNRESOLVED',
  'REFERENCE_MISMATCH',
  'FILE_NOT_SIGNED',
  'SIGNED_PROPERTIES_NOT_COVERED',
  'SIGNATURE_WRAPPING',
  // PAdES: the served PDF, and nothing but a signature added to it.
  'BYTE_RANGE_INVALID',
  'PDF_MODIFIED_AFTER_SIGNING',
  // Long-term signatures: RFC 3161 timestamps and OCSP responses, under the acceptance policy.
  'TIMESTAMP_MISSING',
  'TIMESTAMP_INVALID',
  'TIMESTAMP_IMPRINT_MISMATCH',
  'TSA_NOT_TRUSTED',
  'TSA_NOT_QUALIFIED',
  'CERT_NOT_VALID_AT_TIMESTAMP',
  'OCSP_INVALID',
  'OCSP_NOT_AUTHORIZED',
  'OCSP_FOR_OTHER_CERT',
  'OCSP_STALE',
  // Trust from the trusted lists (ETSI TS 119 612).
  'TRUSTED_LIST_SIGNATURE_INVALID',
  'SERVICE_NOT_GRANTED_AT_SIGNING_TIME',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];

export interface Check {
  code: CheckCode;
  ok: boolean;
  detail: string;
}

export interface CrlEvidence {
  issuer: string;
  number?: string;
  thisUpdate: string;
  nextUpdate?: string;
  sha256: string;
  /** Past its nextUpdate when applied: only under staleCrlPolicy 'accept-stale'. */
  stale?: boolean;
}

/** How the representative signed: a detached `.p7s`, a signed PDF, or an EDOC (ASiC-E with XAdES). */
export type SignatureFormat = 'cades' | 'pades' | 'xades';
export const SIGNATURE_FORMATS: readonly SignatureFormat[] = ['cades', 'pades', 'xades'];

/** What an auditor needs to re-verify offline, years later. Contains personal data (the signer's certificate). */
export interface Evidence {
  /** Absent in evidence written before PDFs and EDOCs were accepted: then 'cades'. */
  format?: SignatureFormat;
  /** The whole signed object as received: the `.p7s`, the signed PDF, or the EDOC. */
  signatureB64: string;
  contentSha256: string;
  /** Signer first, then the chain up to and including the trust anchor. */
  certificatesB64: string[];
  /** SHA-256 of the trust anchor certificate; empty when no anchor was reached. */
  trustAnchorSha256: string;
  crls: CrlEvidence[];
  checkedAt: string;
  /**
   * The revocation policies the verdict was reached under; re-verification applies the same.
   * Absent in evidence written before they were recorded: the defaults ('require', 'refuse').
   */
  revocationPolicy?: { unknown: 'require' | 'allow-unknown'; staleCrl: 'refuse' | 'accept-stale' };
  /** The acceptance policy the verdict was reached under (absent before there was one: 'basic'). */
  policy?: string;
  /** Every timestamp judged, with its token: embedded in the signed object, or obtained by the service. */
  timestamps?: TimestampEvidence[];
  /** Every OCSP response judged, with its bytes. */
  ocspResponses?: OcspEvidence[];
  /** The representative's signature existed at this time: the earliest valid timestamp's genTime. */
  provenAt?: string;
  /** The trusted lists the verdict was judged against; the bytes are archived under their SHA-256. */
  trustedLists?: TrustedListEvidence[];
}

export interface TrustedListEvidence {
  territory: string;
  sequenceNumber: number;
  issuedAt: string;
  sha256: string;
}

export interface TimestampEvidence {
  /** Which signature it proves (the label of the details). */
  signature: string;
  /** signature / document: in the signed object; service: obtained by this service from its TSA. */
  kind: 'signature' | 'document' | 'service';
  genTime: string;
  tsa: string;
  serialNumber: string;
  valid: boolean;
  tokenB64: string;
}

export interface OcspEvidence {
  /** The certificate the response is about (subject), and its serial. */
  certificate: string;
  serialNumber: string;
  status: 'good' | 'revoked' | 'unknown';
  producedAt: string;
  thisUpdate: string;
  responder: string;
  valid: boolean;
  sha256: string;
  responseB64: string;
}

export interface SignerSummary {
  /** Normalized `DDMMYY-NNNNN`, from a `PNOLV-` subject serialNumber. Personal data: never log it. */
  personalCode?: string;
  subject: string;
  /** Certificate serial number, upper-case hex. */
  serialNumber: string;
  issuer: string;
}

export interface Verdict {
  valid: boolean;
  signedAt?: string;
  /** The genTime of the representative's earliest valid timestamp: a time the signature provably existed. */
  provenAt?: string;
  signer?: SignerSummary;
  checks: Check[];
  /** Codes of the failed checks, each once, in check order. */
  failures: CheckCode[];
  evidence: Evidence;
  /**
   * The bytes a signature timestamp would cover, of each signature that has none (ds:SignatureValue
   * canonicalized, or the CMS signature value): what the service's own TSA may stamp. Not evidence.
   */
  untimestamped?: Buffer[];
}

/** Collects checks in the order they run. */
export class CheckList {
  constructor(readonly checks: Check[] = [], private readonly prefix = '') {}

  /** The same list, each detail prefixed (one of several signatures in a container). */
  scoped(label: string): CheckList {
    return new CheckList(this.checks, `${this.prefix}${label}: `);
  }

  pass(code: CheckCode, detail: string): void {
    this.checks.push({ code, ok: true, detail: this.prefix + detail });
  }

  fail(code: CheckCode, detail: string): void {
    this.checks.push({ code, ok: false, detail: this.prefix + detail });
  }

  record(code: CheckCode, ok: boolean, detail: string): boolean {
    this.checks.push({ code, ok, detail: this.prefix + detail });
    return ok;
  }

  failures(): CheckCode[] {
    return [...new Set(this.checks.filter((check) => !check.ok).map((check) => check.code))];
  }
}
