/** The documents a signature must be over: what the service served for this submission. */
import { createHash } from 'node:crypto';

export interface ReadableDocumentRef {
  /** The PDF bytes; an auditor may have only their SHA-256 (recorded at submission) and take the bytes from the signed object. */
  bytes?: Buffer;
  sha256: string;
}

export interface SignedDocuments {
  /** The canonical JSON: a detached CAdES signs these bytes; an EDOC may carry them beside the PDF. */
  json: Buffer;
  /** The readable PDF: what a PAdES signature extends and an EDOC must hold. */
  readable?: ReadableDocumentRef;
}

export const sha256Hex = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The old callers passed the JSON bytes alone. */
export function asSignedDocuments(documents: Buffer | SignedDocuments): SignedDocuments {
  return Buffer.isBuffer(documents) ? { json: documents } : documents;
}
