/** Recorded events of an application stream, read as domain events in the current shape. */
import type { ApplicationEvent } from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import { applicationUpcasting, type Upcasting } from './upcasting';

/** The API names application streams `application-<id>` (apps/api/src/applications/application-stream.ts). */
export const APPLICATION_STREAM_PREFIX = 'application-';

export const isApplicationStream = (stream: string): boolean => stream.startsWith(APPLICATION_STREAM_PREFIX);
export const applicationIdOf = (stream: string): string => stream.slice(APPLICATION_STREAM_PREFIX.length);

/** Throws UpcastError when the event cannot be read in the current shape. */
export function toApplicationEvent(recorded: RecordedEvent, upcasting: Upcasting = applicationUpcasting): ApplicationEvent {
  const { data } = upcasting.read(recorded.type, recorded.data, recorded.metadata.schemaVersion);
  return { type: recorded.type, data } as ApplicationEvent;
}
