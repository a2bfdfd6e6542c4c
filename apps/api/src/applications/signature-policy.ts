/**
 * The acceptance policy of signatures as configured (SIGNATURE_POLICY and the TSA variables), with
 * the TSA that completes B-level signatures: TSA_URL over HTTP; in local mode on the DEMO PKI, the
 * demo PKI's DEMO TSA (no legal effect, like the rest of local mode); otherwise none, so the
 * default 'latvian' policy refuses a signature without a timestamp.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KeyObject } from 'node:crypto';
import { HttpOcspResponder, HttpTimestampAuthority, LocalTimestampAuthority, TrustAnchor, certificateDer, ensureDemoPki, loadTrustAnchors } from '@atlauja/signatures';
import { AppConfig } from '../config/configuration';
import { Clock } from '../store/tokens';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';
import { SignaturePolicy } from './signature-verifier';

/** Live OCSP answers are reused this long (never past their nextUpdate): a revocation counts within minutes. */
const OCSP_CACHE_SECONDS = 300;

/** Tests: a TSA inside the process, signing with this key and certificate, trusted under these anchors. */
export interface InProcessTsa {
  key: KeyObject;
  certificate: Buffer;
  anchors: TrustAnchor[];
}

export function signaturePolicyOf(config: AppConfig, clock: Clock, options: { demoTrust: boolean; tsa?: InProcessTsa }): SignaturePolicy {
  const settings = config.signatures;
  const policy: SignaturePolicy = {
    name: settings.policy,
    ocspMaxAgeSeconds: settings.ocspMaxAgeSeconds,
    ...(settings.tsaTrustedDir && { tsaAnchors: loadTrustAnchors(settings.tsaTrustedDir) }),
    ...(settings.qualifiedTsaDir && { qualifiedTsas: loadTrustAnchors(settings.qualifiedTsaDir) }),
    ...(settings.ocspUrl && { ocsp: new HttpOcspResponder(settings.ocspUrl, settings.ocspTimeoutMs, OCSP_CACHE_SECONDS, () => clock.now()) }),
  };
  const now = () => clock.now();
  if (options.tsa) {
    return { ...policy, tsaAnchors: policy.tsaAnchors ?? options.tsa.anchors, authority: new LocalTimestampAuthority(options.tsa.key, options.tsa.certificate, now) };
  }
  if (settings.tsaUrl) return { ...policy, authority: new HttpTimestampAuthority(settings.tsaUrl, settings.tsaTimeoutMs) };
  if (config.mode === 'local' && options.demoTrust) {
    const pki = ensureDemoPki(config.dataDir, DEMO_REPRESENTATIVE_CODE);
    return { ...policy, authority: new LocalTimestampAuthority(createPrivateKey(readFileSync(pki.tsaKeyPath)), certificateDer(readFileSync(pki.tsaCertificatePath)), now) };
  }
  return policy;
}
