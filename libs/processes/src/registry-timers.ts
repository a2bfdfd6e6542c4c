/**
 * The registry's clock-driven steps: a re-certification campaign whose deadline day is over is
 * closed (its unconfirmed users lose their rights and the lock lifts, its consequences carried out
 * at once), and a deactivated institution whose six months are up is deleted (its history stays).
 * Each step is a command the domain may refuse (already closed, reactivated meanwhile): a refusal
 * means nothing was due, so ticking twice, or after downtime, does each step exactly once.
 */
import { CAMPAIGN_COMMANDS, INSTITUTION_COMMANDS, reactToOutcome, runEntry, type ReactionPorts } from '@atlauja/commands';
import { DomainError, type Actor } from '@atlauja/domain';
import type { SqlExecutor } from '@atlauja/event-store';
import { readCampaignsPastDeadline, readInstitutionsDueForDeletion, rigaDateOf, rigaInstantOf, type ProjectionProgress } from '@atlauja/projections';

export const DEADLINE_TIMER: Actor = { id: 'system:campaign-deadline', role: 'system' };
export const DELETION_TIMER: Actor = { id: 'system:institution-deletion', role: 'system' };

export interface RegistryTick {
  /** 'behind': the registry read model did not reach the head of the log in time; nothing was done. */
  state: 'done' | 'behind';
  campaignsClosed: string[];
  institutionsDeleted: string[];
}

export interface RegistryTimersOptions {
  ports: ReactionPorts;
  sql(): SqlExecutor;
  schema: string;
  progress(): ProjectionProgress;
  /** How long a tick waits for the registry read model to reach the head. */
  catchUpTimeoutMs?: number;
}

/** The deadline timer's step for one campaign, its consequences carried out at once: refused before the deadline. */
export async function closeCampaignAtDeadline(ports: ReactionPorts, campaignId: string, now: Date, correlationId: string): Promise<boolean> {
  const outcome = await runEntry(ports.store, CAMPAIGN_COMMANDS.closeAtDeadline, campaignId, {}, { actor: DEADLINE_TIMER, now, at: rigaInstantOf(now), correlationId }, ports);
  await reactToOutcome(outcome, ports);
  return outcome.events.length > 0;
}

export class RegistryTimers {
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RegistryTimersOptions) {}

  /** One pass at `now`; passes are serialized in this process. */
  tick(now: Date): Promise<RegistryTick> {
    const pass = this.running.then(() => this.pass(now));
    this.running = pass.catch(() => undefined);
    return pass;
  }

  private async pass(now: Date): Promise<RegistryTick> {
    const { ports, schema } = this.options;
    const head = await ports.store.headPosition();
    const caughtUp = head === 0n || (await this.options.progress().waitForPosition(head, this.options.catchUpTimeoutMs ?? 10_000, ['registry'])) === 'reached';
    if (!caughtUp) return { state: 'behind', campaignsClosed: [], institutionsDeleted: [] };
    const today = rigaDateOf(now);
    const done: RegistryTick = { state: 'done', campaignsClosed: [], institutionsDeleted: [] };
    const correlationId = `registry-timer-${now.toISOString()}`;
    for (const campaignId of await readCampaignsPastDeadline(this.options.sql(), schema, today)) {
      if (await due(() => closeCampaignAtDeadline(ports, campaignId, now, correlationId))) done.campaignsClosed.push(campaignId);
    }
    for (const registrationNumber of await readInstitutionsDueForDeletion(this.options.sql(), schema, today)) {
      const deleted = () => runEntry(ports.store, INSTITUTION_COMMANDS.delete, registrationNumber, {}, { actor: DELETION_TIMER, now, at: rigaInstantOf(now), correlationId }, ports).then((o) => o.events.length > 0);
      if (await due(deleted)) done.institutionsDeleted.push(registrationNumber);
    }
    return done;
  }
}

/** True when the step recorded something; a domain refusal means it was not (or no longer) due. */
async function due(step: () => Promise<boolean>): Promise<boolean> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}
