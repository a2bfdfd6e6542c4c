import { ensureDemoPki, isDemoAnchor, loadCrls, loadTrustAnchors, loadTrustedListFile, TrustedList, TrustedListProblem } from '@atlauja/signatures';
import { AppConfig, ConfigurationError } from '../config/configuration';
import { TrustMaterial } from '../applications/signature-verifier';

/** The personal code of local mode's demo representative (new format: carries no birth date). */
export const DEMO_REPRESENTATIVE_CODE = '329999-00001';

/**
 * Server mode: the anchors and CRLs of the configured folders and the trusted list; a DEMO anchor
 * there is refused. Local mode: the same when given, else the DEMO PKI generated under DATA_DIR.
 */
export function loadTrustMaterial(config: AppConfig, now = new Date()): TrustMaterial {
  const trustedLists = config.trustedList ? [trustedListOf(config.trustedList)] : undefined;
  if (config.mode === 'server') {
    const anchors = config.trustedCaDir ? loadTrustAnchors(config.trustedCaDir) : [];
    if (anchors.some(isDemoAnchor)) throw new ConfigurationError([`TRUSTED_CA_DIR holds a DEMO anchor; server mode trusts only real qualified CAs`]);
    if (anchors.length === 0 && !trustedLists) throw new ConfigurationError([`TRUSTED_CA_DIR (${config.trustedCaDir}) holds no certificate`]);
    return { anchors, crls: loadCrls(config.crlDir!), demo: false, ...(trustedLists && { trustedLists }) };
  }
  if (config.trustedCaDir || trustedLists) {
    const anchors = config.trustedCaDir ? loadTrustAnchors(config.trustedCaDir) : [];
    return { anchors, crls: config.crlDir ? loadCrls(config.crlDir) : [], demo: false, ...(trustedLists && { trustedLists }) };
  }
  const pki = ensureDemoPki(config.dataDir, DEMO_REPRESENTATIVE_CODE, now);
  return { anchors: loadTrustAnchors(pki.trustedCaDir), crls: loadCrls(pki.crlDir), demo: true };
}

/** The list must verify with the configured signer: a list that does not is a start-up (or reload) failure, never silently empty trust. */
function trustedListOf(source: { file: string; signerCert: string }): TrustedList {
  try {
    return loadTrustedListFile(source.file, source.signerCert);
  } catch (error) {
    if (error instanceof TrustedListProblem) throw new ConfigurationError([`TRUSTED_LIST_FILE (${source.file}) is refused, ${error.code}: ${error.message}`]);
    throw error;
  }
}
