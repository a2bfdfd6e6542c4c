/**
 * What happens because something else happened, on other streams: a merge ends every right at the
 * merged institution; the lock of an institution opens its campaign; a campaign's outcome ends the
 * rights of those not confirmed and lifts the lock. Each consequence is a command keyed by (the
 * causing event, the target), so running a reaction again (the api right after the command, the
 * worker after a crash, an administrator's rerun) records each effect once and reports the same.
 */
import { loadStream, sha256Of, StreamExists } from '@atlauja/command-handler';
import { APPLICATION_STREAM, applicationStream, DomainError, parseStreamName, type EndCause, type GrantEndReason, type InstitutionEvent, type RecertificationEvent } from '@atlauja/domain';
import { GRANT_COMMANDS } from '../grants/grant-entries';
import type { RecordedEvent } from '@atlauja/event-store';
import { APPLICATION_PROCESS_COMMANDS } from '../application/process-entries';
import { runEntry, type RunOptions } from '../command-entry';
import type { ReactionPorts } from '../ports';
import { CAMPAIGN_COMMANDS } from '../registry/campaign-entries';
import { INSTITUTION_COMMANDS } from '../registry/institution-entries';

/** Who carries out the registry's consequences: a process, never a person. */
export const RIGHTS_ENDING_ACTOR = { id: 'system:institution-changes', role: 'system' } as const;
export const RECERTIFICATION_ACTOR = { id: 'system:recertification', role: 'system' } as const;
export const GRANT_FOLLOWER = { id: 'system:grants', role: 'system' } as const;

export interface ReactionReport {
  /** Applications this reaction ended (now or on an earlier run). */
  ended: string[];
  /** Applications no longer in force when it came to them (revoked, expired... meanwhile): nothing recorded. */
  skipped: string[];
  /** Other streams it recorded on (a campaign opened, a lock lifted). */
  recorded: string[];
  /** Applications it closed undecided (a merge). */
  closed?: string[];
}

/** The options of a consequence of `event` on `target`: a system actor, and a key only this pair has. */
function consequenceOf(event: RecordedEvent, target: string, actor: RunOptions<unknown>['actor'], ports: ReactionPorts): RunOptions<never> {
  const now = ports.now();
  const key = sha256Of('reaction', event.id, target);
  return { actor, now, at: ports.rigaInstant(now), correlationId: event.metadata.correlationId ?? event.id, causationId: event.id, idempotency: { key, fingerprint: key } };
}

/** The lock of an institution opens its campaign, with the holders as the log stood at the lock. */
const openLockedCampaign: Reaction = async (event, ports) => {
  const institution = parseStreamName(event.stream)?.id as string;
  const data = event.data as Extract<InstitutionEvent, { type: 'InstitutionLockedForRecertification' }>['data'];
  await ports.readModelsReach(event.position);
  try {
    await runEntry(ports.store, CAMPAIGN_COMMANDS.open, data.campaignId, { institution, deadline: data.deadline, holdersAsOf: event.position },
      consequenceOf(event, `recertification-${data.campaignId}`, RECERTIFICATION_ACTOR, ports), ports);
  } catch (error) {
    // Opened already by a run whose key is not ours (this reaction's own key replays instead).
    if (!(error instanceof StreamExists)) throw error;
  }
  return { ended: [], skipped: [], recorded: [`recertification-${data.campaignId}`] };
};

/** A campaign's outcome ends the unconfirmed users' rights, then lifts the institution's lock. */
const closeCampaign: Reaction = async (event, ports) => {
  const data = event.data as Extract<RecertificationEvent, { type: 'RecertificationCompleted' | 'RecertificationLapsed' }>['data'];
  const report = await endEach(data.ended.flatMap((h) => h.applications), 'not-recertified', event, ports);
  const campaignId = parseStreamName(event.stream)?.id as string;
  const opened = await ports.store.readStream(event.stream, { maxCount: 1 });
  const institution = opened.found ? (opened.events[0].data as { institution?: string }).institution : undefined;
  if (institution) {
    const outcome = event.type === 'RecertificationCompleted' ? 'completed' : 'lapsed';
    try {
      await runEntry(ports.store, INSTITUTION_COMMANDS.unlock, institution, { campaignId, outcome }, consequenceOf(event, `institution-${institution}`, RECERTIFICATION_ACTOR, ports), ports);
      report.recorded.push(`institution-${institution}`);
    } catch (error) {
      // A campaign opened before institutions held their own lock has none to lift.
      if (!(error instanceof DomainError && error.code === 'CAMPAIGN_NOT_OPEN')) throw error;
    }
  }
  return report;
};

type Reaction = (event: RecordedEvent, ports: ReactionPorts) => Promise<ReactionReport>;

/**
 * A merge ends every right at the merged institution and closes what was not yet decided. An
 * approval whose checks passed before the merge may be recorded after it: if it comes before this
 * reaction's closing, the closing finds it approved and ends it instead; if after, the closing was
 * appended first and the approval's expected revision refuses it. The undecided are read before the
 * holders, so an approval the read model takes in between is in one list or the other.
 */
const endRightsAtMergedInstitution: Reaction = async (event, ports) => {
  const institution = parseStreamName(event.stream)?.id as string;
  await ports.readModelsReach(event.position);
  const undecided = (await ports.undecidedAt(institution)).sort();
  const atMerge = await ports.holdersAt(institution, event.position);
  const grantedSince = await ports.holdersAt(institution);
  const report = await endEach([...atMerge, ...grantedSince].flatMap((h) => h.applications), 'institution-merged', event, ports);
  report.closed = [];
  const causeRef = `${event.stream}@${event.revision}`;
  for (const applicationId of undecided) {
    try {
      await runEntry(ports.store, APPLICATION_PROCESS_COMMANDS.close, applicationId, { cause: 'institution-merged', causeRef }, consequenceOf(event, `close-${applicationId}`, RIGHTS_ENDING_ACTOR, ports), undefined);
      report.closed.push(applicationId);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'TRANSITION_NOT_ALLOWED')) throw error;
      // Decided meanwhile: approved after the merge is ended like the rights held at it (and listed when
      // another run of this merge, the worker's, ended it first); withdrawn or rejected is left.
      const { state } = await loadStream(ports.store, applicationStream(applicationId), APPLICATION_STREAM.decider);
      const endedByThisMerge = state.status === 'ended' && state.causeRef === causeRef;
      if ((state.status === 'approved' || endedByThisMerge) && !report.ended.includes(applicationId)) {
        const late = await endEach([applicationId], 'institution-merged', event, ports);
        report.ended.push(...late.ended);
      }
    }
  }
  report.ended.sort();
  return report;
};

/**
 * The grant stream follows its application: an approval confirms the reservation, an ending ends
 * the grant, a rejection or closing voids a reservation it left. Keyed by the event, so repeatable.
 */
const GRANT_FOLLOWS: Readonly<Record<string, { command: 'confirm' } | { command: 'end'; reason: GrantEndReason } | { command: 'void'; reason: string }>> = {
  ApplicationApproved: { command: 'confirm' },
  ApplicationRevoked: { command: 'end', reason: 'revoked' },
  ApplicationExpired: { command: 'end', reason: 'expired' },
  ApplicationEnded: { command: 'end', reason: 'ended' },
  ApplicationRejected: { command: 'void', reason: 'rejected' },
  ApplicationWithdrawn: { command: 'void', reason: 'withdrawn' },
  ApplicationClosed: { command: 'void', reason: 'closed' },
};

const followGrant: Reaction = async (event, ports) => {
  const applicationId = parseStreamName(event.stream)?.id as string;
  const { state } = await loadStream(ports.store, event.stream, APPLICATION_STREAM.decider);
  const report: ReactionReport = { ended: [], skipped: [], recorded: [] };
  if (!state.institution || !state.user) return report;
  const grantId = ports.pseudonyms.grantId(state.institution, state.user.personalCode);
  const follow = GRANT_FOLLOWS[event.type];
  const options = consequenceOf(event, `grant-${grantId}`, GRANT_FOLLOWER, ports);
  const outcome = follow.command === 'confirm'
    ? await runEntry(ports.store, GRANT_COMMANDS.confirm, grantId, { applicationId }, options, undefined)
    : follow.command === 'end'
      ? await runEntry(ports.store, GRANT_COMMANDS.end, grantId, { applicationId, reason: follow.reason }, options, undefined)
      : await runEntry(ports.store, GRANT_COMMANDS.void, grantId, { applicationId, reason: follow.reason }, options, undefined);
  if (outcome.events.length > 0) report.recorded.push(outcome.stream);
  return report;
};

const REACTIONS: Readonly<Record<string, Reaction>> = {
  ...Object.fromEntries(Object.keys(GRANT_FOLLOWS).map((type) => [type, followGrant])),
  InstitutionMerged: endRightsAtMergedInstitution,
  InstitutionLockedForRecertification: openLockedCampaign,
  RecertificationCompleted: closeCampaign,
  RecertificationLapsed: closeCampaign,
};

/** Whether events of this type have consequences. */
export function hasReaction(type: string): boolean {
  return Object.hasOwn(REACTIONS, type);
}

/** Carries out the consequences of `event` (null: it has none). */
export function react(event: RecordedEvent, ports: ReactionPorts): Promise<ReactionReport> | null {
  const reaction = REACTIONS[event.type];
  return reaction ? reaction(event, ports) : null;
}

async function endEach(applications: readonly string[], cause: EndCause, event: RecordedEvent, ports: ReactionPorts): Promise<ReactionReport> {
  const report: ReactionReport = { ended: [], skipped: [], recorded: [] };
  const causeRef = `${event.stream}@${event.revision}`;
  for (const applicationId of [...new Set(applications)].sort()) {
    try {
      await runEntry(ports.store, APPLICATION_PROCESS_COMMANDS.end, applicationId, { cause, causeRef }, consequenceOf(event, `application-${applicationId}`, RIGHTS_ENDING_ACTOR, ports), undefined);
      report.ended.push(applicationId);
    } catch (error) {
      // Already not in force (revoked, expired, ended by another cause): there is nothing left to end.
      if (error instanceof DomainError && error.code === 'TRANSITION_NOT_ALLOWED') report.skipped.push(applicationId);
      else throw error;
    }
  }
  return report;
}

/**
 * Carries out the consequences of what a command just recorded (the events it appended, read back
 * with their ids and positions only when one of them has consequences). A failure here is left to
 * the worker, which reacts to every event of the log; `onFailure` hears of it.
 */
export async function reactToOutcome(
  outcome: { stream: string; revision: bigint | 'no-stream'; events: readonly { type: string }[]; replayed: boolean },
  ports: ReactionPorts,
  onFailure: (event: RecordedEvent, error: Error) => void = () => undefined,
): Promise<ReactionReport[]> {
  if (outcome.revision === 'no-stream' || !outcome.events.some((e) => hasReaction(e.type))) return [];
  const first = outcome.revision - BigInt(outcome.events.length - 1);
  const read = await ports.store.readStream(outcome.stream, { fromRevision: first, maxCount: outcome.events.length });
  const reports: ReactionReport[] = [];
  for (const event of read.found ? read.events : []) {
    try {
      const report = react(event, ports);
      if (report) reports.push(await report);
    } catch (error) {
      onFailure(event, error as Error);
    }
  }
  return reports;
}
