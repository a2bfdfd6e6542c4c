/**
 * The exact bytes a representative signed, rebuilt from the stream: the content as it stood at
 * submission, bound to the application's id and the submission's revision.
 *
 * The API builds the document to sign with this same function (apps/api/src/applications/submitted-document.ts),
 * so what is signed and what an auditor re-verifies cannot drift apart.
 */
import type { ApplicationState } from '@atlauja/domain';
import { documentToSign, type DocumentToSign } from '@atlauja/signatures';

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

/** `state`: folded up to (at least) the submission; content is frozen from there on. */
export function signedDocumentOf(applicationId: string, state: ApplicationState, submittedRevision: bigint): DocumentToSign {
  return documentToSign({ applicationId, revision: submittedRevision, content: submittedContent(state) });
}
