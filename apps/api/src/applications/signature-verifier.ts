import { Injectable } from '@nestjs/common';
import {
  acceptancePolicyCheck,
  Crl,
  SignatureFormat,
  SignaturePolicyName,
  SignedDocuments,
  StaleCrlPolicy,
  OcspResponder,
  OcspUnavailable,
  parseCertificate,
  TimestampAuthority,
  TimestampUnavailable,
  TrustAnchor,
  TrustedList,
  Verdict,
  verifySignature,
} from '@atlauja/signatures';
import { problem, ProblemError } from '../http/problem';

export const TRUST_MATERIAL = Symbol('TRUST_MATERIAL');

/** The anchors and CRLs in force: from TRUSTED_CA_DIR / CRL_DIR, or the demo PKI of local mode. */
export interface TrustMaterial {
  anchors: TrustAnchor[];
  crls: Crl[];
  /** True when the only anchor is local mode's DEMO CA. */
  demo: boolean;
  /** TRUSTED_LIST_FILE, its signature verified: CA/QC anchors and qualified TSAs judged at the signing time. */
  trustedLists?: TrustedList[];
}

/** Where trust material comes from; `load` reads it afresh (new CRLs are published every few hours). */
export interface TrustSource {
  load(now: Date): TrustMaterial;
  /** How long loaded material is used before it is read again. */
  refreshMs: number;
}

/** The acceptance policy in force, and the TSA the service completes B-level signatures with. */
export interface SignaturePolicy {
  name: SignaturePolicyName;
  /** Anchors of TSA certificates; unset: the signing trust anchors in force. */
  tsaAnchors?: TrustAnchor[];
  qualifiedTsas?: TrustAnchor[];
  ocspMaxAgeSeconds?: number;
  /** Absent: a signature without a timestamp is refused under 'latvian' (TIMESTAMP_MISSING). */
  authority?: TimestampAuthority;
  /** Live OCSP, asked when a certificate's revocation status is otherwise unknown. */
  ocsp?: OcspResponder;
}

/** Without a configuration (unit tests): B level accepted, as before there was a policy. */
const BASIC: SignaturePolicy = { name: 'basic' };

@Injectable()
export class SignatureVerifier {
  private loaded: { material: TrustMaterial; at: number } | undefined;
  private readonly listeners: ((material: TrustMaterial) => void)[] = [];

  constructor(
    private readonly source: TrustSource | TrustMaterial,
    readonly policy: SignaturePolicy = BASIC,
    /** CRL_STALE_POLICY: whether the newest CRL past its nextUpdate refuses (recorded in each verdict's evidence). */
    private readonly staleCrlPolicy: StaleCrlPolicy = 'refuse',
  ) {}

  /** Called with the material now and on every reload (the audit's CRL archive keeps each one). */
  onTrustLoaded(listener: (material: TrustMaterial) => void, now = new Date()): void {
    this.listeners.push(listener);
    listener(this.trust(now));
  }

  /** CRLs go stale within days, so a long-running service re-reads its folders rather than keeping the first copy. */
  trust(now: Date): TrustMaterial {
    if (!('load' in this.source)) return this.source;
    if (!this.loaded || now.getTime() - this.loaded.at >= this.source.refreshMs) return this.reload(now);
    return this.loaded.material;
  }

  /**
   * Reads the trust folders now, so a certificate just put on a CRL is refused from the next
   * verification on, not after the refresh interval. When the folders cannot be read the error
   * is thrown and the material in force stays (a half-written folder must not empty the trust).
   */
  reload(now: Date): TrustMaterial {
    if (!('load' in this.source)) return this.source;
    const material = this.source.load(now);
    this.loaded = { material, at: now.getTime() };
    for (const listener of this.listeners) listener(material);
    return material;
  }

  /**
   * A `.p7s`, a signed PDF or an EDOC over the served documents (the canonical JSON; a Buffer is
   * taken as that). `format` is what the upload's content type named; without it the bytes tell.
   */
  verify(
    signed: Buffer,
    documents: Buffer | SignedDocuments,
    expectedPersonalCode: string,
    now: Date,
    format?: SignatureFormat,
    serviceTimestamps: Buffer[] = [],
    fetchedOcspResponses: Buffer[] = [],
  ): Verdict {
    const trust = this.trust(now);
    const { policy } = this;
    return verifySignature(signed, documents, {
      trustAnchors: trust.anchors,
      crls: trust.crls,
      now,
      expectedPersonalCode,
      format,
      staleCrlPolicy: this.staleCrlPolicy,
      ...(trust.trustedLists && { trustedLists: trust.trustedLists }),
      longTerm: acceptancePolicyCheck({
        name: policy.name,
        tsaAnchors: policy.tsaAnchors ?? trust.anchors,
        qualifiedTsas: policy.qualifiedTsas,
        ...(trust.trustedLists && { trustedLists: trust.trustedLists }),
        ocspMaxAgeSeconds: policy.ocspMaxAgeSeconds,
      }),
      serviceTimestamps,
      fetchedOcspResponses,
    });
  }

  /**
   * As `verify`; a signature refused only for want of a timestamp is then stamped by the
   * service's TSA (over each signature value that lacks one) and verified again with the tokens,
   * which the evidence keeps. A TSA that does not answer in time is a 503: the signer is not at fault.
   */
  async verifyAndComplete(signed: Buffer, documents: Buffer | SignedDocuments, expectedPersonalCode: string, now: Date, format?: SignatureFormat): Promise<Verdict> {
    const completable = new Set(['TIMESTAMP_MISSING', 'REVOCATION_UNKNOWN']);
    let verdict = this.verify(signed, documents, expectedPersonalCode, now, format);
    if (verdict.valid || verdict.failures.some((code) => !completable.has(code))) return verdict;
    const { authority, ocsp } = this.policy;
    const tokens = authority && verdict.untimestamped?.length ? await this.stamp(authority, verdict.untimestamped) : [];
    const responses = ocsp && verdict.failures.includes('REVOCATION_UNKNOWN') ? await this.askOcsp(ocsp, verdict.evidence.certificatesB64) : [];
    if (tokens.length > 0 || responses.length > 0) verdict = this.verify(signed, documents, expectedPersonalCode, now, format, tokens, responses);
    return verdict;
  }

  private async stamp(authority: TimestampAuthority, values: Buffer[]): Promise<Buffer[]> {
    try {
      return await Promise.all(values.map((bytes) => authority.timestamp(bytes)));
    } catch (error) {
      if (!(error instanceof TimestampUnavailable)) throw error;
      throw new ProblemError(problem(503, 'Timestamp unavailable', { code: 'TIMESTAMP_UNAVAILABLE', detail: `${error.message}; the signature was not stored, submit it again later` }), { 'retry-after': '30' });
    }
  }

  /**
   * The signer's status (the first certificate, issued by the second, of the representative's path):
   * one responder is configured, the issuing CA's; the CAs above are judged by their CRLs. A
   * responder that fails or is slow leaves the status unknown.
   */
  private async askOcsp(ocsp: OcspResponder, path: string[]): Promise<Buffer[]> {
    if (path.length < 2) return [];
    const [signer, issuer] = path.slice(0, 2).map((b64) => parseCertificate(Buffer.from(b64, 'base64')));
    try {
      return [await ocsp.status(signer, issuer)];
    } catch (error) {
      if (error instanceof OcspUnavailable) return [];
      throw error;
    }
  }


}
