import { Inject, Injectable } from '@nestjs/common';
import {
  APPLICATION_EVENT_SCHEMA_VERSION,
  ApplicationEvent,
  ApplicationState,
  foldApplication,
} from '@atlauja/domain';
import { AppendResult, EventStore, ExpectedRevision } from '@atlauja/event-store';
import { appendToStream, loadStream, type AppendContext, type LoadedStream } from '../store/stream-io';
import { EVENT_STORE } from '../store/tokens';

export const applicationStream = (id: string): string => `application-${id}`;

export type LoadedApplication = LoadedStream<ApplicationState>;
export type { AppendContext };

/** Reads an application's stream and folds it; appends new events with the expected revision. */
@Injectable()
export class ApplicationStream {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** What load() returns for a stream that does not exist (a draft's new id: no read needed). */
  empty(): LoadedApplication {
    return { state: foldApplication([]), revision: 'no-stream', events: [] };
  }

  load(id: string): Promise<LoadedApplication> {
    return loadStream(this.store, applicationStream(id), (events) => foldApplication(events as ApplicationEvent[]));
  }

  append(id: string, events: ApplicationEvent[], expected: ExpectedRevision, context: AppendContext): Promise<AppendResult> {
    return appendToStream(this.store, applicationStream(id), events, (type) => APPLICATION_EVENT_SCHEMA_VERSION[type as ApplicationEvent['type']], expected, context);
  }
}
