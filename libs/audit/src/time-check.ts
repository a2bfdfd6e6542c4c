/**
 * Every time an event records must be readable: the envelope's `occurredAt` and every `...At` in its
 * data an ISO instant with a zone, every date (`date`, `deadline`, `...Date`, `...Due`) a real
 * calendar day. A time set to anything else is named (TIME_INVALID), never parsed into a crash:
 * the hash chain catches a changed time unless the chain was recomputed, and this check does not
 * depend on the chain. The value is not quoted (it may be anything, a personal code included).
 */
import { isIsoInstant, parseIsoDate } from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import type { Finding } from './findings';

const INSTANT_KEY = /At$/;
const DATE_KEY = /^(date|deadline)$|Date$|Due$/;

/** An ISO instant with a zone on a real day of a year from 1 on (what PostgreSQL's timestamptz and Date both read). */
export function isReadableInstant(value: unknown): value is string {
  return isIsoInstant(value) && Number(value.slice(0, 4)) >= 1;
}

/** Epoch milliseconds of a readable instant, or null. */
export function instantMillis(value: unknown): number | null {
  return isReadableInstant(value) ? Date.parse(value) : null;
}

function isReadableDate(value: unknown): boolean {
  const date = parseIsoDate(value);
  return date !== null && date.year >= 1;
}

/** Paths (`data.signedAt`, `data.term.date`) of the unreadable times in an event's data. */
function unreadableTimesIn(data: unknown): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[data, 'data']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    for (const [key, value] of Object.entries(node)) {
      const at = Array.isArray(node) ? `${path}[${key}]` : `${path}.${key}`;
      if (value !== null && value !== undefined && !Array.isArray(node)) {
        if (INSTANT_KEY.test(key) && !isReadableInstant(value)) found.push(at);
        else if (DATE_KEY.test(key) && !isReadableDate(value)) found.push(at);
      }
      if (typeof value === 'object') stack.push([value, at]);
    }
  }
  return found.sort();
}

export function checkTimes(stream: string, events: readonly RecordedEvent[]): Finding[] {
  return events.flatMap((event) => {
    const at = { stream, revision: event.revision.toString(), type: event.type };
    const paths = [...(isReadableInstant(event.metadata?.occurredAt) ? [] : ['metadata.occurredAt']), ...unreadableTimesIn(event.data)];
    return paths.map((path) => ({
      kind: 'schema' as const,
      code: 'TIME_INVALID',
      ...at,
      message: `${path} is not a readable ${DATE_KEY.test(path.slice(path.lastIndexOf('.') + 1)) ? 'calendar date (YYYY-MM-DD)' : 'instant (ISO 8601 with a zone)'}: the time the event records was changed or never valid`,
    }));
  });
}
