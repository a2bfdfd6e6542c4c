/**
 * The catch-up-then-follow loop shared by the adapters that read their own log in pages (in-memory,
 * postgres). It pulls one page at a time and yields event by event, so a slow `for await` consumer
 * holds the reads back (backpressure) and memory stays at one page.
 */
import type { RecordedEvent } from './event-store';

/** Wakes followers when this process appends, so they need not wait for the next poll. */
export class AppendSignal {
  private version = 0;
  private waiters = new Set<() => void>();

  get current(): number {
    return this.version;
  }

  notify(): void {
    this.version += 1;
    for (const wake of this.waiters) wake();
    this.waiters.clear();
  }

  /** Resolves at once if something was appended since `seen`, else on the next append, after `ms`, or on abort. */
  wait(seen: number, ms: number, signal: AbortSignal): Promise<void> {
    if (this.version !== seen || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }
}

export interface FollowOptions {
  signal: AbortSignal;
  /** Another process may append: how long to wait before reading again when nothing woke us. */
  pollIntervalMs: number;
  pageSize: number;
}

export async function* followLog(
  readAll: (fromPosition: bigint, maxCount: number) => Promise<RecordedEvent[]>,
  appended: AppendSignal,
  fromPosition: bigint,
  options: FollowOptions,
): AsyncGenerator<RecordedEvent, void, undefined> {
  const { signal, pollIntervalMs, pageSize } = options;
  let cursor = fromPosition;
  while (!signal.aborted) {
    const seen = appended.current;
    let page: RecordedEvent[];
    try {
      page = await readAll(cursor, pageSize);
    } catch (error) {
      if (signal.aborted) return; // the store closed under us: end quietly, as documented
      throw error;
    }
    for (const event of page) {
      if (signal.aborted) return;
      yield event;
      cursor = event.position;
    }
    if (page.length < pageSize) await appended.wait(seen, pollIntervalMs, signal);
  }
}

/** Ends when either the caller's signal or the store's own close fires. */
export function combineSignals(own: AbortSignal, caller?: AbortSignal): AbortSignal {
  return caller ? AbortSignal.any([own, caller]) : own;
}
