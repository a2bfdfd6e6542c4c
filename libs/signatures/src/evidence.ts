/** Re-verification of stored evidence, offline, as of the original verification. */
import { createHash } from 'node:crypto';
import { Crl } from './crl';
import { SignedDocuments, asSignedDocuments } from './documents';
import { LongTermCheck } from './long-term';
import { RevocationPolicy } from './revocation';
import { TrustAnchor } from './trust-store';
import { Evidence, Verdict } from './verdict';
import { runVerification } from './verify';

export interface ReverifyOptions {
  trustAnchors: TrustAnchor[];
  /** The CRLs as archived at the time of the original check. */
  crls: (Buffer | Crl)[];
  expectedPersonalCode: string;
  revocationPolicy?: RevocationPolicy;
  /** The long-term check (acceptance policy) to judge the timestamps and OCSP responses with again; without it they are not re-judged. */
  longTerm?: LongTermCheck;
}

/**
 * Re-runs every check with the stored signed object (a `.p7s`, a signed PDF or an EDOC, as
 * `evidence.format` says) and certificates, with "now" set to the
 * original `checkedAt` (so the CRLs of that day are current and the signing time is bounded as
 * it was). Independent of today's clock. Adds EVIDENCE_MISMATCH when the content or the trust
 * anchor differ from what the evidence recorded.
 */
export function reverifyFromEvidence(evidence: Evidence, documents: Buffer | SignedDocuments, options: ReverifyOptions): Verdict {
  const checkedAt = new Date(evidence.checkedAt);
  const served = asSignedDocuments(documents);
  const format = evidence.format ?? 'cades';
  const verdict = runVerification(
    Buffer.from(evidence.signatureB64, 'base64'),
    served,
    {
      format,
      trustAnchors: options.trustAnchors,
      crls: options.crls,
      now: checkedAt,
      expectedPersonalCode: options.expectedPersonalCode,
      revocationPolicy: options.revocationPolicy,
      longTerm: options.longTerm,
      // The tokens the service obtained are not in the signed object: the evidence keeps them.
      serviceTimestamps: (evidence.timestamps ?? []).filter((stamp) => stamp.kind === 'service').map((stamp) => Buffer.from(stamp.tokenB64, 'base64')),
    },
    { extraCertificates: evidence.certificatesB64.map((der) => Buffer.from(der, 'base64')) },
  );
  const problems: string[] = [];
  const content = format === 'cades' ? createHash('sha256').update(served.json).digest('hex') : served.readable?.sha256;
  if (content !== evidence.contentSha256) problems.push('the content is not the one recorded');
  if (verdict.evidence.trustAnchorSha256 !== evidence.trustAnchorSha256) problems.push('the trust anchor is not the one recorded');
  const checks = [
    ...verdict.checks,
    problems.length > 0
      ? { code: 'EVIDENCE_MISMATCH' as const, ok: false, detail: problems.join('; ') }
      : { code: 'EVIDENCE_MISMATCH' as const, ok: true, detail: 'content and trust anchor are the ones recorded' },
  ];
  const failures = [...new Set(checks.filter((check) => !check.ok).map((check) => check.code))];
  return { ...verdict, checks, failures, valid: failures.length === 0 };
}
