/**
 * Replays a stream of any decided type (application, institution, campaign) through its `evolve`
 * and its machine: every stored event is judged as the request that produced it would have been,
 * against the state folded from the events before it. The command is rebuilt by the event
 * catalogue, and judged under the role stored with the event (or the catalogue's, for events stored
 * before roles were). Anything the machine would not allow is a finding, named by its rule.
 */
import {
  EVENT_CATALOGUE,
  STREAM_DEFINITIONS,
  actorOfEvent,
  parseStreamName,
  timeOfEvent,
  type ActorRole,
  type CatalogueEntry,
  type DecidedStreamType,
  type StreamDefinition,
} from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import type { Finding } from './findings';
import { UpcastError, applicationUpcasting, type Upcasting } from './upcasting';

type AnyDefinition = StreamDefinition<{ readonly status: string }, { readonly type: string }, { readonly type: string; readonly data: object }>;
type AnyEntry = CatalogueEntry<{ readonly type: string; readonly data: object }, { readonly type: string }>;
type At = Pick<Finding, 'stream' | 'revision' | 'type'>;

/** Who recorded the event according to its data (the domain's own record of the actor). */
export const actorIdOf = (event: { readonly type: string; readonly data: unknown }): string | undefined => actorOfEvent(EVENT_CATALOGUE, event);
/** When the command was accepted, according to the event's data. */
export const timeOf = (event: { readonly type: string; readonly data: unknown }): string => timeOfEvent(EVENT_CATALOGUE, event);

/** The stream types the replay judges: those the domain decides. */
export function isDecidedStream(stream: string): boolean {
  const type = parseStreamName(stream)?.type;
  return type !== undefined && Object.hasOwn(STREAM_DEFINITIONS, type);
}

export function checkTransitions(stream: string, events: readonly RecordedEvent[], upcasting: Upcasting = applicationUpcasting): Finding[] {
  const parsed = parseStreamName(stream);
  if (!parsed || !isDecidedStream(stream)) return [];
  const definition = STREAM_DEFINITIONS[parsed.type as DecidedStreamType] as unknown as AnyDefinition;
  const catalogue = definition.catalogue as unknown as Readonly<Record<string, AnyEntry | undefined>>;
  const findings: Finding[] = [];
  let state = definition.decider.initialState;
  for (const recorded of events) {
    const at: At = { stream, revision: recorded.revision.toString(), type: recorded.type };
    let event: { type: string; data: object };
    try {
      event = { type: recorded.type, data: upcasting.read(recorded.type, recorded.data, recorded.metadata.schemaVersion).data as object };
    } catch (error) {
      if (!(error instanceof UpcastError)) throw error;
      // Without this event the states after it are unknown: judging them would only add noise.
      findings.push({ kind: 'schema', code: error.code, ...at, message: `${error.message}; the replay of this stream stops here` });
      break;
    }
    const entry = catalogue[recorded.type];
    try {
      if (!entry) {
        findings.push({ kind: 'transition', code: 'UNKNOWN_EVENT_TYPE', ...at, message: `the ${parsed.type} machine has no command that records ${recorded.type}` });
      } else {
        const actor = { id: actorIdOf(event) ?? '', role: roleOf(recorded, entry) };
        const command = entry.replay(event, { id: parsed.id, actor, at: timeOf(event) });
        findings.push(...judge(definition, state, command, at));
        findings.push(...consistency(recorded, event, parsed, at));
      }
      state = definition.decider.evolve(state, event);
    } catch (error) {
      // Data the domain cannot read (a time that is no time, a field of another type): named, and
      // the replay stops, for the states after it are unknown. An audit never crashes on the record.
      findings.push({ kind: 'transition', code: 'REPLAY_FAILED', ...at, message: `the ${parsed.type} machine could not replay this event (${(error as Error).name}); the replay of this stream stops here` });
      break;
    }
  }
  return findings;
}

/** The role stored with the event; for events stored before roles were, the catalogue's first. */
function roleOf(recorded: RecordedEvent, entry: AnyEntry): ActorRole {
  return (recorded.metadata.role as ActorRole | undefined) ?? entry.roles[0];
}

function judge(definition: AnyDefinition, state: { readonly status: string }, command: { readonly type: string }, at: At): Finding[] {
  const refusal = definition.explainRefusal(state, command);
  if (!refusal) return [];
  // Several rules share a code (ROLE_NOT_ALLOWED): the field and the rule's own test tell them apart.
  const named = Object.entries(definition.rules).find(([, rule]) => rule.code === refusal.code && rule.field === refusal.field && !rule.holds(state, command));
  return [{ kind: 'transition', code: refusal.code, rule: named ? named[0] : 'transition', ...at, message: withoutPersonalCodes(refusal.message) }];
}

/** Facts the machine does not see but an auditor must: who the envelope says acted, and which stream the data names. */
function consistency(recorded: RecordedEvent, event: { type: string; data: object }, stream: { type: string; id: string }, at: At): Finding[] {
  const findings: Finding[] = [];
  const actor = actorIdOf(event);
  if (actor !== undefined && recorded.metadata.actor !== actor) {
    findings.push({ kind: 'transition', code: 'ACTOR_MISMATCH', ...at, message: "the envelope's actor is not the actor the event's data records" });
  }
  const named = (event.data as { applicationId?: unknown; registrationNumber?: unknown; campaignId?: unknown });
  const own = event.type === 'ApplicationDrafted' ? named.applicationId : event.type === 'InstitutionRegistered' ? named.registrationNumber : event.type === 'RecertificationOpened' ? named.campaignId : undefined;
  if (own !== undefined && own !== stream.id) {
    findings.push({ kind: 'transition', code: 'STREAM_MISMATCH', ...at, message: `the event names ${String(own)} in the stream of ${stream.id}` });
  }
  return findings;
}

/** Refusal messages may quote a value; a finding is printed and logged, so no personal code in it. */
function withoutPersonalCodes(message: string): string {
  return message.replace(/\b\d{6}-?\d{5}\b/g, '***');
}
