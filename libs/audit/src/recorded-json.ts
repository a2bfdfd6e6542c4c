/** A recorded event as one JSON line and back: revisions and positions as decimal strings (bigint-safe). */
import type { RecordedEvent } from '@atlauja/event-store';

export interface RecordedEventJson {
  id: string;
  stream: string;
  revision: string;
  position: string;
  type: string;
  data: unknown;
  metadata: RecordedEvent['metadata'];
}

export function toJson(event: RecordedEvent): RecordedEventJson {
  return { ...event, revision: event.revision.toString(), position: event.position.toString() };
}

export function fromJson(json: RecordedEventJson): RecordedEvent {
  if (!/^\d+$/.test(json.revision) || !/^\d+$/.test(json.position)) throw new Error(`event ${json.id}: revision and position must be decimal strings`);
  return { ...json, revision: BigInt(json.revision), position: BigInt(json.position) };
}
