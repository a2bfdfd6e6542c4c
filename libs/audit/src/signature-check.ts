/**
 * Every stored signature, re-verified from its evidence: the signature and certificates kept in the
 * ApplicationSigned event, the document rebuilt from the stream, and the anchors and CRLs of the
 * day it was accepted (found by the hashes the evidence recorded). "Now" is the evidence's
 * `checkedAt`, so the answer does not change as certificates age.
 */
import { createHash } from 'node:crypto';
import { evolve, initialApplicationState, type ApplicationState } from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import { readArchivedTrustedList, reverifyFromEvidence, type Check, type DocumentToSign, type Evidence, type SignatureFormat, type SignedDocuments } from '@atlauja/signatures';
import { applicationIdOf, toApplicationEvent } from './application-events';
import type { Finding } from './findings';
import { signedDocumentOf } from './signed-document';
import type { TrustHistory } from './trust-history';
import { UpcastError, applicationUpcasting, type Upcasting } from './upcasting';

export interface StoredSignature {
  readonly stream: string;
  readonly applicationId: string;
  /** Revision of the ApplicationSigned event. */
  readonly revision: bigint;
  readonly signedBy: string;
  readonly signerPersonalCode: string;
  readonly signedAt: string;
  readonly acceptedAt: string;
  readonly documentSha256: string;
  /** The checks as they stood when the signature was accepted. */
  readonly storedChecks: readonly Check[] | null;
  readonly evidence: Evidence | null;
  /** The document rebuilt from the stream; null when no submission precedes the signature. */
  readonly document: DocumentToSign | null;
  readonly submittedRevision: bigint | null;
  /** The readable PDF's SHA-256 as the submission recorded it (the PDF itself is inside a PAdES or EDOC signed object). */
  readonly pdfSha256: string | null;
  /** How it was signed: the evidence's format, 'cades' for evidence written before there was a choice. */
  readonly format: SignatureFormat;
}

export interface Reverification {
  readonly valid: boolean;
  /** Check codes that failed now, and the audit's own (EVIDENCE_MISSING, DOCUMENT_MISMATCH, CRL_NOT_ARCHIVED…). */
  readonly failures: readonly string[];
  readonly checks: readonly Check[];
  readonly crlsMissing: readonly string[];
}

/** The signatures of one application stream, in order. Stops at an event it cannot read (the transition check names it). */
export function storedSignaturesOf(stream: string, events: readonly RecordedEvent[], upcasting: Upcasting = applicationUpcasting): StoredSignature[] {
  const signatures: StoredSignature[] = [];
  let state: ApplicationState = initialApplicationState;
  let submittedRevision: bigint | null = null;
  let pdfSha256: string | null = null;
  for (const recorded of events) {
    let event;
    try {
      event = toApplicationEvent(recorded, upcasting);
    } catch (error) {
      if (error instanceof UpcastError) break;
      throw error;
    }
    // Data the domain cannot fold is the transition check's to name; the signatures before it stand.
    let next: ApplicationState;
    try {
      next = evolve(state, event);
    } catch {
      break;
    }
    if (event.type === 'ApplicationSubmitted') {
      submittedRevision = recorded.revision;
      pdfSha256 = event.data.pdfSha256 ?? null;
    }
    if (event.type === 'ApplicationSigned') {
      const d = event.data;
      const applicationId = state.id ?? applicationIdOf(stream);
      const stored = (d.evidence as { verdict?: { checks?: unknown; evidence?: unknown } } | undefined)?.verdict;
      signatures.push({
        stream,
        applicationId,
        revision: recorded.revision,
        signedBy: d.signedBy,
        signerPersonalCode: d.signerPersonalCode,
        signedAt: d.signedAt,
        acceptedAt: d.acceptedAt,
        documentSha256: d.documentSha256,
        storedChecks: Array.isArray(stored?.checks) ? (stored.checks as Check[]) : null,
        evidence: isEvidence(stored?.evidence) ? stored.evidence : null,
        document: submittedRevision === null ? null : signedDocumentOf(applicationId, state, submittedRevision),
        submittedRevision,
        pdfSha256,
        format: isEvidence(stored?.evidence) ? (stored.evidence.format ?? 'cades') : 'cades',
      });
    }
    state = next;
  }
  return signatures;
}

export function reverify(signature: StoredSignature, trust: TrustHistory): Reverification {
  const failures: string[] = [];
  const auditChecks: Check[] = [];
  const note = (code: string, ok: boolean, detail: string): void => {
    auditChecks.push({ code: code as Check['code'], ok, detail });
    if (!ok) failures.push(code);
  };
  const { evidence, document } = signature;
  if (!evidence) {
    note('EVIDENCE_MISSING', false, 'the event keeps no evidence to re-verify');
    return { valid: false, failures, checks: auditChecks, crlsMissing: [] };
  }
  if (!document) {
    note('DOCUMENT_NOT_REBUILT', false, 'no submission precedes the signature: there is no document to verify it over');
    return { valid: false, failures, checks: auditChecks, crlsMissing: [] };
  }
  note(
    'DOCUMENT_MISMATCH',
    document.sha256 === signature.documentSha256,
    document.sha256 === signature.documentSha256
      ? 'the document rebuilt from the stream is the one the event names'
      : 'the document rebuilt from the stream is not the one the event names (its SHA-256 differs)',
  );
  const crlsMissing = evidence.crls.map((crl) => crl.sha256).filter((hash) => !trust.crls.has(hash));
  note(
    'CRL_NOT_ARCHIVED',
    crlsMissing.length === 0,
    crlsMissing.length === 0 ? 'every CRL the evidence names is archived' : `${crlsMissing.length} CRL(s) the evidence names are in no archive: revocation as of signing cannot be re-checked`,
  );
  const crls = evidence.crls.map((crl) => trust.crls.get(crl.sha256)).filter((der): der is Buffer => der !== undefined);
  // The PDF is not rebuilt: its bytes are in the signed object, bound by the hash the submission recorded.
  const documents: SignedDocuments = { json: document.bytes, ...(signature.pdfSha256 ? { readable: { sha256: signature.pdfSha256 } } : {}) };
  let verdict: ReturnType<typeof reverifyFromEvidence>;
  try {
    // The list versions the evidence names, by hash; one missing makes re-verification say so (EVIDENCE_MISMATCH).
    const trustedLists = (evidence.trustedLists ?? []).flatMap((named) => {
      const xml = trust.trustedLists.get(named.sha256);
      return xml ? [readArchivedTrustedList(xml, named.sha256)] : [];
    });
    verdict = reverifyFromEvidence(evidence, documents, { trustAnchors: [...trust.anchors], crls, expectedPersonalCode: signature.signerPersonalCode, trustedLists });
  } catch (error) {
    // Evidence the verifier cannot even read (changed in the database) is a failed check, not a crash.
    note('REVERIFY_FAILED', false, `the evidence could not be re-verified (${(error as Error).name})`);
    return { valid: false, failures, checks: auditChecks, crlsMissing };
  }
  failures.push(...verdict.failures.filter((code) => !failures.includes(code)));
  return { valid: failures.length === 0, failures, checks: [...verdict.checks, ...auditChecks], crlsMissing };
}

export function signatureFindings(signature: StoredSignature, result: Reverification): Finding[] {
  return result.failures.map((code) => ({
    kind: 'signature' as const,
    code,
    stream: signature.stream,
    revision: signature.revision.toString(),
    type: 'ApplicationSigned',
    message: result.checks.find((check) => check.code === code && !check.ok)?.detail ?? 'the check failed on re-verification',
  }));
}

function isEvidence(value: unknown): value is Evidence {
  const e = value as Partial<Evidence> | null | undefined;
  return (
    !!e &&
    typeof e.signatureB64 === 'string' &&
    typeof e.contentSha256 === 'string' &&
    Array.isArray(e.certificatesB64) &&
    e.certificatesB64.every((c) => typeof c === 'string') &&
    typeof e.trustAnchorSha256 === 'string' &&
    Array.isArray(e.crls) &&
    e.crls.every((c) => typeof c?.sha256 === 'string') &&
    typeof e.checkedAt === 'string'
  );
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
