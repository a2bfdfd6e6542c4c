/** What the application's commands read of a user's grant and of the application a change names: from their own streams, exactly. */
import { foldStream, loadStream, type StreamsRead } from '@atlauja/command-handler';
import { APPLICATION_STREAM, GRANT_STREAM, applicationStream, grantStream, tryNormalizePersonalCode, type ApplicationState, type GrantFact, type ReplacedFact } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import type { Pseudonyms } from './pseudonyms';

/** The user's grant stream at the institution (undefined: the code is not a personal code or the number not a registration number). */
export function grantStreamOf(pseudonyms: Pseudonyms, institution: string, personalCode: string): string | undefined {
  if (!tryNormalizePersonalCode(personalCode) || !/^\d{11}$/.test(institution)) return undefined;
  return grantStream(institution, pseudonyms.of(personalCode));
}

/**
 * The user's grant at the institution now (undefined: the code is not a personal code, the rules will
 * say so), from `read` when the command read the grant's stream with its own, else read here.
 */
export async function grantFactOf(store: EventStore, pseudonyms: Pseudonyms, institution: string, personalCode: string, read?: StreamsRead): Promise<GrantFact | undefined> {
  const stream = grantStreamOf(pseudonyms, institution, personalCode);
  if (stream === undefined) return undefined;
  const events = read?.get(stream);
  const { state } = events ? foldStream(events, GRANT_STREAM.decider) : await loadStream(store, stream, GRANT_STREAM.decider);
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
