import { loadStream } from '@atlauja/command-handler';
import { APPLICATION_STREAM, applicationStream, type ApplicationCommand, type ApplicationEvent, type ApplicationState, type RightsScopeInput } from '@atlauja/domain';
import { GRANT_COMMANDS, grantFactOf, grantStreamOf, replacedFactOf, runEntry, type CommandEntry, type EntryContext, type Pseudonyms } from '@atlauja/commands';
import type { EventStore } from '@atlauja/event-store';
import { problem, ProblemError } from '../http/problem';
import { InstitutionDirectory } from '../institutions/institution-directory';
import { DraftApplicationDto, EditDraftDto } from './dto/draft-application.dto';
import { OptionalReasonDto, ReasonDto, RevokeDto } from './dto/decisions.dto';
import { SetRightsDto } from './dto/rights.dto';
import { SignatureVerifier } from './signature-verifier';
import { SignatureFormat } from '@atlauja/signatures';
import { documentAt, documentsToVerify, readableDocumentAt, submission } from './submitted-document';

/** What the application entries read besides their stream. */
export interface ApplicationPorts {
  institutions: InstitutionDirectory;
  signatures: SignatureVerifier;
  /** To read the user's grant and the application a change names, and to reserve the grant at approval. */
  store: EventStore;
  pseudonyms: Pseudonyms;
}

type Context = EntryContext<ApplicationState>;

/**
 * One declared entry per command of a person on an application: which capability it needs,
 * whether it starts the stream, and how the request becomes a domain command. The rest of the way
 * (authorize, read, fold, machine, decide, append) is the command handler's and the same for all.
 */
export type ApplicationEntry<Input> = CommandEntry<Input, ApplicationState, ApplicationCommand, ApplicationEvent, ApplicationPorts> & {
  readonly capability: NonNullable<CommandEntry<Input, ApplicationState, ApplicationCommand, ApplicationEvent, ApplicationPorts>['capability']>;
};

/** A signed object as uploaded: a `.p7s`, a signed PDF or an EDOC, and the format its content type named. */
export interface SignatureUpload {
  signed: Buffer;
  format?: SignatureFormat;
}

const base = (c: Context) => ({ applicationId: c.id, actor: c.actor, at: c.at });

/** Every institution a set of scopes names, plus the applying one. */
function institutionsNamed(applying: string | null, rights: readonly RightsScopeInput[]): string[] {
  const named = rights.map((scope) => (scope.kind === 'institution' ? scope.institution : scope.resort));
  return [...new Set([...(applying ? [applying] : []), ...named])];
}

export const COMMANDS = {
  draft: {
    stream: APPLICATION_STREAM,
    capability: 'application.draft',
    expect: 'new',
    // The user's grant, read with the institution's stream in one call.
    readAlso: (input: DraftApplicationDto, ports: ApplicationPorts) => [grantStreamOf(ports.pseudonyms, input.institution, input.user.personalCode)].filter((s) => s !== undefined),
    build: async (input: DraftApplicationDto, c: Context, ports: ApplicationPorts): Promise<ApplicationCommand> => ({
      type: 'DraftApplication',
      ...base(c),
      kind: input.kind,
      institution: input.institution,
      user: input.user,
      term: input.term.kind === 'until' ? { kind: 'until', date: input.term.date! } : { kind: 'after-last-login', months: 18 },
      justification: input.justification,
      ...(input.replaces ? { replaces: input.replaces } : {}),
      facts: await ports.institutions.facts([input.institution]),
      // One grant in force per user per institution: what the grant's and the named application's streams say now.
      grant: await grantFactOf(ports.store, ports.pseudonyms, input.institution, input.user.personalCode, c.also),
      ...(input.replaces ? { replaced: await replacedFactOf(ports.store, input.replaces) } : {}),
    }),
  } satisfies ApplicationEntry<DraftApplicationDto>,

  edit: {
    stream: APPLICATION_STREAM,
    capability: 'application.edit',
    expect: 'existing',
    build: (input: EditDraftDto, c: Context): ApplicationCommand => ({
      type: 'EditDraft',
      ...base(c),
      ...(input.user ? { user: input.user } : {}),
      ...(input.term ? { term: input.term.kind === 'until' ? { kind: 'until', date: input.term.date! } : { kind: 'after-last-login', months: 18 } } : {}),
      ...(input.justification !== undefined ? { justification: input.justification } : {}),
    }),
  } satisfies ApplicationEntry<EditDraftDto>,

  setRights: {
    stream: APPLICATION_STREAM,
    capability: 'application.set-rights',
    expect: 'existing',
    build: async (input: SetRightsDto, c: Context, ports: ApplicationPorts): Promise<ApplicationCommand> => {
      const rights = input.rights.map((scope): RightsScopeInput =>
        scope.kind === 'institution'
          ? { kind: 'institution', institution: scope.institution!, groups: scope.groups }
          : { kind: 'resort', resort: scope.resort!, groups: scope.groups },
      );
      return { type: 'SetRights', ...base(c), rights, facts: await ports.institutions.facts(institutionsNamed(c.loaded.state.institution, rights)) };
    },
  } satisfies ApplicationEntry<SetRightsDto>,

  submit: {
    stream: APPLICATION_STREAM,
    capability: 'application.submit',
    expect: 'existing',
    build: async (_: unknown, c: Context, ports: ApplicationPorts): Promise<ApplicationCommand> => ({
      type: 'SubmitApplication',
      ...base(c),
      documentSha256: documentAt(c.id, c.loaded.state, c.nextRevision).sha256,
      // The readable PDF is fixed with the submission: rendered with its time, its hash recorded.
      pdfSha256: (await readableDocumentAt(c.id, c.loaded.state, c.nextRevision, c.at)).sha256,
      // Facts may have changed since the rights were set: the rules look again.
      facts: await ports.institutions.facts(institutionsNamed(c.loaded.state.institution, c.loaded.state.rights)),
    }),
  } satisfies ApplicationEntry<unknown>,

  sign: {
    stream: APPLICATION_STREAM,
    capability: 'application.sign',
    expect: 'existing',
    build: async (upload: SignatureUpload, c: Context, ports: ApplicationPorts): Promise<ApplicationCommand> => {
      const submitted = submission(c.id, c.loaded.state, c.loaded.events);
      if (!submitted || c.loaded.state.status !== 'submitted') {
        throw new ProblemError(problem(422, 'Not awaiting a signature', { code: 'TRANSITION_NOT_ALLOWED', detail: `the application is ${c.loaded.state.status}, not submitted` }));
      }
      const document = submitted.json;
      const verdict = await ports.signatures.verifyAndComplete(upload.signed, documentsToVerify(submitted), c.actor.id, c.now, upload.format);
      if (!verdict.valid) {
        // Nothing is appended: the representative gets every failed check and may sign again.
        throw new ProblemError(
          problem(422, 'Signature refused', { code: 'SIGNATURE_INVALID', detail: 'the signature failed one or more checks', failures: verdict.failures }),
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
  } satisfies ApplicationEntry<SignatureUpload>,

  withdraw: {
    stream: APPLICATION_STREAM,
    capability: 'application.withdraw',
    expect: 'existing',
    build: (input: OptionalReasonDto, c: Context): ApplicationCommand => ({ type: 'WithdrawApplication', ...base(c), ...(input.reason ? { reason: input.reason } : {}) }),
  } satisfies ApplicationEntry<OptionalReasonDto>,

  claim: {
    stream: APPLICATION_STREAM,
    capability: 'application.claim',
    expect: 'existing',
    build: (_: unknown, c: Context): ApplicationCommand => ({ type: 'ClaimApplication', ...base(c) }),
  } satisfies ApplicationEntry<unknown>,

  release: {
    stream: APPLICATION_STREAM,
    capability: 'application.release',
    expect: 'existing',
    build: (_: unknown, c: Context): ApplicationCommand => ({ type: 'ReleaseClaim', ...base(c) }),
  } satisfies ApplicationEntry<unknown>,

  approve: {
    stream: APPLICATION_STREAM,
    capability: 'application.approve',
    expect: 'existing',
    build: (_: unknown, c: Context): ApplicationCommand => ({ type: 'ApproveApplication', ...base(c) }),
    /**
     * The user's grant is reserved first, on its own stream with its expected revision: of two
     * approvals that would both put a grant in force (two new-user applications, two changes from
     * one grant), only one reserves it. A refused approval voids its reservation.
     */
    reserve: async (_: unknown, c: Context, ports: ApplicationPorts) => {
      const { institution, user, kind, replaces } = c.loaded.state;
      if (!institution || !user || !kind) return;
      const grantId = ports.pseudonyms.grantId(institution, user.personalCode);
      const options = { actor: c.actor, now: c.now, at: c.at, correlationId: c.correlationId };
      await runEntry(ports.store, GRANT_COMMANDS.reserve, grantId, { institution, applicationId: c.id, kind, ...(replaces !== null && { replaces }) }, options, undefined);
      return async () => {
        // Our own retry on another replica may have recorded the approval: never void what it will confirm.
        if ((await loadStream(ports.store, applicationStream(c.id), APPLICATION_STREAM.decider)).state.status === 'approved') return;
        await runEntry(ports.store, GRANT_COMMANDS.void, grantId, { applicationId: c.id, reason: 'the approval was not recorded' }, options, undefined);
      };
    },
  } satisfies ApplicationEntry<unknown>,

  reject: {
    stream: APPLICATION_STREAM,
    capability: 'application.reject',
    expect: 'existing',
    build: (input: ReasonDto, c: Context): ApplicationCommand => ({ type: 'RejectApplication', ...base(c), reason: input.reason }),
  } satisfies ApplicationEntry<ReasonDto>,

  revoke: {
    stream: APPLICATION_STREAM,
    capability: 'application.revoke',
    expect: 'existing',
    build: (input: RevokeDto, c: Context): ApplicationCommand => ({ type: 'RevokeApplication', ...base(c), reason: input.reason, confirmed: input.confirmed }),
  } satisfies ApplicationEntry<RevokeDto>,
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<N extends CommandName> = Parameters<(typeof COMMANDS)[N]['build']>[0];

/** The institution an application command concerns: the applying one when drafting, else the stream's. */
export function institutionOfApplication(input: unknown, state: ApplicationState): string | undefined {
  return state.institution ?? (input as { institution?: string } | null)?.institution;
}
