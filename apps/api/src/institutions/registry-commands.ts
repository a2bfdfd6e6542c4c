import { Injectable } from '@nestjs/common';
import {
  decideInstitution,
  decideRecertification,
  type Actor,
  type InstitutionCommand,
  type InstitutionState,
  type RecertificationCommand,
  type RecertificationState,
  type ResortHeadFact,
} from '@atlauja/domain';
import { problem, ProblemError } from '../http/problem';
import { rigaInstant } from '../store/riga-time';
import { RegistryIndex } from './registry-index';
import { RegistrySources } from './registry-sources';
import { institutionStream, recertificationStream, RegistryStreams } from './registry-streams';
import { RightsEnding, type EndingReport } from './rights-ending';

export interface RegistryOutcome {
  id: string;
  /** The stream's revision after the command (null when nothing was ever recorded). */
  revision: string | null;
  position: string | null;
  /** How many events were recorded: 0 when the command changed nothing (an import rerun). */
  recorded: number;
  /** Rights ended as a consequence (merge, campaign outcome). */
  rightsEnded?: EndingReport;
}

type Without<C> = C extends unknown ? Omit<C, 'actor' | 'at' | 'registrationNumber' | 'campaignId'> : never;
export type InstitutionIntent = Without<InstitutionCommand>;
export type CampaignIntent = Without<RecertificationCommand>;

/**
 * The registry's and the campaigns' one way for a command: read the stream, fold, decide (the
 * machine guards), append with the expected revision. The consequences on applications (ending
 * rights after a merge or a campaign) follow the append and can be re-run: they are idempotent.
 */
@Injectable()
export class RegistryCommands {
  constructor(
    private readonly sources: RegistrySources,
    private readonly streams: RegistryStreams,
    private readonly index: RegistryIndex,
    private readonly ending: RightsEnding,
  ) {}

  now(): string {
    return rigaInstant(this.sources.clock.now());
  }

  async institution(registrationNumber: string, actor: Actor, correlationId: string, intent: (state: InstitutionState) => InstitutionIntent | Promise<InstitutionIntent>, expectExisting = true): Promise<RegistryOutcome> {
    const loaded = await this.streams.loadInstitution(registrationNumber);
    if (expectExisting && loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Institution not found'));
    const at = this.now();
    const command = { ...(await intent(loaded.state)), registrationNumber, actor, at } as InstitutionCommand;
    const events = decideInstitution(command, loaded.state);
    if (events.length === 0) return { id: registrationNumber, revision: revisionText(loaded.revision), position: null, recorded: 0 };
    const result = await this.streams.appendInstitution(registrationNumber, events, loaded.revision, { actor: actor.id, correlationId, occurredAt: at });
    const outcome: RegistryOutcome = { id: registrationNumber, revision: result.nextExpectedRevision.toString(), position: result.position.toString(), recorded: events.length };
    if (events.some((e) => e.type === 'InstitutionMerged')) outcome.rightsEnded = await this.finishMerge(registrationNumber, correlationId);
    return outcome;
  }

  async campaign(campaignId: string, actor: Actor, correlationId: string, intent: (state: RecertificationState) => CampaignIntent | Promise<CampaignIntent>, expectExisting = true): Promise<RegistryOutcome> {
    const loaded = await this.streams.loadCampaign(campaignId);
    if (expectExisting && loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Campaign not found'));
    const at = this.now();
    const command = { ...(await intent(loaded.state)), campaignId, actor, at } as RecertificationCommand;
    const events = decideRecertification(command, loaded.state);
    if (events.length === 0) return { id: campaignId, revision: revisionText(loaded.revision), position: null, recorded: 0 };
    const result = await this.streams.appendCampaign(campaignId, events, loaded.revision, { actor: actor.id, correlationId, occurredAt: at });
    const outcome: RegistryOutcome = { id: campaignId, revision: result.nextExpectedRevision.toString(), position: result.position.toString(), recorded: events.length };
    if (events.some((e) => e.type === 'RecertificationCompleted' || e.type === 'RecertificationLapsed')) outcome.rightsEnded = await this.finishCampaign(campaignId, correlationId);
    return outcome;
  }

  /** Ends every right still in force at a merged institution, pointing at the merge event. */
  async finishMerge(registrationNumber: string, correlationId: string): Promise<EndingReport> {
    const loaded = await this.streams.loadInstitution(registrationNumber);
    const merge = loaded.events.find((e) => e.type === 'InstitutionMerged');
    if (!merge) throw new ProblemError(problem(409, 'Not merged', { code: 'NOT_MERGED', detail: `institution ${registrationNumber} has no merge to carry out` }));
    await this.index.refresh();
    const applications = this.index.holdersAt(registrationNumber).flatMap((h) => h.applications);
    return this.ending.end(applications, 'institution-merged', `${institutionStream(registrationNumber)}@${merge.revision}`, correlationId);
  }

  /** Ends the rights the campaign's outcome names, pointing at the closing event. */
  async finishCampaign(campaignId: string, correlationId: string): Promise<EndingReport> {
    const loaded = await this.streams.loadCampaign(campaignId);
    const closing = loaded.events.find((e) => e.type === 'RecertificationCompleted' || e.type === 'RecertificationLapsed');
    if (!closing) throw new ProblemError(problem(409, 'Campaign open', { code: 'CAMPAIGN_OPEN', detail: `campaign ${campaignId} has no outcome yet` }));
    const applications = loaded.state.ended.flatMap((h) => h.applications);
    return this.ending.end(applications, 'not-recertified', `${recertificationStream(campaignId)}@${closing.revision}`, correlationId);
  }

  /** What the registry knows of another institution, for the decider (null: not registered). */
  async resortHeadFact(registrationNumber: string | undefined, self: string): Promise<ResortHeadFact | null | undefined> {
    if (!registrationNumber || registrationNumber === self || !/^\d{11}$/.test(registrationNumber)) return undefined;
    const head = (await this.streams.loadInstitution(registrationNumber)).state;
    return head.details ? { type: head.details.type, status: head.status } : null;
  }

  async statusOf(registrationNumber: string): Promise<{ status: string } | null> {
    if (!/^\d{11}$/.test(registrationNumber)) return null;
    const state = (await this.streams.loadInstitution(registrationNumber)).state;
    return state.status === 'none' ? null : { status: state.status };
  }
}

function revisionText(revision: bigint | 'no-stream'): string | null {
  return revision === 'no-stream' ? null : revision.toString();
}
