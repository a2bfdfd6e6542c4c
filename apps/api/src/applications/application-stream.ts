import { Inject, Injectable } from '@nestjs/common';
import {
  APPLICATION_EVENT_SCHEMA_VERSION,
  ApplicationEvent,
  ApplicationState,
  foldApplication,
} from '@atlauja/domain';
import { AppendResult, EventStore, ExpectedRevision, RecordedEvent } from '@atlauja/event-store';
import { EVENT_STORE } from '../store/tokens';

export const applicationStream = (id: string): string => `application-${id}`;

export interface LoadedApplication {
  state: ApplicationState;
  /** The revision of the stream's last event, or 'no-stream'. */
  revision: bigint | 'no-stream';
  events: RecordedEvent[];
}

export interface AppendContext {
  actor: string;
  correlationId: string;
  occurredAt: string;
}

/** Reads an application's stream and folds it; appends new events with the expected revision. */
@Injectable()
export class ApplicationStream {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** What load() returns for a stream that does not exist. */
  empty(): LoadedApplication {
    return { state: foldApplication([]), revision: 'no-stream', events: [] };
  }

  async load(id: string): Promise<LoadedApplication> {
    const result = await this.store.readStream(applicationStream(id));
    if (!result.found) return this.empty();
    const events = result.events;
    return {
      state: foldApplication(events.map((e) => ({ type: e.type, data: e.data }) as ApplicationEvent)),
      revision: events[events.length - 1].revision,
      events,
    };
  }

  append(id: string, events: ApplicationEvent[], expected: ExpectedRevision, context: AppendContext): Promise<AppendResult> {
    return this.store.append(
      applicationStream(id),
      events.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: {
          actor: context.actor,
          correlationId: context.correlationId,
          occurredAt: context.occurredAt,
          schemaVersion: APPLICATION_EVENT_SCHEMA_VERSION[event.type],
        },
      })),
      expected,
    );
  }
}
