import { Controller, Get, Inject } from '@nestjs/common';
import { EventStore } from '@atlauja/event-store';
import { problem, ProblemError } from '../http/problem';
import { ReadModelsHost } from '../read-models/read-models.host';
import { EVENT_STORE } from '../store/tokens';

@Controller()
export class ReadyController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModelsHost,
  ) {}

  /**
   * Readiness: the store answers (a StoreUnavailable becomes 503 with Retry-After), and the read models
   * this process runs have caught up since the start (503 READ_MODELS_CATCHING_UP until then).
   */
  @Get('ready')
  async ready(): Promise<{ status: 'ready'; headPosition: string }> {
    await this.store.ping();
    const readModels = await this.readModels.readModelsReady();
    if (!readModels.ready) {
      throw new ProblemError(
        problem(503, 'Read models catching up', {
          code: 'READ_MODELS_CATCHING_UP',
          detail: `the read models are ${readModels.behind} events behind the log; they catch up after the start`,
        }),
        { 'retry-after': '1' },
      );
    }
    return { status: 'ready', headPosition: (await this.store.headPosition()).toString() };
  }
}
