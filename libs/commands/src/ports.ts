/** What commands read besides their own stream, as ports the api, the worker and the CLI fill in. */
import type { RightsHolder } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import type { Pseudonyms } from './grants/pseudonyms';

/** Who holds rights at an institution, with the applications in force (from the rights read model). */
export interface HoldersPort {
  /** Now, or as the log stood at `asOf` (the read model must have reached it: see ReactionPorts). */
  holdersAt(registrationNumber: string, asOf?: bigint): Promise<RightsHolder[]>;
}

export interface RegistryPorts extends HoldersPort {
  /** The store, to read another institution's stream (a resort head, a merge target) exactly. */
  readonly store: EventStore;
}

/** What a process reacting to an event needs: the registry's ports, a clock, and the read models caught up. */
export interface ReactionPorts extends RegistryPorts {
  /** Names users' grant streams. */
  readonly pseudonyms: Pseudonyms;
  /** Applications of an institution not yet decided (draft, submitted, signed), and those a merge closed. */
  undecidedAt(registrationNumber: string): Promise<string[]>;
  now(): Date;
  /** `now` as a Riga instant. */
  rigaInstant(now: Date): string;
  /** Resolves when the read models include `position` (throws when they cannot in time). */
  readModelsReach(position: bigint): Promise<void>;
}
