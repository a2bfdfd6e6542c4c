import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@atlauja/event-store';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

/** What the registry's streams and index read: the CLI hands in its own store. */
export interface StoreSource {
  readonly store: EventStore;
}

/** The store and the clock the registry works with (the CLI hands in its own store). */
@Injectable()
export class RegistrySources implements StoreSource {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) readonly clock: Clock,
  ) {}
}
