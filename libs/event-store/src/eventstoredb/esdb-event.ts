/** EventStoreDB's recorded events to ours: our metadata (with the hash chain) is the event's metadata JSON. */
import type { RecordedEvent } from '../event-store';

export interface EsdbRecordedEvent {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

export function isSystemEvent(event: EsdbRecordedEvent): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

export function fromEsdbEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    stream: event.streamId,
    revision: event.revision,
    // Stream reads from servers before 22.10 carry no position; 0n then means "unknown".
    position: event.position?.commit ?? 0n,
    type: event.type,
    data: asJson(event.data),
    metadata: asJson(event.metadata) as RecordedEvent['metadata'],
  };
}

/** The client parses JSON events itself; bytes arrive only for events written as binary. */
function asJson(value: unknown): unknown {
  return value instanceof Uint8Array ? JSON.parse(Buffer.from(value).toString('utf8')) : value;
}
