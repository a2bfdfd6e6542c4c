/**
 * The registry's word on a command, on top of the token's authorization, read from the
 * institution's own stream (exact, never a read model that may be behind):
 * 1. a representative's command needs the person listed as the institution's representative
 *    (403 NOT_REPRESENTATIVE_IN_REGISTRY), whatever the token claims;
 * 2. while a re-certification campaign locks the institution (seed 000), no application command
 *    runs there (423): its users are locked out and only the campaign's work goes on;
 * 3. drafting, signing, claiming and approving need an active institution (422 INSTITUTION_NOT_ACTIVE).
 * An institution the registry does not hold is left to the token and the directory.
 */
import { Inject, Injectable } from '@nestjs/common';
import { foldStream } from '@atlauja/command-handler';
import { assertAcceptsApplications, INSTITUTION_STREAM, isRepresentative, tryNormalizePersonalCode, type InstitutionState } from '@atlauja/domain';
import { Forbidden, POLICY, type Capability, type Principal } from '@atlauja/auth';
import { institutionState } from '@atlauja/commands';
import type { EventStore, RecordedEvent } from '@atlauja/event-store';
import { problem, ProblemError } from '../http/problem';
import { EVENT_STORE } from '../store/tokens';

/** The application commands that decide at an institution: they need it active, not only unlocked. */
const NEEDS_ACTIVE_INSTITUTION: readonly Capability[] = ['application.draft', 'application.sign', 'application.claim', 'application.approve'];

@Injectable()
export class RegistryGate {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** `read`: the institution's stream when the caller read it already (with the application's, in one statement). */
  async admitApplication(capability: Capability, institution: string | undefined, principal: Principal, read?: readonly RecordedEvent[]): Promise<void> {
    if (institution === undefined) return;
    const registered = await this.registered(institution, read);
    if (registered.status === 'none') return;
    if ((POLICY[capability].roles as readonly string[]).includes('representative')) this.assertListed(registered, institution, principal);
    if (registered.recertification) {
      const { campaignId, deadline } = registered.recertification;
      throw new ProblemError(
        problem(423, 'Locked for re-certification', {
          code: 'INSTITUTION_LOCKED_FOR_RECERTIFICATION',
          detail: `institution ${institution} is being re-certified (campaign ${campaignId}, deadline ${deadline}); its users are locked out and only the campaign's work goes on until it is over`,
        }),
      );
    }
    if (NEEDS_ACTIVE_INSTITUTION.includes(capability)) assertAcceptsApplications(registered);
  }

  /** A representative acting for an institution: listed in its registry entry, not only named by the token (an institution the registry does not hold is left to the token). */
  async admitRepresentative(institution: string, principal: Principal, read?: readonly RecordedEvent[]): Promise<void> {
    const registered = await this.registered(institution, read);
    if (registered.status === 'none') return;
    this.assertListed(registered, institution, principal);
  }

  private async registered(institution: string, read: readonly RecordedEvent[] | undefined): Promise<InstitutionState> {
    return read ? foldStream(read, INSTITUTION_STREAM.decider).state : institutionState(this.store, institution);
  }

  private assertListed(registered: InstitutionState, institution: string, principal: Principal): void {
    const person = tryNormalizePersonalCode(principal.subject);
    if (person === null || !isRepresentative(registered, person)) {
      throw new Forbidden('NOT_REPRESENTATIVE_IN_REGISTRY', `the caller is not a representative of institution ${institution} in the registry (the token alone does not suffice)`);
    }
  }
}
