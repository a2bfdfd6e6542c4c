/**
 * Replays an application stream through `evolve` and the machine: every stored event is judged as
 * the request that produced it would have been, against the state folded from the events before
 * it. Anything the machine would not allow is a finding, named by the rule that refuses it.
 */
import {
  evolve,
  explainRefusal,
  initialApplicationState,
  TRANSITION_RULES,
  type ApplicationCommand,
  type ApplicationEvent,
  type ApplicationState,
} from '@atlauja/domain';
import type { RecordedEvent } from '@atlauja/event-store';
import { applicationIdOf, toApplicationEvent } from './application-events';
import { actorIdOf, commandOf } from './command-of-event';
import type { Finding } from './findings';
import { UpcastError, applicationUpcasting, type Upcasting } from './upcasting';

export function checkTransitions(stream: string, events: readonly RecordedEvent[], upcasting: Upcasting = applicationUpcasting): Finding[] {
  const findings: Finding[] = [];
  let state: ApplicationState = initialApplicationState;
  const streamId = applicationIdOf(stream);
  for (const recorded of events) {
    const at = { stream, revision: recorded.revision.toString(), type: recorded.type };
    let event: ApplicationEvent;
    try {
      event = toApplicationEvent(recorded, upcasting);
    } catch (error) {
      if (!(error instanceof UpcastError)) throw error;
      // Without this event the states after it are unknown: judging them would only add noise.
      findings.push({ kind: 'schema', code: error.code, ...at, message: `${error.message}; the replay of this stream stops here` });
      break;
    }
    const command = commandOf(event, state.id ?? streamId);
    if (!command) {
      findings.push({ kind: 'transition', code: 'UNKNOWN_EVENT_TYPE', ...at, message: `the machine has no command that records ${recorded.type}` });
    } else {
      findings.push(...judge(state, command, at));
      findings.push(...consistency(recorded, event, streamId, at));
    }
    state = evolve(state, event);
  }
  return findings;
}

function judge(state: ApplicationState, command: ApplicationCommand, at: Pick<Finding, 'stream' | 'revision' | 'type'>): Finding[] {
  const refusal = explainRefusal(state, command);
  if (!refusal) return [];
  return [{ kind: 'transition', code: refusal.code, rule: ruleNameOf(refusal.code, refusal.field, state, command), ...at, message: withoutPersonalCodes(refusal.message) }];
}

/** The name of the machine's rule behind a refusal (several rules share ROLE_NOT_ALLOWED, so the field and the rule's own test tell them apart). */
function ruleNameOf(code: string, field: string | undefined, state: ApplicationState, command: ApplicationCommand): string {
  const named = Object.entries(TRANSITION_RULES).find(([, rule]) => rule.code === code && rule.field === field && !rule.holds(state, command));
  return named ? named[0] : 'transition';
}

/** Facts the machine does not see but an auditor must: who the envelope says acted, and which application the data names. */
function consistency(recorded: RecordedEvent, event: ApplicationEvent, streamId: string, at: Pick<Finding, 'stream' | 'revision' | 'type'>): Finding[] {
  const findings: Finding[] = [];
  const actor = actorIdOf(event);
  if (actor !== undefined && recorded.metadata.actor !== actor) {
    findings.push({ kind: 'transition', code: 'ACTOR_MISMATCH', ...at, message: "the envelope's actor is not the actor the event's data records" });
  }
  if (event.type === 'ApplicationDrafted' && event.data.applicationId !== streamId) {
    findings.push({ kind: 'transition', code: 'STREAM_MISMATCH', ...at, message: `the event drafts application ${event.data.applicationId} in the stream of ${streamId}` });
  }
  return findings;
}

/** Refusal messages may quote a value; a finding is printed and logged, so no personal code in it. */
function withoutPersonalCodes(message: string): string {
  return message.replace(/\b\d{6}-?\d{5}\b/g, '***');
}
