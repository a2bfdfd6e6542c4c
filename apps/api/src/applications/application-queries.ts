import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Principal } from '@atlauja/auth';
import { ReadAccess } from '../auth/read-access';
import { problem, ProblemError } from '../http/problem';
import { ApplicationStream, LoadedApplication } from './application-stream';
import { applicationView, ApplicationView, disclosureFor, type Disclosure, EventView, eventView } from './application-view';
import { submittedDocument } from './submitted-document';

/** One application folded from its stream: consistent right after a command, no projection between. */
export class GetApplication {
  constructor(readonly applicationId: string, readonly principal: Principal) {}
}
export class GetApplicationEvents {
  constructor(readonly applicationId: string, readonly principal: Principal) {}
}
export class GetDocumentToSign {
  constructor(readonly applicationId: string, readonly principal: Principal) {}
}

/** The application, for a caller admitted like a command's (token and registry), with what they may see of it. */
async function loadFor(stream: ApplicationStream, access: ReadAccess, applicationId: string, principal: Principal): Promise<LoadedApplication & { revision: bigint; disclosure: Disclosure }> {
  const loaded = await stream.load(applicationId);
  if (loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));
  const { represents } = await access.admit(principal, 'application.read', loaded.state.institution);
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
  /** The exact bytes to sign, base64. */
  contentBase64: string;
  /** A readable rendering for the signer's screen; not what is signed. */
  text?: string;
}

@QueryHandler(GetDocumentToSign)
export class GetDocumentToSignHandler implements IQueryHandler<GetDocumentToSign, DocumentView> {
  constructor(private readonly stream: ApplicationStream, private readonly access: ReadAccess) {}
  async execute({ applicationId, principal }: GetDocumentToSign): Promise<DocumentView> {
    const loaded = await loadFor(this.stream, this.access, applicationId, principal);
    // The document is the representative's to sign: the same rule as signing, the registry's included.
    await this.access.admit(principal, 'application.sign', loaded.state.institution);
    const document = submittedDocument(applicationId, loaded.state, loaded.events);
    if (!document) throw new ProblemError(problem(409, 'Not submitted', { code: 'NOT_SUBMITTED', detail: 'the document to sign exists once the application is submitted' }));
    return {
      applicationId,
      revision: loaded.revision.toString(),
      sha256: document.sha256,
      mediaType: document.mediaType,
      contentBase64: document.bytes.toString('base64'),
      text: document.text,
    };
  }
}
