import { Injectable } from '@nestjs/common';
import { Crl, SignatureFormat, SignedDocuments, StaleCrlPolicy, TrustAnchor, Verdict, verifySignature } from '@atlauja/signatures';

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

@Injectable()
export class SignatureVerifier {
  private loaded: { material: TrustMaterial; at: number } | undefined;
  private readonly listeners: ((material: TrustMaterial) => void)[] = [];

  constructor(
    private readonly source: TrustSource | TrustMaterial,
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
  verify(signed: Buffer, documents: Buffer | SignedDocuments, expectedPersonalCode: string, now: Date, format?: SignatureFormat): Verdict {
    const trust = this.trust(now);
    return verifySignature(signed, documents, {
      trustAnchors: trust.anchors,
      crls: trust.crls,
      now,
      expectedPersonalCode,
      format,
      staleCrlPolicy: this.staleCrlPolicy,
    });
  }
}
