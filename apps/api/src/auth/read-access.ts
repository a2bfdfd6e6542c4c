/**
 * Reads are authorized like commands: the policy table first (roles, the token's institutions, no
 * service credential), then, where the caller reads only as a representative, the registry's word:
 * they must be listed as the institution's representative (403 NOT_REPRESENTATIVE_IN_REGISTRY),
 * whatever the token claims. An institution the registry does not hold is left to the token, as
 * for commands. The answer says whether the caller represents the institution, for the disclosure
 * rule (libs/auth disclosure.ts).
 */
import { Injectable } from '@nestjs/common';
import { actsOnlyAsRepresentative, authorize, Forbidden, type Capability, type Principal } from '@atlauja/auth';
import type { RecordedEvent } from '@atlauja/event-store';
import { RegistryGate } from '../institutions/registry-gate';

export interface ReadAdmission {
  /** The caller is a representative of the institution concerned, by the token and the registry. */
  readonly represents: boolean;
}

@Injectable()
export class ReadAccess {
  constructor(private readonly gate: RegistryGate) {}

  /** `registered`: the institution's stream when the caller read it already. */
  async admit(principal: Principal, capability: Capability, institution?: string | null, registered?: readonly RecordedEvent[]): Promise<ReadAdmission> {
    authorize(principal, capability, { institution: institution ?? undefined });
    if (institution === undefined || institution === null) return { represents: false };
    if (actsOnlyAsRepresentative(principal, capability)) {
      await this.gate.admitRepresentative(institution, principal, registered);
      return { represents: true };
    }
    const claimed = principal.roles.includes('representative') && principal.institutions.includes(institution);
    return { represents: claimed && (await this.listed(institution, principal, registered)) };
  }

  /** For a caller who reads under another role as well: whether the registry lists them too. */
  private async listed(institution: string, principal: Principal, registered: readonly RecordedEvent[] | undefined): Promise<boolean> {
    try {
      await this.gate.admitRepresentative(institution, principal, registered);
      return true;
    } catch (error) {
      if (error instanceof Forbidden) return false;
      throw error;
    }
  }
}
