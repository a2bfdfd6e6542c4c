/** Another institution's word, read from its own stream (exact, never a read model). */
import { loadStream } from '@atlauja/command-handler';
import { INSTITUTION_STREAM, institutionStream, type InstitutionState, type ResortHeadFact } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';

const REGISTRATION_NUMBER = /^\d{11}$/;

export async function institutionState(store: EventStore, registrationNumber: string): Promise<InstitutionState> {
  return (await loadStream(store, institutionStream(registrationNumber), INSTITUTION_STREAM.decider)).state;
}

/** What the registry knows of a resort head that is another institution (null: not registered; undefined: itself or none). */
export async function resortHeadFact(store: EventStore, resortHead: string | undefined, self: string): Promise<ResortHeadFact | null | undefined> {
  if (!resortHead || resortHead === self || !REGISTRATION_NUMBER.test(resortHead)) return undefined;
  const head = await institutionState(store, resortHead);
  return head.details ? { type: head.details.type, status: head.status } : null;
}

/** The status of an institution (null: not registered). */
export async function statusOf(store: EventStore, registrationNumber: string): Promise<{ status: string } | null> {
  if (!REGISTRATION_NUMBER.test(registrationNumber)) return null;
  const state = await institutionState(store, registrationNumber);
  return state.status === 'none' ? null : { status: state.status };
}
