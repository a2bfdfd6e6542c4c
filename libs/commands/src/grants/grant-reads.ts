/** What the application's commands read of a user's grant and of the application a change names: from their own streams, exactly. */
import { loadStream } from '@atlauja/command-handler';
import { APPLICATION_STREAM, GRANT_STREAM, applicationStream, grantStream, tryNormalizePersonalCode, type ApplicationState, type GrantFact, type ReplacedFact } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import type { Pseudonyms } from './pseudonyms';

/** The user's grant at the institution now (undefined: the code is not a personal code, the rules will say so). */
export async function grantFactOf(store: EventStore, pseudonyms: Pseudonyms, institution: string, personalCode: string): Promise<GrantFact | undefined> {
  if (!tryNormalizePersonalCode(personalCode) || !/^\d{11}$/.test(institution)) return undefined;
  const { state } = await loadStream(store, grantStream(institution, pseudonyms.of(personalCode)), GRANT_STREAM.decider);
  return { inForce: state.inForce, pending: state.pending?.applicationId ?? null };
}

/** The application a change or termination names, as its stream says (null: no such application). */
export async function replacedFactOf(store: EventStore, applicationId: string): Promise<ReplacedFact | null> {
  const { state } = await loadStream(store, applicationStream(applicationId), APPLICATION_STREAM.decider);
  return factOf(state);
}

function factOf(state: ApplicationState): ReplacedFact | null {
  if (state.status === 'none' || !state.institution || !state.user || !state.kind) return null;
  return { status: state.status, kind: state.kind, institution: state.institution, personalCode: state.user.personalCode };
}
