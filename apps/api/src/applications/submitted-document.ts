import { ApplicationState } from '@atlauja/domain';
import { RecordedEvent } from '@atlauja/event-store';
import { DocumentToSign, ReadableDocument, SignedDocuments, readableDocument } from '@atlauja/signatures';
import { signedDocumentOf, submittedContent } from '@atlauja/audit';
import { LRUCache } from 'lru-cache';

/**
 * The document of a submission that will be appended at `revision`. The rendering is the audit
 * library's, so what the representative signs and what an auditor re-verifies are one function.
 */
export function documentAt(applicationId: string, state: ApplicationState, revision: bigint): DocumentToSign {
  return signedDocumentOf(applicationId, state, revision);
}

/** Rendered PDFs by submission: a render costs tens of ms of CPU, and submit, GET and GET again ask for the same one. */
const rendered = new LRUCache<string, Promise<ReadableDocument>>({ max: 64 });

/** The readable PDF of a submission: the canonical JSON rendered with the submission's time, its only time. */
export function readableDocumentAt(applicationId: string, state: ApplicationState, revision: bigint, submittedAt: string): Promise<ReadableDocument> {
  const json = documentAt(applicationId, state, revision);
  const key = `${applicationId}@${revision}:${json.sha256}:${submittedAt}`;
  let pdf = rendered.get(key);
  if (!pdf) {
    pdf = readableDocument({ applicationId, revision, content: submittedContent(state), submittedAt });
    pdf.catch(() => rendered.delete(key));
    rendered.set(key, pdf);
  }
  return pdf;
}

export interface Submission {
  /** The canonical JSON: what a `.p7s` signs, attached inside the PDF. */
  json: DocumentToSign;
  revision: bigint;
  submittedAt: string;
  /** The PDF's SHA-256 as the submission recorded it; absent for submissions made before PDFs were served. */
  pdfSha256?: string;
}

/**
 * The fixed document of a submitted application, rebuilt from its stream: content is frozen from
 * the submission on, so folding up to now gives the same content as at submission.
 */
export function submission(applicationId: string, state: ApplicationState, events: readonly RecordedEvent[]): Submission | undefined {
  const submitted = [...events].reverse().find((e) => e.type === 'ApplicationSubmitted');
  if (!submitted) return undefined;
  const data = submitted.data as { pdfSha256?: string; submittedAt: string };
  return { json: documentAt(applicationId, state, submitted.revision), revision: submitted.revision, submittedAt: data.submittedAt, pdfSha256: data.pdfSha256 };
}

export function submittedDocument(applicationId: string, state: ApplicationState, events: RecordedEvent[]): DocumentToSign | undefined {
  return submission(applicationId, state, events)?.json;
}

/** What a signature must be over: the JSON, and the PDF by the hash recorded at submission (its bytes are in a PAdES or EDOC). */
export function documentsToVerify(submitted: Submission): SignedDocuments {
  return { json: submitted.json.bytes, ...(submitted.pdfSha256 ? { readable: { sha256: submitted.pdfSha256 } } : {}) };
}
