import { Controller, Get, Inject } from '@nestjs/common';
import { EventStore } from '@atlauja/event-store';
import { EVENT_STORE } from '../store/tokens';

@Controller()
export class ReadyController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Readiness: the store answers (a StoreUnavailable becomes 503 with Retry-After). */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; headPosition: string }> {
    await this.store.ping();
    return { status: 'ready', headPosition: (await this.store.headPosition()).toString() };
  }
}
