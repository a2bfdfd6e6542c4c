import { StoreUnavailable } from './errors';

/**
 * Bounds a store call: some clients (EventStoreDB's, against a server that accepts the connection and
 * never answers) ignore their own deadlines, so we never wait on them longer than `ms`.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
