/** The ports a reaction needs, from a process's store, clock and read models (the worker's, or the api's in local mode). */
import type { Pseudonyms, ReactionPorts } from '@atlauja/commands';
import type { RightsHolder } from '@atlauja/domain';
import type { EventStore, SqlExecutor } from '@atlauja/event-store';
import { readHoldersAt, readUndecidedAt, rigaInstantOf, type ProjectionProgress } from '@atlauja/projections';

/** How long a reaction waits for the rights read model to include the event it reacts to. */
const READ_MODELS_WAIT_MS = 30_000;

export interface ReadModelAccess {
  readonly store: EventStore;
  /** Looked up on use: a host may start its read models after this is built. */
  sql(): SqlExecutor;
  readonly schema: string;
  progress(): ProjectionProgress;
  now(): Date;
  pseudonyms: Pseudonyms;
}

export function reactionPorts(access: ReadModelAccess): ReactionPorts {
  return {
    store: access.store,
    pseudonyms: access.pseudonyms,
    now: () => access.now(),
    rigaInstant: (now: Date) => rigaInstantOf(now),
    holdersAt: (registrationNumber: string, asOf?: bigint): Promise<RightsHolder[]> => readHoldersAt(access.sql(), access.schema, registrationNumber, asOf),
    undecidedAt: (registrationNumber: string): Promise<string[]> => readUndecidedAt(access.sql(), access.schema, registrationNumber),
    async readModelsReach(position: bigint): Promise<void> {
      const outcome = await access.progress().waitForPosition(position, READ_MODELS_WAIT_MS, ['rights_register', 'institution_applications']);
      if (outcome !== 'reached') throw new Error(`the rights read model did not reach position ${position} (${outcome})`);
    },
  };
}
