import { campaignProgress, maskPersonalCode, type InstitutionState, type RecertificationState } from '@atlauja/domain';
import type { RunResult } from '../commands/run-command';

/** A registry command's reply: the stream's id and revision, the position to read one's write, what it recorded and caused. */
export function registryReply(outcome: RunResult) {
  const ended = outcome.reactions.flatMap((r) => r.ended);
  const skipped = outcome.reactions.flatMap((r) => r.skipped);
  const closed = outcome.reactions.flatMap((r) => r.closed ?? []);
  return {
    id: outcome.id,
    revision: outcome.revision === 'no-stream' ? null : outcome.revision.toString(),
    position: outcome.position === null ? null : outcome.position.toString(),
    recorded: outcome.events.length,
    ...(outcome.replayed && { replayed: true }),
    ...(outcome.reactions.length > 0 && { rightsEnded: { ended, skipped } }),
    ...(closed.length > 0 && { applicationsClosed: closed }),
  };
}

/** An institution as the registry shows it; `unmasked`: the representatives' codes, by the disclosure rule (administrators, auditors). */
export function institutionView(state: InstitutionState, revision: string | null, unmasked: boolean) {
  const code = (c: string) => (unmasked ? c : maskPersonalCode(c));
  return {
    registrationNumber: state.registrationNumber,
    status: state.status,
    ...state.details,
    representatives: state.representatives.map(code),
    statusReason: state.statusReason,
    deletionDue: state.deletionDue,
    mergedInto: state.mergedInto,
    mergeEffectiveDate: state.mergeEffectiveDate,
    openCampaign: state.recertification,
    revision,
  };
}

/** A campaign with its progress; `unmasked`: the users' codes, by the disclosure rule (the institution's representatives, auditors). */
export function campaignView(state: RecertificationState, revision: string | null, unmasked: boolean) {
  const code = (c: string) => (unmasked ? c : maskPersonalCode(c));
  return {
    campaignId: state.campaignId,
    institution: state.institution,
    status: state.status,
    deadline: state.deadline,
    progress: campaignProgress(state),
    users: state.holders.map((h) => ({ personalCode: code(h.personalCode), decision: state.decisions[h.personalCode] ?? 'unmarked', applications: h.applications })),
    ended: state.ended.map((h) => ({ personalCode: code(h.personalCode), applications: h.applications })),
    openedAt: state.openedAt,
    closedAt: state.closedAt,
    revision,
  };
}

/** The registry as a forest: each resort head with its subordinates. */
export function hierarchyView(states: InstitutionState[]) {
  const living = states.filter((s) => s.details && s.status !== 'deleted');
  const row = (s: InstitutionState) => ({ registrationNumber: s.registrationNumber, officialName: s.details?.officialName, type: s.details?.type, status: s.status });
  return living
    .filter((s) => s.details?.resortHead === s.registrationNumber || !living.some((h) => h.registrationNumber === s.details?.resortHead))
    .map((head) => ({ ...row(head), subordinates: living.filter((s) => s !== head && s.details?.resortHead === head.registrationNumber).map(row) }));
}
