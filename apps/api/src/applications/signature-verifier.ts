import { Injectable } from '@nestjs/common';
import { Crl, TrustAnchor, Verdict, verifyDetachedCades } from '@atlauja/signatures';

export const TRUST_MATERIAL = Symbol('TRUST_MATERIAL');

/** The anchors and CRLs in force: from TRUSTED_CA_DIR / CRL_DIR, or the demo PKI of local mode. */
export interface TrustMaterial {
  anchors: TrustAnchor[];
  crls: Crl[];
  /** True when the only anchor is local mode's DEMO CA. */
  demo: boolean;
}

@Injectable()
export class SignatureVerifier {
  constructor(private readonly trust: TrustMaterial) {}

  verify(signature: Buffer, document: Buffer, expectedPersonalCode: string, now: Date): Verdict {
    return verifyDetachedCades(signature, document, {
      trustAnchors: this.trust.anchors,
      crls: this.trust.crls,
      now,
      expectedPersonalCode,
    });
  }
}
