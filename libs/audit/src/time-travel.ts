/**
 * The state of an application at a point of its history: the fold of a prefix of its stream.
 * By revision: the events up to and including that revision. By instant: the events whose time
 * (metadata.occurredAt, the command's time) is at or before it; the prefix stops at the first
 * event after the instant, so the answer is always a state the stream really passed through.
 */
import { evolve, initialApplicationState, type ApplicationState } from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import { toApplicationEvent } from './application-events';
import { applicationUpcasting, type Upcasting } from './upcasting';
import { instantMillis } from './time-check';

export type PointInTime = { readonly at: string | Date } | { readonly revision: bigint | number | string };

export interface StateAt {
  readonly state: ApplicationState;
  /** The revision of the last event folded; null when the point is before the first event. */
  readonly revision: bigint | null;
  /** Its time, when there is one. */
  readonly occurredAt: string | null;
}

export class PointInTimeError extends Error {
  constructor(readonly code: 'REVISION_INVALID' | 'REVISION_BEYOND_HEAD' | 'INSTANT_INVALID' | 'EVENT_TIME_INVALID', message: string) {
    super(message);
    this.name = 'PointInTimeError';
  }
}

/** `events` in revision order, as readStream returns them. */
export function stateAt(events: readonly RecordedEvent[], point: PointInTime, upcasting: Upcasting = applicationUpcasting): StateAt {
  const prefix = 'revision' in point ? prefixToRevision(events, point.revision) : prefixToInstant(events, point.at);
  let state: ApplicationState = initialApplicationState;
  for (const event of prefix) state = evolve(state, toApplicationEvent(event, upcasting));
  const last = prefix[prefix.length - 1];
  return { state, revision: last?.revision ?? null, occurredAt: last?.metadata.occurredAt ?? null };
}

function prefixToRevision(events: readonly RecordedEvent[], revision: bigint | number | string): readonly RecordedEvent[] {
  const wanted = parseRevision(revision);
  const head = events[events.length - 1]?.revision ?? -1n;
  if (wanted > head) throw new PointInTimeError('REVISION_BEYOND_HEAD', `revision ${wanted} is beyond the stream's last revision (${head})`);
  return events.filter((event) => event.revision <= wanted);
}

function prefixToInstant(events: readonly RecordedEvent[], at: string | Date): readonly RecordedEvent[] {
  const instant = parseInstant(at);
  const firstAfter = events.findIndex((event) => {
    const time = instantMillis(event.metadata.occurredAt);
    // Whether an event with no readable time came before the instant is unknowable: say so, never guess.
    if (time === null) throw new PointInTimeError('EVENT_TIME_INVALID', `the event at revision ${event.revision} records no readable time; ask for the state at a revision instead`);
    return time > instant;
  });
  return firstAfter === -1 ? events : events.slice(0, firstAfter);
}

function parseRevision(revision: bigint | number | string): bigint {
  if (typeof revision === 'bigint') {
    if (revision >= 0n) return revision;
  } else if (typeof revision === 'number' ? Number.isSafeInteger(revision) && revision >= 0 : /^(0|[1-9]\d{0,19})$/.test(revision)) {
    return BigInt(revision);
  }
  throw new PointInTimeError('REVISION_INVALID', `revision must be a non-negative integer (got "${String(revision)}")`);
}

/** An ISO instant with a zone (Z or an offset): a local time without one would be read in the server's zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function parseInstant(at: string | Date): number {
  const ms = at instanceof Date ? at.getTime() : ISO_INSTANT.test(at) ? Date.parse(at) : NaN;
  if (Number.isNaN(ms)) throw new PointInTimeError('INSTANT_INVALID', `at must be an ISO instant with a zone, e.g. 2025-03-01T10:00:00+02:00 (got "${String(at)}")`);
  return ms;
}
