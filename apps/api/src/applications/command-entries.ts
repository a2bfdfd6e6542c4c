import { Actor, ApplicationCommand, ApplicationState, RightsScopeInput } from '@atlauja/domain';
import { Capability } from '@atlauja/auth';
import { RecordedEvent } from '@atlauja/event-store';
import { problem, ProblemError } from '../http/problem';
import { InstitutionDirectory } from '../institutions/institution-directory';
import { DraftApplicationDto, EditDraftDto } from './dto/draft-application.dto';
import { OptionalReasonDto, ReasonDto, RevokeDto } from './dto/decisions.dto';
import { SetRightsDto } from './dto/rights.dto';
import { SignatureVerifier } from './signature-verifier';
import { SignatureFormat } from '@atlauja/signatures';
import { documentAt, documentsToVerify, readableDocumentAt, submission } from './submitted-document';

/** What an entry may read to turn an HTTP input into a domain command. */
export interface BuildContext {
  applicationId: string;
  actor: Actor;
  at: string;
  now: Date;
  state: ApplicationState;
  events: RecordedEvent[];
  /** The revision the first new event will take. */
  nextRevision: bigint;
  institutions: InstitutionDirectory;
  signatures: SignatureVerifier;
}

/**
 * One declared entry per command (Eventuous style): which capability it needs, whether it starts
 * the stream, and how the request becomes a domain command. The rest of the way (authorize, read,
 * fold, machine, decide, append) is the pipeline's and the same for all.
 */
export interface CommandEntry<Input> {
  capability: Capability;
  startsStream: boolean;
  build(input: Input, context: BuildContext): ApplicationCommand | Promise<ApplicationCommand>;
}

/** A signed object as uploaded: a `.p7s`, a signed PDF or an EDOC, and the format its content type named. */
export interface SignatureUpload {
  signed: Buffer;
  format?: SignatureFormat;
}

const base = (c: BuildContext) => ({ applicationId: c.applicationId, actor: c.actor, at: c.at });

/** Every institution a set of scopes names, plus the applying one. */
function institutionsNamed(applying: string | null, rights: readonly RightsScopeInput[]): string[] {
  const named = rights.map((scope) => (scope.kind === 'institution' ? scope.institution : scope.resort));
  return [...new Set([...(applying ? [applying] : []), ...named])];
}

export const COMMANDS = {
  draft: {
    capability: 'application.draft',
    startsStream: true,
    build: async (input: DraftApplicationDto, c: BuildContext): Promise<ApplicationCommand> => ({
      type: 'DraftApplication',
      ...base(c),
      kind: input.kind,
      institution: input.institution,
      user: input.user,
      term: input.term.kind === 'until' ? { kind: 'until', date: input.term.date! } : { kind: 'after-last-login', months: 18 },
      justification: input.justification,
      ...(input.replaces ? { replaces: input.replaces } : {}),
      facts: await c.institutions.facts([input.institution]),
    }),
  } satisfies CommandEntry<DraftApplicationDto>,

  edit: {
    capability: 'application.edit',
    startsStream: false,
    build: (input: EditDraftDto, c: BuildContext): ApplicationCommand => ({
      type: 'EditDraft',
      ...base(c),
      ...(input.user ? { user: input.user } : {}),
      ...(input.term ? { term: input.term.kind === 'until' ? { kind: 'until', date: input.term.date! } : { kind: 'after-last-login', months: 18 } } : {}),
      ...(input.justification !== undefined ? { justification: input.justification } : {}),
    }),
  } satisfies CommandEntry<EditDraftDto>,

  setRights: {
    capability: 'application.set-rights',
    startsStream: false,
    build: async (input: SetRightsDto, c: BuildContext): Promise<ApplicationCommand> => {
      const rights = input.rights.map((scope): RightsScopeInput =>
        scope.kind === 'institution'
          ? { kind: 'institution', institution: scope.institution!, groups: scope.groups }
          : { kind: 'resort', resort: scope.resort!, groups: scope.groups },
      );
      return { type: 'SetRights', ...base(c), rights, facts: await c.institutions.facts(institutionsNamed(c.state.institution, rights)) };
    },
  } satisfies CommandEntry<SetRightsDto>,

  submit: {
    capability: 'application.submit',
    startsStream: false,
    build: async (_: unknown, c: BuildContext): Promise<ApplicationCommand> => ({
      type: 'SubmitApplication',
      ...base(c),
      documentSha256: documentAt(c.applicationId, c.state, c.nextRevision).sha256,
      // The readable PDF is fixed with the submission: rendered with its time, its hash recorded.
      pdfSha256: (await readableDocumentAt(c.applicationId, c.state, c.nextRevision, c.at)).sha256,
      // Facts may have changed since the rights were set: the rules look again.
      facts: await c.institutions.facts(institutionsNamed(c.state.institution, c.state.rights)),
    }),
  } satisfies CommandEntry<unknown>,

  sign: {
    capability: 'application.sign',
    startsStream: false,
    build: (upload: SignatureUpload, c: BuildContext): ApplicationCommand => {
      const submitted = submission(c.applicationId, c.state, c.events);
      if (!submitted || c.state.status !== 'submitted') {
        throw new ProblemError(problem(422, 'Not awaiting a signature', { code: 'TRANSITION_NOT_ALLOWED', detail: `the application is ${c.state.status}, not submitted` }));
      }
      const document = submitted.json;
      const verdict = c.signatures.verify(upload.signed, documentsToVerify(submitted), c.actor.id, c.now, upload.format);
      if (!verdict.valid) {
        // Nothing is appended: the representative gets every failed check and may sign again.
        throw new ProblemError(
          problem(422, 'Signature refused', { type: 'signature-refused', code: 'SIGNATURE_INVALID', detail: 'the signature failed one or more checks', failures: verdict.failures }),
        );
      }
      return {
        type: 'SignApplication',
        ...base(c),
        signature: {
          valid: true,
          documentSha256: document.sha256,
          signerPersonalCode: verdict.signer?.personalCode ?? '',
          signedAt: verdict.signedAt ?? c.at,
          evidence: { verdict: JSON.parse(JSON.stringify({ checks: verdict.checks, evidence: verdict.evidence })) },
        },
      };
    },
  } satisfies CommandEntry<SignatureUpload>,

  withdraw: {
    capability: 'application.withdraw',
    startsStream: false,
    build: (input: OptionalReasonDto, c: BuildContext): ApplicationCommand => ({ type: 'WithdrawApplication', ...base(c), ...(input.reason ? { reason: input.reason } : {}) }),
  } satisfies CommandEntry<OptionalReasonDto>,

  claim: {
    capability: 'application.claim',
    startsStream: false,
    build: (_: unknown, c: BuildContext): ApplicationCommand => ({ type: 'ClaimApplication', ...base(c) }),
  } satisfies CommandEntry<unknown>,

  release: {
    capability: 'application.release',
    startsStream: false,
    build: (_: unknown, c: BuildContext): ApplicationCommand => ({ type: 'ReleaseClaim', ...base(c) }),
  } satisfies CommandEntry<unknown>,

  approve: {
    capability: 'application.approve',
    startsStream: false,
    build: (_: unknown, c: BuildContext): ApplicationCommand => ({ type: 'ApproveApplication', ...base(c) }),
  } satisfies CommandEntry<unknown>,

  reject: {
    capability: 'application.reject',
    startsStream: false,
    build: (input: ReasonDto, c: BuildContext): ApplicationCommand => ({ type: 'RejectApplication', ...base(c), reason: input.reason }),
  } satisfies CommandEntry<ReasonDto>,

  revoke: {
    capability: 'application.revoke',
    startsStream: false,
    build: (input: RevokeDto, c: BuildContext): ApplicationCommand => ({ type: 'RevokeApplication', ...base(c), reason: input.reason, confirmed: input.confirmed }),
  } satisfies CommandEntry<RevokeDto>,
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<N extends CommandName> = Parameters<(typeof COMMANDS)[N]['build']>[0];
