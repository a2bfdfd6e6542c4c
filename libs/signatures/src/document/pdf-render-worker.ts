/** The worker thread of pdf-renderer.ts: renders each submission it is sent and answers with the PDF's bytes. */
import { ApplicationPdfInput, renderApplicationPdf } from './application-pdf';
import { serveJobs } from './worker-thread-queue';

serveJobs<ApplicationPdfInput, Uint8Array>(
  // The JSON arrives as a plain Uint8Array (a Buffer does not survive the copy between threads).
  (input) => renderApplicationPdf({ ...input, json: Buffer.from(input.json.buffer, input.json.byteOffset, input.json.byteLength) }),
  // Handed over, not copied, when the bytes own their memory (a PDF is larger than Buffer's shared pool slices).
  (pdf) => (pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? [pdf.buffer as ArrayBuffer] : []),
);
