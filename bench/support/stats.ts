/** Percentiles and rates for the tables, and the order in which rounds visit what they compare. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (value: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export const perSecond = (count: number, elapsedMs: number): number => (elapsedMs > 0 ? (count * 1000) / elapsedMs : 0);

/** Runs `operation` with `concurrency` callers until `count` operations are done; returns each latency (ms) and the elapsed time. */
export async function runConcurrent(count: number, concurrency: number, operation: (i: number) => Promise<unknown>): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        const t0 = performance.now();
        await operation(i);
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { latenciesMs, elapsedMs: performance.now() - started };
}

/** `workers` callers repeat `operation` until `ms` have passed; returns every latency (ms). */
export async function forDuration(workers: number, ms: number, operation: () => Promise<unknown>): Promise<number[]> {
  const end = performance.now() + ms;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await operation();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return latencies;
}

/**
 * The items in round `round`'s turn: in order on even rounds, reversed on odd ones, so that items
 * measured in rounds share the machine's slow and fast moments and none is always first.
 */
export function inTurn<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}
