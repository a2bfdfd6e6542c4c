import { ConcurrentChange, IdempotencyKeyReused, StaleRevision, StreamExists, StreamNotFound } from '@atlauja/command-handler';
import { DomainError, parseStreamName } from '@atlauja/domain';
import { StoreUnavailable, WrongExpectedRevision } from '@atlauja/event-store';
import { ErrorTranslator } from './problem.filter';
import { problem } from './problem';

/** A broken domain rule is a 422 naming the field and the rule; the code is the domain's, stable. */
const domainRule: ErrorTranslator = (e) =>
  e instanceof DomainError
    ? { problem: problem(422, 'Domain rule refused the command', { type: 'domain-rule', code: e.code, detail: e.message, errors: [{ field: e.field, rule: e.code, message: e.message }] }) }
    : undefined;

/** What a stream is, in the words of a reply (never its name, which may carry an id the caller did not send). */
const NOUNS: Record<string, string> = { application: 'Application', institution: 'Institution', recertification: 'Campaign', grant: 'Grant', logins: 'Login day' };
const nounOf = (stream: string): string => NOUNS[parseStreamName(stream)?.type ?? ''] ?? 'Stream';

/** Another command won the race inside the store after our read: the client re-reads and retries. */
const conflict: ErrorTranslator = (e) =>
  e instanceof WrongExpectedRevision || e instanceof ConcurrentChange
    ? { problem: problem(409, 'Conflict', { code: 'CONCURRENT_CHANGE', detail: `the ${nounOf(e.stream).toLowerCase()} was changed by another command; read it again and retry` }) }
    : undefined;

/** The command handler's own refusals: a missing or existing stream, a stale If-Match, a reused key. */
const handler: ErrorTranslator = (e) => {
  if (e instanceof StreamNotFound) return { problem: problem(404, `${nounOf(e.stream)} not found`) };
  if (e instanceof StreamExists) return { problem: problem(409, `${nounOf(e.stream)} exists`, { code: `${nounOf(e.stream).toUpperCase().replace(/ /g, '_')}_EXISTS` }) };
  if (e instanceof StaleRevision) {
    return { problem: problem(412, 'Precondition failed', { code: 'STALE_REVISION', detail: `If-Match names revision ${e.expected}; the ${nounOf(e.stream).toLowerCase()} is at ${String(e.actual)}` }) };
  }
  if (e instanceof IdempotencyKeyReused) return { problem: problem(422, 'Idempotency key reused', { code: 'IDEMPOTENCY_KEY_REUSED', detail: 'this Idempotency-Key was used with another request' }) };
  return undefined;
};

const unavailable: ErrorTranslator = (e) =>
  e instanceof StoreUnavailable
    ? { problem: problem(503, 'Store unavailable', { code: 'STORE_UNAVAILABLE', detail: 'the event store did not answer; retry later' }), headers: { 'retry-after': '5' } }
    : undefined;

export const storeAndDomainTranslators: ErrorTranslator[] = [domainRule, handler, conflict, unavailable];
