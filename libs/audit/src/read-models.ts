/**
 * A comparison of a live read model with a replay of the log: `verifyStore` runs every comparison
 * it is given and adds their findings (kind 'read-model') to the report. The projections' own
 * comparison is `readModelReplay` (read-model-replay.ts); the CLI finds the live read models'
 * database as the api does (apps/cli/src/commands/audit.ts `readModelComparisons()`).
 */
import type { EventStore } from '@atlauja/event-store';
import type { Finding } from './findings';

export interface ReadModelComparison {
  /** The read model's name, for the report (e.g. `rights-register`). */
  readonly name: string;
  /** Rebuilds the model from `store` in memory and compares it with the live one; one finding per difference. */
  compare(store: EventStore): Promise<Finding[]>;
}
