/**
 * A time-stamping authority inside the process: RFC 3161 tokens signed with a key and certificate
 * held here. Local mode stamps with the DEMO TSA of the demo PKI (no legal effect, like the rest of
 * local mode); tests stamp with the test PKI's TSA. A real deployment uses a qualified TSA over HTTP.
 */
import { KeyObject, randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { Asn1Node, build, toDer } from './asn1';
import { HashName, OID_BY_HASH, digest } from './algorithms';
import { OID } from './oids';
import { signDetachedCades } from './sign';
import { TimestampAuthority } from './tsa-client';

export interface TimestampTokenSpec {
  key: KeyObject;
  /** The TSA's certificate (DER), carried in the token. */
  certificate: Buffer;
  /** Further certificates to carry (its chain). */
  chain?: Buffer[];
  genTime: Date;
  hash?: HashName;
  policy?: string;
}

/** A private-arc policy OID: tokens of an in-process TSA are not any public TSA's. */
export const LOCAL_TSA_POLICY = '1.3.6.1.4.1.99999.3161.1';

const generalizedTime = (date: Date): Asn1Node =>
  forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.GENERALIZEDTIME, false, forge.asn1.dateToGeneralizedTime(date));

/** A TimeStampToken whose imprint is the hash of `imprintOf`. */
export function issueTimestampTokenWith(spec: TimestampTokenSpec, imprintOf: Buffer): Buffer {
  const hash = spec.hash ?? 'sha256';
  const tstInfo = toDer(
    build.sequence([
      build.smallInteger(1),
      build.oid(spec.policy ?? LOCAL_TSA_POLICY),
      build.sequence([build.sequence([build.oid(OID_BY_HASH[hash])]), build.octets(digest(hash, imprintOf))]),
      build.integer(randomBytes(8)),
      generalizedTime(spec.genTime),
    ]),
  );
  return signDetachedCades(tstInfo, { key: spec.key, certificate: spec.certificate, chain: spec.chain, signingTime: spec.genTime, attached: true, contentType: OID.tstInfo });
}

export class LocalTimestampAuthority implements TimestampAuthority {
  constructor(
    private readonly key: KeyObject,
    private readonly certificate: Buffer,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async timestamp(covered: Buffer): Promise<Buffer> {
    return issueTimestampTokenWith({ key: this.key, certificate: this.certificate, genTime: this.clock() }, covered);
  }
}
