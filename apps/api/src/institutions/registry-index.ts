import { Inject, Injectable } from '@nestjs/common';
import {
  evolveInstitution,
  evolveRecertification,
  initialInstitutionState,
  initialRecertificationState,
  type ApplicationEvent,
  type InstitutionEvent,
  type InstitutionState,
  type RecertificationEvent,
  type RecertificationState,
  type RightsHolder,
} from '@atlauja/domain';
import { RegistrySources, type StoreSource } from './registry-sources';

const BATCH = 1000;
const IN_FORCE_ENDS = new Set(['ApplicationRevoked', 'ApplicationExpired', 'ApplicationSuperseded', 'ApplicationEnded', 'ApplicationWithdrawn', 'ApplicationRejected']);

interface ApplicationEntry {
  institution: string;
  personalCode: string;
  inForce: boolean;
}

/**
 * The command side's view of the registry: every institution and campaign folded from the global
 * log, and which applications are in force at which institution. Caught up from its position before
 * each use (read-your-writes for the commands that consult it), one catch-up at a time. A query API
 * reads the read models instead (see docs/institutions.md).
 */
@Injectable()
export class RegistryIndex {
  private position = 0n;
  private pending: Promise<void> = Promise.resolve();
  private readonly institutions = new Map<string, InstitutionState>();
  private readonly campaigns = new Map<string, RecertificationState>();
  private readonly applications = new Map<string, ApplicationEntry>();

  constructor(@Inject(RegistrySources) private readonly sources: StoreSource) {}

  /** Reads whatever the log holds beyond the last position. */
  refresh(): Promise<void> {
    // A catch-up that failed (the store did not answer) fails its callers only: the next one starts afresh.
    this.pending = this.pending.catch(() => undefined).then(() => this.catchUp());
    return this.pending;
  }

  private async catchUp(): Promise<void> {
    for (;;) {
      const batch = await this.sources.store.readAll(this.position, BATCH);
      for (const recorded of batch) {
        this.apply(recorded.stream, { type: recorded.type, data: recorded.data });
        this.position = recorded.position;
      }
      if (batch.length < BATCH) return;
    }
  }

  private apply(stream: string, event: { type: string; data: unknown }): void {
    const dash = stream.indexOf('-');
    const [kind, id] = [stream.slice(0, dash), stream.slice(dash + 1)];
    if (kind === 'institution') {
      this.institutions.set(id, evolveInstitution(this.institutions.get(id) ?? initialInstitutionState, event as InstitutionEvent));
    } else if (kind === 'recertification') {
      this.campaigns.set(id, evolveRecertification(this.campaigns.get(id) ?? initialRecertificationState, event as RecertificationEvent));
    } else if (kind === 'application') {
      this.applyApplication(id, event as ApplicationEvent);
    }
  }

  private applyApplication(id: string, event: ApplicationEvent): void {
    const entry = this.applications.get(id);
    if (event.type === 'ApplicationDrafted') {
      this.applications.set(id, { institution: event.data.institution, personalCode: event.data.user.personalCode, inForce: false });
    } else if (entry && event.type === 'DraftEdited' && event.data.changes.user) {
      entry.personalCode = event.data.changes.user.personalCode;
    } else if (entry && event.type === 'ApplicationApproved') {
      entry.inForce = true;
    } else if (entry && IN_FORCE_ENDS.has(event.type)) {
      entry.inForce = false;
    }
  }

  institution(registrationNumber: string): InstitutionState | undefined {
    return this.institutions.get(registrationNumber);
  }

  allInstitutions(): InstitutionState[] {
    return [...this.institutions.values()].filter((s) => s.status !== 'none');
  }

  get hasInstitutions(): boolean {
    return this.institutions.size > 0;
  }

  campaign(campaignId: string): RecertificationState | undefined {
    return this.campaigns.get(campaignId);
  }

  /** The open campaign at an institution, if any (one at a time). */
  openCampaign(registrationNumber: string): RecertificationState | undefined {
    return [...this.campaigns.values()].find((c) => c.status === 'open' && c.institution === registrationNumber);
  }

  openCampaigns(): RecertificationState[] {
    return [...this.campaigns.values()].filter((c) => c.status === 'open');
  }

  /** Who holds rights at the institution (their employer) now, with the applications in force. */
  holdersAt(registrationNumber: string): RightsHolder[] {
    const byCode = new Map<string, string[]>();
    for (const [applicationId, entry] of this.applications) {
      if (entry.inForce && entry.institution === registrationNumber) byCode.set(entry.personalCode, [...(byCode.get(entry.personalCode) ?? []), applicationId]);
    }
    return [...byCode].map(([personalCode, applications]) => ({ personalCode, applications }));
  }
}
