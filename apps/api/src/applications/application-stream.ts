import { Inject, Injectable } from '@nestjs/common';
import { loadStream, type Loaded } from '@atlauja/command-handler';
import { APPLICATION_STREAM, applicationStream, type ApplicationState } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { EVENT_STORE } from '../store/tokens';

export type LoadedApplication = Loaded<ApplicationState>;

/** Reads an application's stream and folds it, for the queries that answer from the stream itself. */
@Injectable()
export class ApplicationStream {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  load(id: string): Promise<LoadedApplication> {
    return loadStream(this.store, applicationStream(id), APPLICATION_STREAM.decider);
  }
}
