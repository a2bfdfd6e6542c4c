import { Injectable } from '@nestjs/common';
import { assertAcceptsApplications, isRepresentative, tryNormalizePersonalCode } from '@atlauja/domain';
import { Capability, Forbidden, POLICY, Principal } from '@atlauja/auth';
import { problem, ProblemError } from '../http/problem';
import { RegistryIndex } from './registry-index';

export const APPLICATION_GATE = Symbol('APPLICATION_GATE');

export interface GateRequest {
  capability: Capability;
  startsStream: boolean;
  /** The application's institution (the applying one when drafting). */
  institution: string | undefined;
  principal: Principal;
}

/** What the registry adds to the token before an application command runs (issue 9). */
export interface ApplicationGate {
  admit(request: GateRequest): Promise<void>;
}

/**
 * The registry's word on an application command, asked by the command pipeline after the token's
 * authorization. For an institution the registry holds:
 * 1. a representative's command needs the person listed as its representative in the registry
 *    (403 NOT_REPRESENTATIVE_IN_REGISTRY), whatever the token claims;
 * 2. while a re-certification campaign is open, every command but its representatives' is refused
 *    (423 INSTITUTION_LOCKED_FOR_RECERTIFICATION, naming the campaign and its deadline);
 * 3. drafting needs an active institution (422 INSTITUTION_NOT_ACTIVE).
 * An institution the registry does not hold is left to the token and the directory.
 */
@Injectable()
export class RegistryApplicationGate implements ApplicationGate {
  constructor(private readonly index: RegistryIndex) {}

  async admit({ capability, startsStream, institution, principal }: GateRequest): Promise<void> {
    if (institution === undefined) return;
    await this.index.refresh();
    const registered = this.index.institution(institution);
    if (!registered || registered.status === 'none') return;
    const person = tryNormalizePersonalCode(principal.subject);
    const listed = person !== null && isRepresentative(registered, person);
    const asRepresentative = (POLICY[capability].roles as readonly string[]).includes('representative');
    if (asRepresentative && !listed) {
      throw new Forbidden('NOT_REPRESENTATIVE_IN_REGISTRY', `the caller is not a representative of institution ${institution} in the registry (the token alone does not suffice)`);
    }
    const campaign = this.index.openCampaign(institution);
    if (campaign && !(asRepresentative && listed)) {
      throw new ProblemError(
        problem(423, 'Locked for re-certification', {
          code: 'INSTITUTION_LOCKED_FOR_RECERTIFICATION',
          detail: `institution ${institution} is being re-certified (campaign ${campaign.campaignId}, deadline ${campaign.deadline}); until it is completed only its representative acts`,
        }),
      );
    }
    if (startsStream) assertAcceptsApplications(registered);
  }
}
