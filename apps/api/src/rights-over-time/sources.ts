/** What this module's controllers need: the store, the clock, and the application streams. */
import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@atlauja/event-store';
import { ApplicationStream } from '../applications/application-stream';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

@Injectable()
export class RightsOverTimeSources {
  readonly applications: ApplicationStream;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
  ) {
    this.applications = new ApplicationStream(store);
  }
}
