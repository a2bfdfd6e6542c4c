import { ApplicationState } from '@atlauja/domain';
import { RecordedEvent } from '@atlauja/event-store';
import { documentToSign, DocumentToSign } from '@atlauja/signatures';

/** What the representative signs: the content as it stands at submission. */
export function submittedContent(state: ApplicationState): Record<string, unknown> {
  return {
    kind: state.kind,
    institution: state.institution,
    user: state.user,
    term: state.term,
    rights: state.rights,
    justification: state.justification,
    ...(state.replaces ? { replaces: state.replaces } : {}),
  };
}

/** The document of a submission that will be appended at `revision`. */
export function documentAt(applicationId: string, state: ApplicationState, revision: bigint): DocumentToSign {
  return documentToSign({ applicationId, revision, content: submittedContent(state) });
}

/**
 * The fixed document of a submitted application, rebuilt from its stream: content is frozen from
 * the submission on, so folding up to now gives the same content as at submission.
 */
export function submittedDocument(applicationId: string, state: ApplicationState, events: RecordedEvent[]): DocumentToSign | undefined {
  const submitted = [...events].reverse().find((e) => e.type === 'ApplicationSubmitted');
  if (!submitted) return undefined;
  return documentAt(applicationId, state, submitted.revision);
}
