import type { AppendResult, EventStore, ExpectedRevision, RecordedEvent } from '@atlauja/event-store';

/** A stream read and folded: its state, the revision of its last event (or 'no-stream'), and the events. */
export interface LoadedStream<State> {
  state: State;
  revision: bigint | 'no-stream';
  events: RecordedEvent[];
}

/** Who caused the append, why and when: the envelope's metadata besides the schema version. */
export interface AppendContext {
  actor: string;
  correlationId: string;
  occurredAt: string;
}

/** Every stream type of the domain is read the same way: all its events, folded from the initial state. */
export async function loadStream<State>(store: EventStore, stream: string, fold: (events: { type: string; data: unknown }[]) => State): Promise<LoadedStream<State>> {
  const result = await store.readStream(stream);
  if (!result.found) return { state: fold([]), revision: 'no-stream', events: [] };
  const events = result.events;
  return { state: fold(events.map((e) => ({ type: e.type, data: e.data }))), revision: events[events.length - 1].revision, events };
}

/** Appends domain events with the expected revision, each stamped with its type's schema version. */
export function appendToStream(
  store: EventStore,
  stream: string,
  events: readonly { type: string; data: unknown }[],
  schemaVersion: (type: string) => number,
  expected: ExpectedRevision,
  context: AppendContext,
): Promise<AppendResult> {
  return store.append(
    stream,
    events.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: { actor: context.actor, correlationId: context.correlationId, occurredAt: context.occurredAt, schemaVersion: schemaVersion(event.type) },
    })),
    expected,
  );
}
