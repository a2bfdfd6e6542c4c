import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Actor, compareIsoDates, DomainError } from '@atlauja/domain';
import { rigaDateOf } from '@atlauja/projections';
import { REGISTRY_OPTIONS, type RegistryOptions } from './demo-registry';
import { RegistryCommands } from './registry-commands';
import { RegistryIndex } from './registry-index';
import { RegistrySources } from './registry-sources';

export const DEADLINE_TIMER: Actor = { id: 'system:campaign-deadline', role: 'system' };
export const DELETION_TIMER: Actor = { id: 'system:institution-deletion', role: 'system' };

export interface RegistryTick {
  campaignsClosed: string[];
  institutionsDeleted: string[];
}

/**
 * The registry's clock-driven steps: a re-certification campaign whose deadline has passed is closed
 * (its unconfirmed users lose their rights), and a deactivated institution whose six months are up
 * is deleted (its history stays). Each step is a command the domain may refuse (already closed,
 * reactivated meanwhile): a refusal means nothing is due, so ticking twice, or after downtime, does
 * each step exactly once. Tests call `tick(now)`; the service ticks on REGISTRY_TIMER_SECONDS.
 */
@Injectable()
export class RegistryTimers implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly index: RegistryIndex,
    private readonly commands: RegistryCommands,
    private readonly sources: RegistrySources,
    @Inject(REGISTRY_OPTIONS) private readonly options: RegistryOptions,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = this.options.timerSeconds ?? 0;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.tick(this.sources.clock.now()).catch(() => undefined), seconds * 1000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async tick(now: Date): Promise<RegistryTick> {
    await this.index.refresh();
    const today = rigaDateOf(now);
    const done: RegistryTick = { campaignsClosed: [], institutionsDeleted: [] };
    for (const campaign of this.index.openCampaigns()) {
      // The deadline day itself still belongs to the representative.
      if (!campaign.campaignId || !campaign.deadline || compareIsoDates(today, campaign.deadline) <= 0) continue;
      if (await this.step(() => this.commands.campaign(campaign.campaignId!, DEADLINE_TIMER, randomUUID(), () => ({ type: 'CloseRecertificationAtDeadline' })))) {
        done.campaignsClosed.push(campaign.campaignId);
      }
    }
    for (const institution of this.index.allInstitutions()) {
      if (institution.status !== 'deactivated' || !institution.deletionDue || !institution.registrationNumber) continue;
      if (compareIsoDates(today, institution.deletionDue) < 0) continue;
      if (await this.step(() => this.commands.institution(institution.registrationNumber!, DELETION_TIMER, randomUUID(), () => ({ type: 'DeleteInstitution' })))) {
        done.institutionsDeleted.push(institution.registrationNumber);
      }
    }
    return done;
  }

  /** True when the step recorded something; a domain refusal means it was not (or no longer) due. */
  private async step(run: () => Promise<{ recorded: number }>): Promise<boolean> {
    try {
      return (await run()).recorded > 0;
    } catch (error) {
      if (error instanceof DomainError) return false;
      throw error;
    }
  }
}
