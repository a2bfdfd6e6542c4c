/**
 * The acceptance policy: what a signature must carry beyond a valid signature by a qualified
 * certificate. 'latvian' is the Electronic Documents Law's rule for documents between an
 * institution and a person — a qualified signature **and a qualified timestamp** — so a B-level
 * signature is refused (TIMESTAMP_MISSING) unless the service stamps it with its own TSA.
 * 'basic' accepts B level. Either way, every timestamp and OCSP response present is checked, and
 * the policy, the timestamps (with their tokens) and the OCSP responses go into the evidence.
 */
import { Asn1Error } from './asn1';
import { digest } from './algorithms';
import { Certificate } from './certificate';
import { ExaminedSignature, LongTermCheck, LongTermContext, LongTermOutcome, TimestampToken } from './long-term';
import { namesEqual } from './names';
import { OcspResponse, checkOcsp, parseOcspResponse } from './ocsp';
import { checkTimestamp } from './timestamp';
import { parseTstInfo } from './timestamp-token';
import { parseSignedData } from './cms';
import { readCertificates } from './cades-signature';
import { TrustAnchor } from './trust-store';
import { TrustedList } from './trusted-list/trusted-list';
import { CheckList, TimestampEvidence } from './verdict';

export const SIGNATURE_POLICIES = ['latvian', 'basic'] as const;
export type SignaturePolicyName = (typeof SIGNATURE_POLICIES)[number];

/** Default bound on how much older than the proven time an OCSP response may be. */
export const DEFAULT_OCSP_MAX_AGE_SECONDS = 24 * 60 * 60;

export interface AcceptancePolicy {
  name: SignaturePolicyName;
  /** Anchors of TSA certificates (TSA_NOT_TRUSTED): the qualified TSAs' CAs or the TSA certificates themselves. */
  tsaAnchors: TrustAnchor[];
  /** When set, the TSA (or a CA in its path) must be one of these (TSA_NOT_QUALIFIED). */
  qualifiedTsas?: TrustAnchor[];
  /** Trusted lists whose TSA/QTST services are qualified TSAs, judged at each timestamp's genTime. */
  trustedLists?: TrustedList[];
  /** An OCSP response may be at most this much older than the time it speaks for. */
  ocspMaxAgeSeconds?: number;
}

export const requiresTimestamp = (name: SignaturePolicyName): boolean => name === 'latvian';

/** The long-term check for `verifySignature`'s `longTerm` option. */
export function acceptancePolicyCheck(policy: AcceptancePolicy): LongTermCheck {
  return (checks: CheckList, signature: ExaminedSignature, context: LongTermContext): LongTermOutcome => {
    const { evidence } = context;
    evidence.policy = policy.name;
    const proven = checkTimestamps(checks, signature, context, policy);
    const outcome: LongTermOutcome = {};
    if (proven) {
      outcome.provenAt = proven;
      checkValidityAtTimestamp(checks, signature, context, proven);
    } else if (!(evidence.timestamps ?? []).some((stamp) => stamp.signature === signature.label)) {
      if (requiresTimestamp(policy.name)) {
        checks.fail('TIMESTAMP_MISSING', `the ${policy.name} policy requires a qualified timestamp over the signature; it has none (B level)`);
        outcome.untimestamped = signature.signatureValue;
      } else {
        checks.pass('TIMESTAMP_MISSING', `no timestamp: the ${policy.name} policy accepts a B-level signature, judged at its claimed signing time`);
      }
    }
    outcome.revocationKnown = checkEmbeddedOcsp(checks, signature, context, policy, proven);
    return outcome;
  };
}

/** Every signature or document timestamp of the signature, and the service's tokens over its value; the earliest valid genTime. */
function checkTimestamps(checks: CheckList, signature: ExaminedSignature, context: LongTermContext, policy: AcceptancePolicy): Date | undefined {
  const stamps: (TimestampToken | { kind: 'service'; token: Buffer; covered?: Buffer })[] = signature.longTerm.timestamps.filter((stamp) => stamp.kind !== 'archive');
  for (const token of context.serviceTimestamps) {
    if (signature.signatureValue && imprintCovers(token, signature.signatureValue)) stamps.push({ kind: 'service', token, covered: signature.signatureValue });
  }
  // Certificates carried as validation material (CertificateValues, a PDF's DSS) may complete a TSA's path.
  const pool = [...signature.pool, ...readCertificates(new CheckList(), signature.longTerm.certificates)];
  let proven: Date | undefined;
  stamps.forEach((stamp, index) => {
    const scoped = checks.scoped(`timestamp ${index + 1} (${stamp.kind})`);
    const result = checkTimestamp(scoped, stamp.token, stamp.covered, { anchors: policy.tsaAnchors, qualified: policy.qualifiedTsas, trustedLists: policy.trustedLists, now: context.now, skewSeconds: context.skewSeconds }, pool);
    if (result && signature.signedAt && result.genTime.getTime() + context.skewSeconds * 1000 < signature.signedAt.getTime()) {
      scoped.fail('TIMESTAMP_INVALID', `genTime ${result.genTime.toISOString()} is before the claimed signing time ${signature.signedAt.toISOString()}`);
      result.valid = false;
    }
    const record: TimestampEvidence = {
      signature: signature.label,
      kind: stamp.kind === 'archive' ? 'signature' : stamp.kind,
      genTime: result?.genTime.toISOString() ?? '',
      tsa: result?.tsa?.subject.text ?? '',
      serialNumber: result?.serialHex ?? '',
      valid: result?.valid ?? false,
      tokenB64: stamp.token.toString('base64'),
    };
    (context.evidence.timestamps ??= []).push(record);
    if (result?.valid && (!proven || result.genTime < proven)) proven = result.genTime;
  });
  return proven;
}

/** A service token belongs to the signature whose value its imprint hashes. */
function imprintCovers(token: Buffer, covered: Buffer): boolean {
  try {
    const content = parseSignedData(token).encapsulatedContent;
    const info = content ? parseTstInfo(content) : undefined;
    return !!info?.hash && digest(info.hash, covered).equals(info.imprint);
  } catch (error) {
    if (error instanceof Asn1Error) return false;
    throw error;
  }
}

/** The signer's path within validity, and the signer not revoked (per the CRLs at hand), at the proven time. */
function checkValidityAtTimestamp(checks: CheckList, signature: ExaminedSignature, context: LongTermContext, at: Date): void {
  const when = at.toISOString();
  const chain = context.chain.length > 0 ? context.chain : signature.signer ? [signature.signer] : [];
  const outside = chain.filter((certificate) => at < certificate.notBefore || at > certificate.notAfter);
  const revoked = revokedBefore(chain, context, at);
  const problems = [
    ...outside.map((certificate) => `${certificate.subject.display} is valid ${certificate.notBefore.toISOString()} – ${certificate.notAfter.toISOString()}, not at ${when}`),
    ...revoked,
  ];
  if (problems.length > 0) checks.fail('CERT_NOT_VALID_AT_TIMESTAMP', problems.join('; '));
  else checks.pass('CERT_NOT_VALID_AT_TIMESTAMP', `${chain.length} certificate(s) valid and not revoked at the timestamp's time ${when}`);
}

function revokedBefore(chain: Certificate[], context: LongTermContext, at: Date): string[] {
  const problems: string[] = [];
  for (let i = 0; i + 1 < chain.length; i += 1) {
    for (const crl of context.crls) {
      const entry = crl.revoked.get(chain[i].serialHex);
      if (entry && entry.revokedAt <= at && namesEqual(crl.issuer, chain[i + 1].subject)) {
        problems.push(`${chain[i].subject.display} was revoked on ${entry.revokedAt.toISOString()}, before the timestamp's time`);
      }
    }
  }
  return [...new Set(problems)];
}

/** The OCSP responses the signature carries, for each certificate of its path they name. */
function checkEmbeddedOcsp(checks: CheckList, signature: ExaminedSignature, context: LongTermContext, policy: AcceptancePolicy, proven: Date | undefined): Certificate[] {
  const known: Certificate[] = [];
  const carried = [...signature.longTerm.ocspResponses, ...context.fetchedOcspResponses];
  if (carried.length === 0 || context.chain.length < 2) return known;
  const responses: OcspResponse[] = [];
  for (const der of carried) {
    try {
      responses.push(parseOcspResponse(der));
    } catch (error) {
      checks.fail('OCSP_INVALID', `an embedded OCSP response is unreadable: ${(error as Error).message}`);
    }
  }
  const reference = proven ?? signature.signedAt ?? context.now;
  const options = { reference, now: context.now, maxAgeSeconds: policy.ocspMaxAgeSeconds ?? DEFAULT_OCSP_MAX_AGE_SECONDS, skewSeconds: context.skewSeconds, trustedLists: policy.trustedLists };
  for (let i = 0; i + 1 < context.chain.length; i += 1) {
    const judged = checkOcsp(checks, responses, context.chain[i], context.chain[i + 1], options);
    if (judged?.statusKnown) known.push(context.chain[i]);
    if (judged) (context.evidence.ocspResponses ??= []).push(judged.evidence);
    else if (i === 0 && responses.length > 0 && signature.longTerm.ocspResponses.length > 0) {
      checks.fail('OCSP_FOR_OTHER_CERT', `the signature carries ${responses.length} OCSP response(s), none about its signer ${context.chain[0].subject.display} (serial ${context.chain[0].serialHex})`);
    }
  }
  return known;
}
