/**
 * Which failures are the database's or the network's (retry the whole batch after a backoff) and
 * which are the event's (a poison event: stop only that projection). When unsure it is an event's
 * failure only if it fails again alone, in its own transaction.
 */
const TRANSIENT_STATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '57014']);

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'StoreUnavailable' || error.name === 'AbortError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return false;
  return code.startsWith('08') || code.startsWith('53') || TRANSIENT_STATES.has(code) || ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(code);
}
