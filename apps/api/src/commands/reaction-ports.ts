/** The ports a reaction needs, filled in from this process's store, clock and read models. */
import { Inject, Injectable } from '@nestjs/common';
import type { ReactionPorts } from '@atlauja/commands';
import type { RightsHolder } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { readHoldersAt } from '@atlauja/projections';
import { ReadModelsHost } from '../read-models/read-models.host';
import { rigaInstant } from '../store/riga-time';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';

/** How long a reaction waits for the rights read model to include the event it reacts to. */
const READ_MODELS_WAIT_MS = 30_000;

@Injectable()
export class ApiReactionPorts implements ReactionPorts {
  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly readModels: ReadModelsHost,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  rigaInstant(now: Date): string {
    return rigaInstant(now);
  }

  holdersAt(registrationNumber: string, asOf?: bigint): Promise<RightsHolder[]> {
    return readHoldersAt(this.readModels.sql, this.readModels.schema, registrationNumber, asOf);
  }

  async readModelsReach(position: bigint): Promise<void> {
    const outcome = await this.readModels.progress.waitForPosition(position, READ_MODELS_WAIT_MS, ['rights_register']);
    if (outcome !== 'reached') throw new Error(`the rights read model did not reach position ${position} (${outcome}); the worker carries the reaction out later`);
  }
}
