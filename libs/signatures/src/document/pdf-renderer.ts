/**
 * Where the readable PDF is rendered. A render is tens of milliseconds of CPU, and pdf-lib, fontkit
 * and the fonts take ~200 ms to load and tens of MB to hold; on the api's event loop every request
 * would wait behind each render, and every process would pay the load at start. So, compiled (the
 * api as it runs), the render runs in one worker thread started by the first render and stopped
 * after a minute without one. One thread, not a pool: the api is sized for two cores, and a second
 * thread would take the core its event loop needs; renders are remembered per submission by the
 * caller, so they come one per submission. As TypeScript (ts-node, jest) there is no compiled script
 * for a thread, and the render runs in-process, its modules loaded on first use. Either way the bytes
 * are the same (application-pdf.spec.ts, test/operations/readable-document-thread.e2e.spec.ts).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApplicationPdfInput } from './application-pdf';
import { WorkerThreadQueue } from './worker-thread-queue';

const WORKER_SCRIPT = join(__dirname, 'pdf-render-worker.js');
const IDLE_MS = 60_000;
/** Far above a render (a cold start included) and under an HTTP client's patience: past it, the queue is overloaded. */
const DEADLINE_MS = 10_000;
/**
 * A render's garbage is short-lived, and V8 keeps a young generation of up to 48 MB resident between
 * renders: 8 MB measured ~10 MB less RSS with the thread alive, no slower a render.
 */
const LIMITS = { maxYoungGenerationSizeMb: 8 };

let thread: WorkerThreadQueue<ApplicationPdfInput, Uint8Array> | null | undefined;

export async function renderPdf(input: ApplicationPdfInput): Promise<Buffer> {
  thread ??= existsSync(WORKER_SCRIPT) ? new WorkerThreadQueue(WORKER_SCRIPT, { idleMs: IDLE_MS, deadlineMs: DEADLINE_MS, resourceLimits: LIMITS }) : null;
  if (thread === null) return (await import('./application-pdf')).renderApplicationPdf(input);
  const pdf = await thread.run(input);
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
