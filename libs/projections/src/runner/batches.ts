/**
 * Groups a subscription's events into batches: as many as arrive without waiting (up to maxSize, asked
 * anew for each batch when it is a function),
 * so catching up writes hundreds of events per transaction while a live event is applied within a
 * few milliseconds. The pull stays one `next()` at a time, so the subscription's backpressure holds.
 */
const QUIET = Symbol('quiet');

function quietAfter(ms: number): { promise: Promise<typeof QUIET>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<typeof QUIET>((resolve) => {
    timer = setTimeout(() => resolve(QUIET), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export async function* batchesOf<T>(source: AsyncIterable<T>, maxSize: number | (() => number), maxWaitMs: number): AsyncGenerator<T[], void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  // A next() still pending when a batch was closed by the quiet timer: the next batch starts with it.
  let pending: Promise<IteratorResult<T>> | null = null;
  try {
    for (;;) {
      const first = await (pending ?? iterator.next());
      pending = null;
      if (first.done) return;
      const batch = [first.value];
      const size = typeof maxSize === 'number' ? maxSize : maxSize();
      while (batch.length < size) {
        const next = iterator.next();
        const quiet = quietAfter(maxWaitMs);
        const result = await Promise.race([next, quiet.promise]);
        quiet.cancel();
        if (result === QUIET) {
          pending = next;
          break;
        }
        if (result.done) {
          yield batch;
          return;
        }
        batch.push(result.value);
      }
      yield batch;
    }
  } finally {
    // Ends the subscription (the store's generator returns once its pending read settles).
    pending?.catch(() => undefined);
    await iterator.return?.();
  }
}
