/** The application stream as the read models see it. */
import type { ApplicationEvent } from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';

const APPLICATION_STREAM = /^application-(.+)$/;

/** The application id of an `application-<uuid>` stream, or null for any other stream. */
export function applicationIdOf(stream: string): string | null {
  return APPLICATION_STREAM.exec(stream)?.[1] ?? null;
}

/** The event as the domain types it, when it belongs to an application stream. */
export function asApplicationEvent(event: RecordedEvent): { applicationId: string; event: ApplicationEvent } | null {
  const applicationId = applicationIdOf(event.stream);
  return applicationId === null ? null : { applicationId, event: { type: event.type, data: event.data } as ApplicationEvent };
}

/** Distinct application ids touched by a batch, in first-seen order. */
export function applicationIdsOf(events: readonly RecordedEvent[]): string[] {
  const ids = new Set<string>();
  for (const event of events) {
    const id = applicationIdOf(event.stream);
    if (id !== null) ids.add(id);
  }
  return [...ids];
}
