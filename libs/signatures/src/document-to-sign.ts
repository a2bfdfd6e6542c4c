/** The exact bytes a representative signs: the submitted application, canonical, bound to its id and revision. */
import { createHash } from 'node:crypto';
import { canonicalJsonBytes } from './canonical-json';
import { renderPdf } from './document/pdf-renderer';

export interface DocumentToSignInput {
  applicationId: string;
  /** Stream revision of the submission; kept as a decimal string so bigint revisions stay exact. */
  revision: string | bigint | number;
  /** The submitted application content, plain JSON. */
  content: unknown;
}

export interface DocumentToSign {
  /** RFC 8785 canonical JSON, UTF-8: the machine's content, signed directly (CAdES) or inside the PDF. */
  bytes: Buffer;
  sha256: string;
  mediaType: 'application/json';
  /** A plain-text rendering for the signer's screen; not signed. */
  text?: string;
}

/** The readable document: the PDF a person signs, with the canonical JSON attached. */
export interface ReadableDocument {
  bytes: Buffer;
  sha256: string;
  mediaType: 'application/pdf';
}

/** Identifies what the bytes are, so a signature over them cannot be passed off as something else. */
export const SIGNED_DOCUMENT_TYPE = 'atlauja.application-submission.v1';

export function documentToSign(input: DocumentToSignInput): DocumentToSign {
  const revision = normalizeRevision(input.revision);
  if (typeof input.applicationId !== 'string' || input.applicationId.length === 0) {
    throw new TypeError('applicationId must be a non-empty string');
  }
  const bytes = canonicalJsonBytes({
    type: SIGNED_DOCUMENT_TYPE,
    applicationId: input.applicationId,
    revision,
    content: input.content,
  });
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    mediaType: 'application/json',
    text: `Application ${input.applicationId}, revision ${revision}\n\n${JSON.stringify(input.content, null, 2)}\n`,
  };
}

function normalizeRevision(revision: string | bigint | number): string {
  const text = typeof revision === 'string' ? revision : revision.toString();
  if (typeof revision === 'number' && !Number.isSafeInteger(revision)) throw new TypeError('revision must be a safe integer');
  if (!/^(0|[1-9]\d*)$/.test(text)) throw new TypeError('revision must be a non-negative integer');
  return text;
}

/**
 * The PDF of a submission: rendered from the canonical JSON and the submission's time only, so it
 * is the same bytes whenever and wherever it is rendered again.
 */
export async function readableDocument(input: DocumentToSignInput & { submittedAt: string }): Promise<ReadableDocument> {
  const json = documentToSign(input);
  const bytes = await renderPdf({
    applicationId: input.applicationId,
    revision: normalizeRevision(input.revision),
    content: JSON.parse(json.bytes.toString('utf8')).content,
    json: json.bytes,
    jsonSha256: json.sha256,
    submittedAt: input.submittedAt,
  });
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), mediaType: 'application/pdf' };
}
