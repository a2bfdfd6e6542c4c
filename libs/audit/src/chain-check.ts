/** The per-stream hash chain, with each break named in words an auditor acts on. */
import { verifyStream, type ChainProblem, type RecordedEvent } from '@atlauja/event-store';
import type { Finding } from './findings';

const NAMED: Record<ChainProblem, { code: string; message: string }> = {
  'hash-mismatch': { code: 'HASH_MISMATCH', message: "the event's content is not what was written: its hash no longer matches" },
  'chain-broken': { code: 'CHAIN_BROKEN', message: "prevHash is not the previous event's hash: an event before it was removed, inserted or reordered" },
  'revision-gap': { code: 'REVISION_GAP', message: 'the revisions are not consecutive: an event is missing before this one' },
  'wrong-stream': { code: 'WRONG_STREAM', message: 'the event belongs to another stream' },
  'id-mismatch': { code: 'EVENT_ID_MISMATCH', message: "the event's id is not the id its hashed metadata records: the id was changed after it was written" },
};

/** `head`, when known from a trusted copy (a bundle's manifest), also catches a removed last event. */
export function checkChain(stream: string, events: readonly RecordedEvent[], head?: { revision: string; hash: string }): Finding[] {
  const result = verifyStream([...events]);
  const findings: Finding[] = result.ok
    ? []
    : result.failures.map((failure) => ({
        kind: 'chain' as const,
        stream,
        revision: failure.revision.toString(),
        type: events.find((e) => e.revision === failure.revision)?.type,
        ...NAMED[failure.problem],
      }));
  if (head) {
    const last = events[events.length - 1];
    if (!last || last.revision.toString() !== head.revision || last.metadata.hash !== head.hash) {
      findings.push({
        kind: 'chain',
        code: 'HEAD_MISMATCH',
        stream,
        revision: last?.revision.toString(),
        message: `the stream ends at revision ${last?.revision ?? 'none'}, not at the recorded head ${head.revision}: events were removed from or added to its end`,
      });
    }
  }
  return findings;
}
