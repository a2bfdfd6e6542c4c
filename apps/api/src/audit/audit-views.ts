/** What the auditor's endpoints return: everything unmasked, the machine's and the chain's verdicts beside the record. */
import type { Finding, Reverification, StoredSignature, StreamAudit } from '@atlauja/audit';
import { actorIdOf, toApplicationEvent } from '@atlauja/audit';
import type { RecordedEvent } from '@atlauja/event-store';
import type { Principal } from '@atlauja/auth';
import { parseStreamName } from '@atlauja/domain';
import { disclosureFor, eventView, type EventView } from '../applications/application-view';

export interface WhoWhen {
  revision: string;
  type: string;
  /** The person (personal code, unmasked for auditors) or process that acted. */
  actor: string;
  at: string;
}

/** One stream's record: every event, who acted when, and what the audit found. */
export interface StreamHistory {
  stream: string;
  /** The stream's type: application, institution, recertification, grant... */
  type: string;
  /** The stream's last revision. */
  revision: string;
  events: EventView[];
  who: WhoWhen[];
  /** Chain breaks, unreadable times and transitions the machine would not allow; empty when the record is intact and lawful. */
  findings: Finding[];
}

export interface ApplicationHistory extends StreamHistory {
  applicationId: string;
}

export function historyView(events: RecordedEvent[], audit: StreamAudit, principal: Principal): StreamHistory {
  const disclosure = disclosureFor(principal, null, false);
  return {
    stream: audit.stream,
    type: parseStreamName(audit.stream)?.type ?? 'unknown',
    revision: events[events.length - 1].revision.toString(),
    events: events.map((event) => eventView(event, disclosure)),
    who: events.map((event) => ({
      revision: event.revision.toString(),
      type: event.type,
      actor: actorOf(event),
      at: event.metadata.occurredAt,
    })),
    findings: audit.findings.filter((f) => f.kind !== 'signature'),
  };
}

function actorOf(event: RecordedEvent): string {
  try {
    return actorIdOf(toApplicationEvent(event)) ?? event.metadata.actor;
  } catch {
    return event.metadata.actor;
  }
}

export interface SignatureView {
  revision: string;
  signedBy: string;
  signedAt: string;
  acceptedAt: string;
  documentSha256: string;
  /** The checks as they stood when the service accepted the signature. */
  stored: { checks: unknown; evidence: unknown };
  /** Re-verified now from the evidence, as of its checkedAt, with the anchors and CRLs of that day. */
  reverified: { valid: boolean; failures: readonly string[]; checks: Reverification['checks']; crlsMissing: readonly string[] };
}

export function signatureView(signature: StoredSignature, reverification: Reverification): SignatureView {
  return {
    revision: signature.revision.toString(),
    signedBy: signature.signedBy,
    signedAt: signature.signedAt,
    acceptedAt: signature.acceptedAt,
    documentSha256: signature.documentSha256,
    stored: { checks: signature.storedChecks, evidence: signature.evidence },
    reverified: { valid: reverification.valid, failures: reverification.failures, checks: reverification.checks, crlsMissing: reverification.crlsMissing },
  };
}
