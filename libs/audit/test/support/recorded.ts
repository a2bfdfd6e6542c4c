/** Domain events as a store would record them (revisions, positions, the hash chain), without a store. */
import { APPLICATION_EVENT_SCHEMA_VERSION, type ApplicationEvent } from '@atlauja/domain';
import { eventHash, GENESIS_HASH, type RecordedEvent } from '@atlauja/event-store';
import { actorIdOf, timeOf } from '@atlauja/audit';

export function recorded(stream: string, events: readonly ApplicationEvent[], occurredAt: (event: ApplicationEvent, i: number) => string = (e) => timeOf(e)): RecordedEvent[] {
  let prevHash = GENESIS_HASH;
  return events.map((event, i) => {
    const revision = BigInt(i);
    const metadata = { actor: actorIdOf(event) ?? 'unknown', occurredAt: occurredAt(event, i), schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[event.type], prevHash };
    const hash = eventHash({ prevHash, stream, revision, type: event.type, data: event.data, metadata });
    prevHash = hash;
    return { id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, stream, revision, position: revision + 1n, type: event.type, data: event.data, metadata: { ...metadata, hash } };
  });
}
