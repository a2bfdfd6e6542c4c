/**
 * An in-process RFC 3161 authority for tests: tokens signed with a test PKI party's key by the
 * project's CMS writer (the independent one is `openssl ts`, in interop-tools). Knobs craft the
 * hostile cases: another genTime, an imprint over other bytes.
 */
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { Asn1Node, build, toDer } from '../asn1';
import { HashName, OID_BY_HASH, digest } from '../algorithms';
import { OID } from '../oids';
import { signDetachedCades } from '../sign';
import { TimestampAuthority } from '../tsa-client';
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

const generalizedTime = (date: Date): Asn1Node =>
  forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.GENERALIZEDTIME, false, forge.asn1.dateToGeneralizedTime(date));

/** A TimeStampToken over `covered`, signed by `tsa`. */
export function issueTimestampToken(tsa: Party, covered: Buffer, options: InProcessTsaOptions = {}): Buffer {
  const hash = options.hash ?? 'sha256';
  const genTime = options.genTime?.() ?? new Date();
  const tstInfo = toDer(
    build.sequence([
      build.smallInteger(1),
      build.oid('1.3.6.1.4.1.99999.3161.1'),
      build.sequence([build.sequence([build.oid(OID_BY_HASH[hash])]), build.octets(digest(hash, options.imprintOf ?? covered))]),
      build.integer(randomBytes(8)),
      generalizedTime(genTime),
    ]),
  );
  return signDetachedCades(tstInfo, { key: tsa.privateKey, certificate: tsa.der, chain: options.chain, signingTime: genTime, attached: true, contentType: OID.tstInfo });
}

/** The port, answering at once with a token from this party. */
export function inProcessTimestampAuthority(tsa: Party, options: InProcessTsaOptions = {}): TimestampAuthority & { issued: number } {
  const authority = {
    issued: 0,
    timestamp: async (covered: Buffer): Promise<Buffer> => {
      authority.issued += 1;
      return issueTimestampToken(tsa, covered, options);
    },
  };
  return authority;
}
