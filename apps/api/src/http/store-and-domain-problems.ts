import { ConcurrentChange, IdempotencyKeyReused, StaleRevision, StreamExists, StreamNotFound } from '@atlauja/command-handler';
import { DomainError, parseStreamName } from '@atlauja/domain';
import { TokenKeysUnavailable } from '@atlauja/auth';
import { DocumentRendererUnavailable } from '@atlauja/signatures';
import { StorageFull, StorageReadOnly, StoreUnavailable, WrongExpectedRevision, storageFailure } from '@atlauja/event-store';
import { ErrorTranslator } from './problem.filter';
import { problem } from './problem';

/** A broken domain rule is a 422 naming the field and the rule; the code is the domain's, stable. */
const domainRule: ErrorTranslator = (e) =>
  e instanceof DomainError
    ? { problem: problem(422, 'Domain rule refused the command', { code: e.code, detail: e.message, errors: [{ field: e.field, rule: e.code, message: e.message }] }) }
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

/**
 * Full or read-only storage, under the store or under a file the service writes (keys, notices, the
 * trust archive): nothing was written; the operator frees space or fixes the mount, the client retries.
 * The detail names the path, which is the operator's, never a user's.
 */
const storage: ErrorTranslator = (e) => {
  const path = (e as { path?: unknown } | null)?.path;
  // Node's file-system errors carry the path they failed on.
  const failure = e instanceof StorageFull || e instanceof StorageReadOnly ? e : typeof path === 'string' ? storageFailure(e, path) : undefined;
  if (!failure) return undefined;
  return failure instanceof StorageFull
    ? { problem: problem(503, 'Storage full', { code: 'STORAGE_FULL', detail: `no space left on the storage of ${failure.path}; retry later` }), headers: { 'retry-after': '60' } }
    : { problem: problem(503, 'Storage read-only', { code: 'STORAGE_READ_ONLY', detail: `the storage of ${failure.path} is read-only; retry later` }), headers: { 'retry-after': '60' } };
};

const unavailable: ErrorTranslator = (e) =>
  e instanceof StoreUnavailable
    ? { problem: problem(503, 'Store unavailable', { code: 'STORE_UNAVAILABLE', detail: 'the event store did not answer; retry later' }), headers: { 'retry-after': '5' } }
    : undefined;

/** The issuer's keys are unreachable: no token can be checked, so the service is unavailable, not the caller unauthenticated. */
const tokenKeys: ErrorTranslator = (e) =>
  e instanceof TokenKeysUnavailable
    ? { problem: problem(503, 'Token keys unavailable', { code: 'TOKEN_KEYS_UNAVAILABLE', detail: 'the token issuer\'s keys could not be fetched; retry later' }), headers: { 'retry-after': '30' } }
    : undefined;

/** The PDF's renderer did not answer in time (overloaded) or its thread died: nothing was written; a retry starts it again. */
const renderer: ErrorTranslator = (e) =>
  e instanceof DocumentRendererUnavailable
    ? { problem: problem(503, 'Document renderer unavailable', { code: 'DOCUMENT_RENDERER_UNAVAILABLE', detail: 'the readable document could not be rendered now; retry shortly' }), headers: { 'retry-after': '5' } }
    : undefined;

export const storeAndDomainTranslators: ErrorTranslator[] = [domainRule, handler, conflict, storage, unavailable, tokenKeys, renderer];
