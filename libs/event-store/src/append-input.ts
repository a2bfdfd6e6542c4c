import type { ExpectedRevision, NewEvent } from './event-store';
import { assertExpectedRevision } from './expected-revision';

/** Refuses an append the caller got wrong, before any I/O, with the same message on every adapter. */
export function assertAppendInput(stream: string, events: NewEvent[], expected: ExpectedRevision): void {
  assertExpectedRevision(expected);
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('append: the stream name must be a non-empty string');
  if (stream.startsWith('$')) throw new TypeError(`append: stream names starting with "$" are reserved (${stream})`);
  if (!Array.isArray(events) || events.length === 0) throw new TypeError('append: at least one event is required');
  for (const event of events) {
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new TypeError(`append: event type must be a non-empty string not starting with "$" (${String(event.type)})`);
    }
    const m = event.metadata;
    if (!m || typeof m.actor !== 'string' || typeof m.occurredAt !== 'string' || !Number.isInteger(m.schemaVersion)) {
      throw new TypeError(`append: event ${event.type} needs metadata.actor, metadata.occurredAt and an integer metadata.schemaVersion`);
    }
  }
}
