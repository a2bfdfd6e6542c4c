import { DomainError } from '@atlauja/domain';
import { StoreUnavailable, WrongExpectedRevision } from '@atlauja/event-store';
import { ErrorTranslator } from './problem.filter';
import { problem } from './problem';

/** A broken domain rule is a 422 naming the field and the rule; the code is the domain's, stable. */
const domainRule: ErrorTranslator = (e) =>
  e instanceof DomainError
    ? { problem: problem(422, 'Domain rule refused the command', { type: 'domain-rule', code: e.code, detail: e.message, errors: [{ field: e.field, rule: e.code, message: e.message }] }) }
    : undefined;

/** Another command won the race inside the store after our read: the client re-reads and retries. */
const conflict: ErrorTranslator = (e) =>
  e instanceof WrongExpectedRevision
    ? { problem: problem(409, 'Conflict', { code: 'CONCURRENT_CHANGE', detail: 'the application was changed by another command; read it again and retry' }) }
    : undefined;

const unavailable: ErrorTranslator = (e) =>
  e instanceof StoreUnavailable
    ? { problem: problem(503, 'Store unavailable', { code: 'STORE_UNAVAILABLE', detail: 'the event store did not answer; retry later' }), headers: { 'retry-after': '5' } }
    : undefined;

export const storeAndDomainTranslators: ErrorTranslator[] = [domainRule, conflict, unavailable];
