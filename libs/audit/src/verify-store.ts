/**
 * `audit verify` over a store: every selected stream's chain, transitions and signatures, and the
 * read-model comparisons it is given. The report counts what was checked and lists every failure.
 */
import type { EventStore } from '@atlauja/event-store';
import type { Finding } from './findings';
import type { ReadModelComparison } from './read-models';
import { selectStreams, type StreamSelection } from './store-scan';
import { auditStream } from './stream-audit';
import type { TrustHistory } from './trust-history';
import type { Upcasting } from './upcasting';

export interface AuditReport {
  readonly streams: number;
  readonly events: number;
  readonly signatures: { readonly checked: number; readonly valid: number };
  /** Names of the read models compared; empty until libs/projections is wired (see read-models.ts). */
  readonly readModelsCompared: readonly string[];
  readonly failures: readonly Finding[];
}

export interface VerifyStoreOptions {
  readonly selection?: StreamSelection;
  readonly trust: TrustHistory;
  readonly upcasting?: Upcasting;
  readonly readModels?: readonly ReadModelComparison[];
  /** Called after each stream: for a progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
}

export async function verifyStore(store: EventStore, options: VerifyStoreOptions): Promise<AuditReport> {
  const streams = await selectStreams(store, options.selection);
  const failures: Finding[] = [];
  let events = 0;
  let checked = 0;
  let valid = 0;
  let done = 0;
  for (const stream of streams) {
    const read = await store.readStream(stream);
    if (!read.found) {
      failures.push({ kind: 'chain', code: 'STREAM_NOT_FOUND', stream, message: 'the stream has no events' });
    } else {
      const audit = auditStream(stream, read.events, { trust: options.trust, upcasting: options.upcasting });
      events += audit.events;
      checked += audit.signatures.length;
      valid += audit.signatures.filter((s) => s.reverification.valid).length;
      failures.push(...audit.findings);
    }
    options.onProgress?.(++done, streams.length);
  }
  const readModels = options.readModels ?? [];
  for (const comparison of readModels) failures.push(...(await comparison.compare(store)));
  return { streams: streams.length, events, signatures: { checked, valid }, readModelsCompared: readModels.map((m) => m.name), failures };
}
