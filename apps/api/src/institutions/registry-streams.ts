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
import type { AppendResult, ExpectedRevision } from '@atlauja/event-store';
import { appendToStream, loadStream, type AppendContext, type LoadedStream } from '../store/stream-io';
import { RegistrySources, type StoreSource } from './registry-sources';

export const institutionStream = (registrationNumber: string): string => `institution-${registrationNumber}`;
export const recertificationStream = (campaignId: string): string => `recertification-${campaignId}`;

export type Loaded<State> = LoadedStream<State>;
export type { AppendContext };

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

  private load<State>(stream: string, fold: (events: { type: string; data: unknown }[]) => State): Promise<Loaded<State>> {
    return loadStream(this.sources.store, stream, fold);
  }

  private append(stream: string, events: { type: string; data: unknown }[], version: (type: string) => number, expected: ExpectedRevision, context: AppendContext) {
    return appendToStream(this.sources.store, stream, events, version, expected, context);
  }
}
