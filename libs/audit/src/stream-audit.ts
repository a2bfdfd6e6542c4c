/** Everything an auditor checks on one stream: its chain, its transitions, its signatures. */
import type { RecordedEvent } from '@atlauja/event-store';
import { isApplicationStream } from './application-events';
import { checkChain } from './chain-check';
import { checkTimes } from './time-check';
import type { Finding } from './findings';
import { reverify, signatureFindings, storedSignaturesOf, type Reverification, type StoredSignature } from './signature-check';
import { checkTransitions } from './transition-check';
import type { TrustHistory } from './trust-history';
import { applicationUpcasting, type Upcasting } from './upcasting';

export interface StreamAudit {
  readonly stream: string;
  readonly events: number;
  readonly signatures: readonly { readonly signature: StoredSignature; readonly reverification: Reverification }[];
  readonly findings: readonly Finding[];
}

export interface StreamAuditOptions {
  readonly trust: TrustHistory;
  readonly upcasting?: Upcasting;
  /** A trusted copy of the stream's head (a bundle's manifest): catches a removed last event. */
  readonly head?: { revision: string; hash: string };
}

/**
 * Every stream gets the chain check and the check of its times; every stream the domain decides (applications, institutions,
 * campaigns) its machine's replay; applications also their signatures.
 */
export function auditStream(stream: string, events: readonly RecordedEvent[], options: StreamAuditOptions): StreamAudit {
  const upcasting = options.upcasting ?? applicationUpcasting;
  const findings: Finding[] = checkChain(stream, events, options.head);
  findings.push(...checkTimes(stream, events));
  findings.push(...checkTransitions(stream, events, upcasting));
  if (!isApplicationStream(stream)) return { stream, events: events.length, signatures: [], findings };
  const signatures = storedSignaturesOf(stream, events, upcasting).map((signature) => ({ signature, reverification: reverify(signature, options.trust) }));
  for (const { signature, reverification } of signatures) findings.push(...signatureFindings(signature, reverification));
  return { stream, events: events.length, signatures, findings };
}
