import { ApplicationState, maskPersonalCode, tryNormalizePersonalCode } from '@atlauja/domain';
import { seesPersonalCode, type Principal } from '@atlauja/auth';
import { RecordedEvent } from '@atlauja/event-store';

/** Normalized personal codes as events store them: DDMMYY-NNNNN (old) or 3[2-9]NNNN-NNNNN (new). */
const PERSONAL_CODE = /^[0-3]\d{5}-\d{5}$/;

/** What a view of an application shows unmasked; decided by the one rule (libs/auth disclosure.ts). */
export interface Disclosure {
  actors: boolean;
  user: boolean;
  evidence: boolean;
}

/**
 * The rule applied to an application: `represents` is the caller's standing at its institution
 * (token and registry, from ReadAccess); whether they decide it is read off the application itself.
 */
export function disclosureFor(principal: Principal, application: Pick<ApplicationState, 'claimedBy' | 'decidedBy'> | null, represents: boolean): Disclosure {
  const person = tryNormalizePersonalCode(principal.subject);
  const decides = application !== null && person !== null && (application.claimedBy === person || application.decidedBy === person);
  const actors = seesPersonalCode(principal, { kind: 'actor' });
  return { actors, user: seesPersonalCode(principal, { kind: 'user', represents, decides }), evidence: actors };
}

/** Masks every personal-code-shaped string in a JSON value. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return (PERSONAL_CODE.test(value) ? maskPersonalCode(value) : value) as T;
  if (Array.isArray(value)) return value.map(maskDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)])) as T;
  }
  return value;
}

function withUserCode<T extends { user?: { personalCode: string } | null }>(masked: T, original: T, disclosure: Disclosure): T {
  if (!disclosure.user || !original.user || !masked.user) return masked;
  return { ...masked, user: { ...masked.user, personalCode: original.user.personalCode } };
}

export interface ApplicationView extends Omit<ApplicationState, 'revision'> {
  revision: string;
}

export function applicationView(state: ApplicationState, revision: bigint, disclosure: Disclosure): ApplicationView {
  const shown = disclosure.actors ? state : withUserCode(maskDeep(state), state, disclosure);
  return { ...shown, revision: revision.toString() };
}

export interface EventView {
  id: string;
  revision: string;
  position: string;
  type: string;
  data: unknown;
  occurredAt: string;
  actor: string;
  correlationId?: string;
  hash: string;
  prevHash: string;
}

export function eventView(event: RecordedEvent, disclosure: Disclosure): EventView {
  let data = event.data as Record<string, unknown>;
  let actor = event.metadata.actor;
  if (!disclosure.actors) {
    const masked = maskDeep(data);
    data = event.type === 'ApplicationDrafted' ? withUserCode(masked as never, data as never, disclosure) : masked;
    if (event.type === 'DraftEdited') {
      const changes = (data as { changes: { user?: unknown } }).changes;
      const original = (event.data as { changes: { user?: { personalCode: string } } }).changes;
      if (changes.user && original.user && disclosure.user) data = { ...data, changes: { ...changes, user: { ...(changes.user as object), personalCode: original.user.personalCode } } };
    }
    actor = maskDeep(actor);
  }
  if (!disclosure.evidence && 'evidence' in data) {
    // Certificates carry the signer's code; outside audit only the fact of the evidence is shown.
    const { evidence: _evidence, ...rest } = data;
    data = { ...rest, evidenceKept: true };
  }
  return {
    id: event.id,
    revision: event.revision.toString(),
    position: event.position.toString(),
    type: event.type,
    data,
    occurredAt: event.metadata.occurredAt,
    actor,
    ...(event.metadata.correlationId ? { correlationId: event.metadata.correlationId } : {}),
    hash: event.metadata.hash,
    prevHash: event.metadata.prevHash,
  };
}
