import { Injectable } from '@nestjs/common';
import { decide, type EndCause } from '@atlauja/domain';
import { WrongExpectedRevision } from '@atlauja/event-store';
import { ApplicationStream } from '../applications/application-stream';
import { rigaInstant } from '../store/riga-time';
import { RegistrySources } from './registry-sources';

/** Who ends rights on behalf of the registry: a process, never a person (the machine's actorIsSystem). */
export const RIGHTS_ENDING_ACTOR = { id: 'system:institution-changes', role: 'system' } as const;
const ATTEMPTS = 3;

export interface EndingReport {
  ended: string[];
  /** Already not in force (ended before, revoked, expired...): nothing recorded, so a rerun is harmless. */
  skipped: string[];
}

/**
 * Carries out a merge's or a campaign's outcome on the applications: each one still approved gets
 * `ApplicationEnded { cause, causeRef }`. Idempotent per application (an ended one is skipped), so
 * the whole can run again after a crash and ends each right once.
 */
@Injectable()
export class RightsEnding {
  constructor(private readonly sources: RegistrySources) {}

  private get applications(): ApplicationStream {
    return new ApplicationStream(this.sources.store);
  }

  async end(applicationIds: Iterable<string>, cause: EndCause, causeRef: string, correlationId: string): Promise<EndingReport> {
    const report: EndingReport = { ended: [], skipped: [] };
    for (const id of new Set(applicationIds)) {
      const ended = await this.endOne(id, cause, causeRef, correlationId);
      (ended ? report.ended : report.skipped).push(id);
    }
    return report;
  }

  private async endOne(id: string, cause: EndCause, causeRef: string, correlationId: string): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.applications.load(id);
      if (loaded.revision === 'no-stream' || loaded.state.status !== 'approved') return false;
      const at = rigaInstant(this.sources.clock.now());
      const events = decide({ type: 'EndApplication', applicationId: id, actor: RIGHTS_ENDING_ACTOR, at, cause, causeRef }, loaded.state);
      try {
        await this.applications.append(id, events, loaded.revision, { actor: RIGHTS_ENDING_ACTOR.id, correlationId, occurredAt: at });
        return true;
      } catch (error) {
        // Another command changed it meanwhile: read again and decide again.
        if (!(error instanceof WrongExpectedRevision) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
