/**
 * How a follower of the log (the projection runner, the reactor) catches up without holding the
 * process up: it takes the subscription in batches, each sized to take about `batchTimeMs` at the
 * cost per event measured on the batches before it, and gives the event loop a turn after each
 * batch, so that requests and timers that arrived meanwhile run (and, in local mode, get PGlite's
 * one connection) before the next. The pace is kept across subscriptions: a resubscription starts
 * at the rate already measured.
 */
import { batchesOf } from './batches';

export interface PaceOptions {
  /** Most events in a batch. */
  batchSize: number;
  /** About how long one batch may take; later batches are sized to it. */
  batchTimeMs: number;
  /** How long a batch waits for more events before it is handed on (live latency). */
  batchWaitMs: number;
}

/** Up to 500 events, about 50 ms of the process per batch; a live event waits at most 5 ms for company. */
export const DEFAULT_PACE: PaceOptions = { batchSize: 500, batchTimeMs: 50, batchWaitMs: 5 };

export class BatchPacer {
  /** Measured cost of an event in a batch (ms, smoothed), which sizes the next batch. */
  private msPerEvent = 0;

  constructor(private readonly options: PaceOptions) {}

  /**
   * The subscription's events in batches. The time from handing a batch on to asking for the next
   * is the consumer's work on it, which sizes the batches after it; then the event loop has its turn.
   */
  async *batches<T>(source: AsyncIterable<T>): AsyncGenerator<T[], void, undefined> {
    for await (const batch of batchesOf(source, () => this.nextBatchSize(), this.options.batchWaitMs)) {
      const handedOn = performance.now();
      yield batch;
      this.measured(batch.length, performance.now() - handedOn);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Events in the next batch: as many as fit in batchTimeMs at the measured rate, at least 1; a tenth of the most before any was measured. */
  private nextBatchSize(): number {
    const { batchSize, batchTimeMs } = this.options;
    if (this.msPerEvent <= 0) return Math.max(1, Math.ceil(batchSize / 10));
    return Math.max(1, Math.min(batchSize, Math.floor(batchTimeMs / this.msPerEvent)));
  }

  private measured(events: number, ms: number): void {
    const sample = ms / events;
    this.msPerEvent = this.msPerEvent === 0 ? sample : 0.7 * this.msPerEvent + 0.3 * sample;
  }
}
