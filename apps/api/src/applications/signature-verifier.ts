import { Injectable } from '@nestjs/common';
import {
  acceptancePolicyCheck,
  Crl,
  SignatureFormat,
  SignaturePolicyName,
  SignedDocuments,
  TimestampAuthority,
  TimestampUnavailable,
  TrustAnchor,
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
  ) {}

  /** Called with the material now and on every reload (the audit's CRL archive keeps each one). */
  onTrustLoaded(listener: (material: TrustMaterial) => void, now = new Date()): void {
    this.listeners.push(listener);
    listener(this.trust(now));
  }

  /** CRLs go stale within days, so a long-running service re-reads its folders rather than keeping the first copy. */
  trust(now: Date): TrustMaterial {
    if (!('load' in this.source)) return this.source;
    if (!this.loaded || now.getTime() - this.loaded.at >= this.source.refreshMs) {
      this.loaded = { material: this.source.load(now), at: now.getTime() };
      for (const listener of this.listeners) listener(this.loaded.material);
    }
    return this.loaded.material;
  }

  /**
   * A `.p7s`, a signed PDF or an EDOC over the served documents (the canonical JSON; a Buffer is
   * taken as that). `format` is what the upload's content type named; without it the bytes tell.
   */
  verify(signed: Buffer, documents: Buffer | SignedDocuments, expectedPersonalCode: string, now: Date, format?: SignatureFormat, serviceTimestamps: Buffer[] = []): Verdict {
    const trust = this.trust(now);
    const { policy } = this;
    return verifySignature(signed, documents, {
      trustAnchors: trust.anchors,
      crls: trust.crls,
      now,
      expectedPersonalCode,
      format,
      longTerm: acceptancePolicyCheck({
        name: policy.name,
        tsaAnchors: policy.tsaAnchors ?? trust.anchors,
        qualifiedTsas: policy.qualifiedTsas,
        ocspMaxAgeSeconds: policy.ocspMaxAgeSeconds,
      }),
      serviceTimestamps,
    });
  }

  /**
   * As `verify`; a signature refused only for want of a timestamp is then stamped by the
   * service's TSA (over each signature value that lacks one) and verified again with the tokens,
   * which the evidence keeps. A TSA that does not answer in time is a 503: the signer is not at fault.
   */
  async verifyAndComplete(signed: Buffer, documents: Buffer | SignedDocuments, expectedPersonalCode: string, now: Date, format?: SignatureFormat): Promise<Verdict> {
    const first = this.verify(signed, documents, expectedPersonalCode, now, format);
    const authority = this.policy.authority;
    if (first.valid || !authority || !first.untimestamped?.length || first.failures.some((code) => code !== 'TIMESTAMP_MISSING')) return first;
    let tokens: Buffer[];
    try {
      tokens = await Promise.all(first.untimestamped.map((bytes) => authority.timestamp(bytes)));
    } catch (error) {
      if (!(error instanceof TimestampUnavailable)) throw error;
      throw new ProblemError(problem(503, 'Timestamp unavailable', { code: 'TIMESTAMP_UNAVAILABLE', detail: `${error.message}; the signature was not stored, submit it again later` }), { 'retry-after': '30' });
    }
    return this.verify(signed, documents, expectedPersonalCode, now, format, tokens);
  }
}
