/** The ports a reaction needs, from this process's store, clock and read models (the worker's one implementation). */
import { Inject, Injectable } from '@nestjs/common';
import type { Pseudonyms, ReactionPorts } from '@atlauja/commands';
import type { RightsHolder } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { reactionPorts } from '@atlauja/processes';
import { ReadModelsHost } from '../read-models/read-models.host';
import { CLOCK, EVENT_STORE, PSEUDONYMS, type Clock } from '../store/tokens';

@Injectable()
export class ApiReactionPorts implements ReactionPorts {
  private readonly ports: ReactionPorts;

  constructor(
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(CLOCK) clock: Clock,
    @Inject(PSEUDONYMS) readonly pseudonyms: Pseudonyms,
    readModels: ReadModelsHost,
  ) {
    this.ports = reactionPorts({ store, sql: () => readModels.sql, schema: readModels.schema, progress: () => readModels.progress, now: () => clock.now(), pseudonyms });
  }

  now(): Date {
    return this.ports.now();
  }

  rigaInstant(now: Date): string {
    return this.ports.rigaInstant(now);
  }

  holdersAt(registrationNumber: string, asOf?: bigint): Promise<RightsHolder[]> {
    return this.ports.holdersAt(registrationNumber, asOf);
  }

  undecidedAt(registrationNumber: string): Promise<string[]> {
    return this.ports.undecidedAt(registrationNumber);
  }

  readModelsReach(position: bigint): Promise<void> {
    return this.ports.readModelsReach(position);
  }
}
