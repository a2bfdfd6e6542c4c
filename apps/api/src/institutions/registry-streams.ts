import { Inject, Injectable } from '@nestjs/common';
import {
  INSTITUTION_EVENT_SCHEMA_VERSION,
  RECERTIFICATION_EVENT_SCHEMA_VERSION,
  foldInstitution,
  foldRecertification,
  type InstitutionEvent,
  type InstitutionState,
  type RecertificationEvent,
  type RecertificationState,
} from '@atlauja/domain';
import type { AppendResult, ExpectedRevision, RecordedEvent } from '@atlauja/event-store';
import { RegistrySources, type StoreSource } from './registry-sources';

export const institutionStream = (registrationNumber: string): string => `institution-${registrationNumber}`;
export const recertificationStream = (campaignId: string): string => `recertification-${campaignId}`;

export interface Loaded<State> {
  state: State;
  revision: bigint | 'no-stream';
  events: RecordedEvent[];
}

export interface AppendContext {
  actor: string;
  correlationId: string;
  occurredAt: string;
}

/** Reads and folds an institution's or a campaign's stream; appends with the expected revision. */
@Injectable()
export class RegistryStreams {
  constructor(@Inject(RegistrySources) private readonly sources: StoreSource) {}

  loadInstitution(registrationNumber: string): Promise<Loaded<InstitutionState>> {
    return this.load(institutionStream(registrationNumber), (events) => foldInstitution(events as InstitutionEvent[]));
  }

  loadCampaign(campaignId: string): Promise<Loaded<RecertificationState>> {
    return this.load(recertificationStream(campaignId), (events) => foldRecertification(events as RecertificationEvent[]));
  }

  appendInstitution(registrationNumber: string, events: InstitutionEvent[], expected: ExpectedRevision, context: AppendContext): Promise<AppendResult> {
    return this.append(institutionStream(registrationNumber), events, (type) => INSTITUTION_EVENT_SCHEMA_VERSION[type as InstitutionEvent['type']], expected, context);
  }

  appendCampaign(campaignId: string, events: RecertificationEvent[], expected: ExpectedRevision, context: AppendContext): Promise<AppendResult> {
    return this.append(recertificationStream(campaignId), events, (type) => RECERTIFICATION_EVENT_SCHEMA_VERSION[type as RecertificationEvent['type']], expected, context);
  }

  private async load<State>(stream: string, fold: (events: { type: string; data: unknown }[]) => State): Promise<Loaded<State>> {
    const result = await this.sources.store.readStream(stream);
    if (!result.found) return { state: fold([]), revision: 'no-stream', events: [] };
    return { state: fold(result.events.map((e) => ({ type: e.type, data: e.data }))), revision: result.events[result.events.length - 1].revision, events: result.events };
  }

  private append(stream: string, events: { type: string; data: unknown }[], version: (type: string) => number, expected: ExpectedRevision, context: AppendContext) {
    return this.sources.store.append(
      stream,
      events.map((event) => ({
        type: event.type,
        data: event.data,
        metadata: { actor: context.actor, correlationId: context.correlationId, occurredAt: context.occurredAt, schemaVersion: version(event.type) },
      })),
      expected,
    );
  }
}
