import { ApplicationState } from '@atlauja/domain';
import { RecordedEvent } from '@atlauja/event-store';
import { DocumentToSign } from '@atlauja/signatures';
import { signedDocumentOf } from '@atlauja/audit';

/**
 * The document of a submission that will be appended at `revision`. The rendering is the audit
 * library's, so what the representative signs and what an auditor re-verifies are one function.
 */
export function documentAt(applicationId: string, state: ApplicationState, revision: bigint): DocumentToSign {
  return signedDocumentOf(applicationId, state, revision);
}

/**
 * The fixed document of a submitted application, rebuilt from its stream: content is frozen from
 * the submission on, so folding up to now gives the same content as at submission.
 */
export function submittedDocument(applicationId: string, state: ApplicationState, events: RecordedEvent[]): DocumentToSign | undefined {
  const submitted = [...events].reverse().find((e) => e.type === 'ApplicationSubmitted');
  return submitted ? documentAt(applicationId, state, submitted.revision) : undefined;
}
