import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Principal } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { problem, ProblemError } from '../http/problem';
import { ApplicationStream, LoadedApplication } from './application-stream';
import { applicationView, ApplicationView, disclosureFor, type Disclosure, EventView, eventView } from './application-view';
import { readableDocumentAt, submission, Submission } from './submitted-document';

/** One application folded from its stream: consistent right after a command, no projection between. */
export class GetApplication {
  constructor(readonly applicationId: string, readonly principal: Principal) {}
}
export class GetApplicationEvents {
  constructor(readonly applicationId: string, readonly principal: Principal) {}
}
/** The document to sign, as the JSON view (the canonical JSON, base64) or as the readable PDF's bytes. */
export class GetDocumentToSign {
  constructor(readonly applicationId: string, readonly principal: Principal, readonly representation: 'json' | 'pdf' = 'json') {}
}

/** The application, for a caller admitted like a command's (token and registry), with what they may see of it. */
async function loadFor(stream: ApplicationStream, access: ReadAccess, applicationId: string, principal: Principal): Promise<LoadedApplication & { revision: bigint; disclosure: Disclosure }> {
  const { loaded, institutionEvents } = await stream.loadWithInstitution(applicationId);
  if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
  const { represents } = await access.admit(principal, 'application.read', loaded.state.institution, institutionEvents);
  return { ...(loaded as LoadedApplication & { revision: bigint }), disclosure: disclosureFor(principal, loaded.state, represents) };
}

@QueryHandler(GetApplication)
export class GetApplicationHandler implements IQueryHandler<GetApplication, ApplicationView> {
  constructor(private readonly stream: ApplicationStream, private readonly access: ReadAccess) {}
  async execute({ applicationId, principal }: GetApplication): Promise<ApplicationView> {
    const loaded = await loadFor(this.stream, this.access, applicationId, principal);
    return applicationView(loaded.state, loaded.revision, loaded.disclosure);
  }
}

@QueryHandler(GetApplicationEvents)
export class GetApplicationEventsHandler implements IQueryHandler<GetApplicationEvents, { revision: string; events: EventView[] }> {
  constructor(private readonly stream: ApplicationStream, private readonly access: ReadAccess) {}
  async execute({ applicationId, principal }: GetApplicationEvents) {
    const loaded = await loadFor(this.stream, this.access, applicationId, principal);
    return { revision: loaded.revision.toString(), events: loaded.events.map((e) => eventView(e, loaded.disclosure)) };
  }
}

export interface DocumentView {
  applicationId: string;
  revision: string;
  sha256: string;
  mediaType: 'application/json';
  /** The exact bytes of the canonical JSON, base64: what a `.p7s` signs. */
  contentBase64: string;
  /** A readable rendering for the signer's screen; not what is signed. */
  text?: string;
  /** The PDF to sign as a person does (EDOC or PAdES): `GET` this URL with `Accept: application/pdf`. Absent for submissions made before PDFs were served. */
  readable?: { mediaType: 'application/pdf'; sha256: string; fileName: string };
}

export interface ReadableDocumentView {
  bytes: Buffer;
  sha256: string;
  fileName: string;
}

/** The submission of an application the principal may sign; 409 before it is submitted. */
async function submissionFor(stream: ApplicationStream, access: ReadAccess, applicationId: string, principal: Principal): Promise<{ loaded: LoadedApplication & { revision: bigint }; submitted: Submission }> {
  const { loaded, institutionEvents } = await stream.loadWithInstitution(applicationId);
  if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
  // The document is the representative's to sign: the same rule as signing, the registry's included
  // (a stricter rule than reading, so it is the only one asked).
  await access.admit(principal, 'application.sign', loaded.state.institution, institutionEvents);
  const submitted = submission(applicationId, loaded.state, loaded.events);
  if (!submitted) throw new ProblemError(problem(409, 'Not submitted', { code: 'NOT_SUBMITTED', detail: 'the document to sign exists once the application is submitted' }));
  return { loaded: loaded as LoadedApplication & { revision: bigint }, submitted };
}

const fileNameOf = (applicationId: string) => `pieteikums-${applicationId}.pdf`;

@QueryHandler(GetDocumentToSign)
export class GetDocumentToSignHandler implements IQueryHandler<GetDocumentToSign, DocumentView | ReadableDocumentView> {
  constructor(private readonly stream: ApplicationStream, private readonly access: ReadAccess) {}
  async execute({ applicationId, principal, representation }: GetDocumentToSign): Promise<DocumentView | ReadableDocumentView> {
    const { loaded, submitted } = await submissionFor(this.stream, this.access, applicationId, principal);
    if (representation === 'pdf') return readablePdf(applicationId, loaded, submitted);
    const document = submitted.json;
    return {
      applicationId,
      revision: loaded.revision.toString(),
      sha256: document.sha256,
      mediaType: document.mediaType,
      contentBase64: document.bytes.toString('base64'),
      text: document.text,
      ...(submitted.pdfSha256 ? { readable: { mediaType: 'application/pdf' as const, sha256: submitted.pdfSha256, fileName: fileNameOf(applicationId) } } : {}),
    };
  }
}

async function readablePdf(applicationId: string, loaded: LoadedApplication, submitted: Submission): Promise<ReadableDocumentView> {
  if (!submitted.pdfSha256) {
    throw new ProblemError(
      problem(406, 'No readable document', { code: 'NO_READABLE_DOCUMENT', detail: 'this application was submitted before PDFs were served: sign the canonical JSON (Accept: application/json) as a .p7s' }),
    );
  }
  const pdf = await readableDocumentAt(applicationId, loaded.state, submitted.revision, submitted.submittedAt);
  if (pdf.sha256 !== submitted.pdfSha256) {
    // The renderer no longer gives the bytes the submission fixed: serving them would ask for a signature no one can verify.
    throw new ProblemError(problem(500, 'Document not reproducible', { code: 'DOCUMENT_NOT_REPRODUCIBLE', detail: 'the PDF rendered now differs from the one fixed at submission' }));
  }
  return { bytes: pdf.bytes, sha256: pdf.sha256, fileName: fileNameOf(applicationId) };
}
