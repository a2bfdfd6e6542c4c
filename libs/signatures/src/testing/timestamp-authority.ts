/**
 * Crafted RFC 3161 tokens for tests, signed with a test PKI party's key by the project's CMS
 * writer (the independent TSA is `openssl ts`, in interop-tools): another genTime, an imprint
 * over other bytes, another signer.
 */
import { HashName } from '../algorithms';
import { issueTimestampTokenWith } from '../local-tsa';
import { Party } from './test-pki';

export interface InProcessTsaOptions {
  /** Default: the real clock. */
  genTime?: () => Date;
  /** Stamp these bytes instead of the ones asked for (an imprint that does not match). */
  imprintOf?: Buffer;
  hash?: HashName;
  /** Certificates carried in the token beside the TSA's (its chain). */
  chain?: Buffer[];
}

/** A TimeStampToken over `covered`, signed by `tsa`. */
export function issueTimestampToken(tsa: Party, covered: Buffer, options: InProcessTsaOptions = {}): Buffer {
  return issueTimestampTokenWith(
    { key: tsa.privateKey, certificate: tsa.der, chain: options.chain, genTime: options.genTime?.() ?? new Date(), hash: options.hash },
    options.imprintOf ?? covered,
  );
}
