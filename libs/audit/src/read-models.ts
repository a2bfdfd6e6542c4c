/**
 * Extension point: comparing the read models rebuilt in memory from the log with the live ones.
 * It waits for libs/projections (the projections engineer's); `verifyStore` runs every comparison
 * it is given and adds their findings (kind 'read-model') to the report. The CLI builds the list in
 * apps/cli/src/commands/audit.ts `readModelComparisons()`, empty until the projections are wired.
 */
import type { EventStore } from '@atlauja/event-store';
import type { Finding } from './findings';

export interface ReadModelComparison {
  /** The read model's name, for the report (e.g. `rights-register`). */
  readonly name: string;
  /** Rebuilds the model from `store` in memory and compares it with the live one; one finding per difference. */
  compare(store: EventStore): Promise<Finding[]>;
}
