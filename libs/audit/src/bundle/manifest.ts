/** The bundle's table of contents: what was selected, each stream's head, each signature's files, every file's SHA-256. */
export const BUNDLE_FORMAT = 'atlauja.audit-bundle.v1';
export const MANIFEST = 'manifest.json';
export const SHA256SUMS = 'SHA256SUMS';
export const EVENTS = 'events.jsonl';
export const TRUST_ANCHORS = 'trust-anchors.pem';

export interface BundleSignature {
  readonly applicationId: string;
  readonly stream: string;
  readonly revision: string;
  /** cades: a detached `.p7s` over the JSON; pades: the signed `.pdf`; xades: the `.edoc` (ASiC-E). Absent in older bundles: cades. */
  readonly format?: 'cades' | 'pades' | 'xades';
  /** `signatures/<application>-<revision>.p7s` (DER), `.pdf` or `.edoc`: the signed object as received. */
  readonly signature: string;
  /** `signatures/<application>-<revision>.json`: the canonical JSON of the submission (what a `.p7s` signs; inside the PDF as its attachment). */
  readonly document: string;
  /** The readable PDF's SHA-256 as the submission recorded it, when one was served. */
  readonly pdfSha256?: string;
  readonly documentSha256: string;
  readonly signedAt: string;
  readonly acceptedAt: string;
  /** PEM files, signer first, then its chain up to the anchor. */
  readonly certificates: readonly string[];
  /** SHA-256 of the anchor's DER, as the evidence records it. */
  readonly trustAnchorSha256: string;
  /** PEM files of the CRLs used, named by the SHA-256 of their DER (as the evidence names them). */
  readonly crls: readonly string[];
  /** CRLs the evidence names that no archive held when the bundle was made. */
  readonly crlsMissing: readonly string[];
  /** The acceptance policy the signature was accepted under (absent before there was one). */
  readonly policy?: string;
  /** When the signature provably existed: its earliest valid timestamp's genTime. */
  readonly provenAt?: string;
  /** Each timestamp judged: `timestamps/<sha256>.tst`, the RFC 3161 TimeStampToken (DER), for `openssl ts -verify`. */
  readonly timestamps?: readonly { readonly file: string; readonly kind: string; readonly genTime: string; readonly tsa: string; readonly imprint: string }[];
  /** Each OCSP response judged: `ocsp/<sha256>.der`, for `openssl ocsp -respin`. */
  readonly ocspResponses?: readonly { readonly file: string; readonly certificateSerial: string; readonly status: string; readonly thisUpdate: string }[];
}

export interface BundleManifest {
  readonly format: typeof BUNDLE_FORMAT;
  readonly createdAt: string;
  readonly selection: { readonly stream?: string; readonly institution?: string; readonly from?: string; readonly to?: string };
  readonly streams: readonly { readonly stream: string; readonly events: number; readonly head: { readonly revision: string; readonly hash: string } }[];
  readonly signatures: readonly BundleSignature[];
  /** Every file but manifest.json and SHA256SUMS, by path, with its SHA-256. */
  readonly files: Readonly<Record<string, string>>;
}
