import { ensureDemoPki, isDemoAnchor, loadCrls, loadTrustAnchors } from '@atlauja/signatures';
import { AppConfig, ConfigurationError } from '../config/configuration';
import { TrustMaterial } from '../applications/signature-verifier';

/** The personal code of local mode's demo representative (new format: carries no birth date). */
export const DEMO_REPRESENTATIVE_CODE = '329999-00001';

/**
 * Server mode: the anchors and CRLs of the configured folders; a DEMO anchor there is refused.
 * Local mode: the same folders when given, else the DEMO PKI generated under DATA_DIR.
 */
export function loadTrustMaterial(config: AppConfig, now = new Date()): TrustMaterial {
  if (config.mode === 'server') {
    const anchors = loadTrustAnchors(config.trustedCaDir!);
    if (anchors.some(isDemoAnchor)) throw new ConfigurationError([`TRUSTED_CA_DIR holds a DEMO anchor; server mode trusts only real qualified CAs`]);
    if (anchors.length === 0) throw new ConfigurationError([`TRUSTED_CA_DIR (${config.trustedCaDir}) holds no certificate`]);
    return { anchors, crls: loadCrls(config.crlDir!), demo: false };
  }
  if (config.trustedCaDir) {
    return { anchors: loadTrustAnchors(config.trustedCaDir), crls: config.crlDir ? loadCrls(config.crlDir) : [], demo: false };
  }
  const pki = ensureDemoPki(config.dataDir, DEMO_REPRESENTATIVE_CODE, now);
  return { anchors: loadTrustAnchors(pki.trustedCaDir), crls: loadCrls(pki.crlDir), demo: true };
}
