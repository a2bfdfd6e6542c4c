/** Re-verification of stored evidence, offline, as of the original verification. */
import { createHash } from 'node:crypto';
import { Crl } from './crl';
import { SignedDocuments, asSignedDocuments } from './documents';
import { LongTermCheck } from './long-term';
import { RevocationPolicy } from './revocation';
import { TrustAnchor } from './trust-store';
import { TrustedList } from './trusted-list/trusted-list';
import { listedCaAnchors } from './trusted-list/list-trust';
import { Evidence, Verdict } from './verdict';
import { runVerification } from './verify';

export interface ReverifyOptions {
  /**
   * Every anchor known (in force or archived). Only the one the evidence recorded is used: the
   * verdict rests on the trust of that day, so anchors added or removed since change nothing.
   */
  trustAnchors: TrustAnchor[];
  /** The CRLs as archived at the time of the original check. */
  crls: (Buffer | Crl)[];
  expectedPersonalCode: string;
  /** Only for evidence that recorded no policy (written before policies were recorded); else the recorded one applies. */
  revocationPolicy?: RevocationPolicy;
  /** The long-term check (acceptance policy) to judge the timestamps and OCSP responses with again; without it they are not re-judged. */
  longTerm?: LongTermCheck;
  /**
   * Every trusted list known (in force or archived). Only the versions the evidence names are
   * used, so a newer list (a service withdrawn since) changes nothing about that day's verdict.
   */
  trustedLists?: TrustedList[];
}

/**
 * Re-runs every check with the stored signed object (a `.p7s`, a signed PDF or an EDOC, as
 * `evidence.format` says) and certificates, with "now" set to the
 * original `checkedAt` (so the CRLs of that day are current and the signing time is bounded as
 * it was). Independent of today's clock and of today's trust configuration: only anchors whose
 * certificate is in the path the evidence recorded take part (an issuing CA configured or removed
 * since changes nothing), the CRLs are the ones it names, the revocation
 * policies the ones it recorded. Adds EVIDENCE_MISMATCH when the content, the anchor or the path
 * differ from what the evidence recorded, or the recorded anchor is not among `trustAnchors`.
 */
export function reverifyFromEvidence(evidence: Evidence, documents: Buffer | SignedDocuments, options: ReverifyOptions): Verdict {
  const checkedAt = new Date(evidence.checkedAt);
  const served = asSignedDocuments(documents);
  const format = evidence.format ?? 'cades';
  // The anchors of that day are the known anchors whose certificate ends a path the evidence recorded;
  // evidence without an anchor (a refused chain) stays without one, whatever is configured since.
  const recordedCertificates = new Set(evidence.certificatesB64);
  const recordedAnchors =
    evidence.trustAnchorSha256 === '' ? [] : options.trustAnchors.filter((anchor) => recordedCertificates.has(anchor.certificate.der.toString('base64')));
  const policy = evidence.revocationPolicy;
  const namedLists = (evidence.trustedLists ?? []).map((named) => named.sha256);
  const lists = (options.trustedLists ?? []).filter((list) => namedLists.includes(list.sha256));
  // An anchor from a list the evidence names is as known as an archived one.
  const anchorKnown = [...options.trustAnchors, ...listedCaAnchors(lists)].some((anchor) => anchor.sha256 === evidence.trustAnchorSha256);
  const verdict = runVerification(
    Buffer.from(evidence.signatureB64, 'base64'),
    served,
    {
      format,
      trustAnchors: recordedAnchors,
      crls: options.crls,
      now: checkedAt,
      expectedPersonalCode: options.expectedPersonalCode,
      revocationPolicy: policy?.unknown ?? options.revocationPolicy,
      staleCrlPolicy: policy?.staleCrl,
      longTerm: options.longTerm,
      ...(lists.length > 0 && { trustedLists: lists }),
      // The tokens the service obtained are not in the signed object: the evidence keeps them.
      serviceTimestamps: (evidence.timestamps ?? []).filter((stamp) => stamp.kind === 'service').map((stamp) => Buffer.from(stamp.tokenB64, 'base64')),
    },
    { extraCertificates: evidence.certificatesB64.map((der) => Buffer.from(der, 'base64')) },
  );
  const problems: string[] = [];
  const content = format === 'cades' ? createHash('sha256').update(served.json).digest('hex') : served.readable?.sha256;
  if (content !== evidence.contentSha256) problems.push('the content is not the one recorded');
  const missingLists = namedLists.filter((sha256) => !lists.some((list) => list.sha256 === sha256));
  if (missingLists.length > 0) problems.push(`the trusted list(s) ${missingLists.join(', ')} recorded are in no archive`);
  if (evidence.trustAnchorSha256 !== '' && !anchorKnown) problems.push('the recorded trust anchor is in no archive');
  else if (verdict.evidence.trustAnchorSha256 !== evidence.trustAnchorSha256) problems.push('the trust anchor is not the one recorded');
  if (verdict.evidence.trustAnchorSha256 !== '' && !samePath(verdict.evidence.certificatesB64, evidence.certificatesB64)) problems.push('the certification path is not the one recorded');
  const checks = [
    ...verdict.checks,
    problems.length > 0
      ? { code: 'EVIDENCE_MISMATCH' as const, ok: false, detail: problems.join('; ') }
      : { code: 'EVIDENCE_MISMATCH' as const, ok: true, detail: 'content, trust anchor and certification path are the ones recorded' },
  ];
  const failures = [...new Set(checks.filter((check) => !check.ok).map((check) => check.code))];
  return { ...verdict, checks, failures, valid: failures.length === 0 };
}

/** The path rebuilt runs through the certificates recorded, in order (the recorded list may hold other signers' chains after it). */
function samePath(rebuilt: string[], recorded: string[]): boolean {
  return rebuilt.every((certificate, i) => recorded[i] === certificate);
}
