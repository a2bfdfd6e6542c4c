import { Inject, Injectable, Optional } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Actor, ActorRole, decide, tryNormalizePersonalCode } from '@atlauja/domain';
import { authorize, Forbidden, POLICY, Principal } from '@atlauja/auth';
import { WrongExpectedRevision } from '@atlauja/event-store';
import { problem, ProblemError } from '../http/problem';
import { INSTITUTION_DIRECTORY, InstitutionDirectory } from '../institutions/institution-directory';
import { APPLICATION_GATE, ApplicationGate } from '../institutions/application-gate';
import { rigaInstant } from '../store/riga-time';
import { Clock, CLOCK } from '../store/tokens';
import { ApplicationStream } from './application-stream';
import { CommandInput, CommandName, COMMANDS } from './command-entries';
import { SignatureVerifier } from './signature-verifier';

export interface CommandOptions {
  /** The revision the caller last saw (If-Match); a stale one is refused with 412. */
  ifMatch?: bigint;
  correlationId: string;
}

export interface CommandOutcome {
  applicationId: string;
  /** The stream's revision after the command (the new ETag). */
  revision: bigint;
  /** The global position of the last event appended: pass it as minPosition to read your write. */
  position: bigint;
  /** Normalization notices (e.g. VIEW beside another group dropped). */
  warnings: { code: string; field: string; message: string }[];
}

/** Dispatched on the CommandBus; one class for all application commands, told apart by `name`. */
export class ExecuteApplicationCommand<N extends CommandName = CommandName> {
  constructor(
    readonly name: N,
    readonly applicationId: string,
    readonly input: CommandInput<N>,
    readonly principal: Principal,
    readonly options: CommandOptions,
  ) {}
}

/** People act under their personal code; the domain compares ids as strings, so only the normalized form. */
function actorOf(principal: Principal, roles: readonly ActorRole[]): Actor {
  const id = tryNormalizePersonalCode(principal.subject);
  if (!id) throw new Forbidden('SUBJECT_NOT_A_PERSON', 'the token subject is not a personal code; only people act on applications');
  const role = principal.roles.find((r) => roles.includes(r));
  return { id, role: role ?? principal.roles[0] };
}

/**
 * The way of every application command: authorize -> read the stream -> fold -> the machine
 * guards and decide (the domain) -> append with the expected revision. Nothing is published here:
 * the store is the only source of truth, and the projections read it.
 */
@Injectable()
@CommandHandler(ExecuteApplicationCommand)
export class ApplicationCommandPipeline implements ICommandHandler<ExecuteApplicationCommand, CommandOutcome> {
  constructor(
    private readonly stream: ApplicationStream,
    private readonly signatures: SignatureVerifier,
    @Inject(INSTITUTION_DIRECTORY) private readonly institutions: InstitutionDirectory,
    @Inject(CLOCK) private readonly clock: Clock,
    // Issue 9 (apps/api/src/institutions): the registry's word on top of the token; absent in a pipeline built without the registry.
    @Optional() @Inject(APPLICATION_GATE) private readonly gate?: ApplicationGate,
  ) {}

  async execute({ name, applicationId, input, principal, options }: ExecuteApplicationCommand): Promise<CommandOutcome> {
    const entry = COMMANDS[name];
    // A stream-starting command (draft) runs on a fresh server-made id: its stream cannot exist yet, so
    // it is not read (two statements on an embedded store); the append with 'no-stream' stays the guard.
    const loaded = entry.startsStream ? this.stream.empty() : await this.stream.load(applicationId);
    if (!entry.startsStream && loaded.revision === 'no-stream') throw new ProblemError(problem(404, 'Application not found'));

    const institution = entry.startsStream ? (input as { institution: string }).institution : (loaded.state.institution ?? undefined);
    authorize(principal, entry.capability, { institution });
    // Issue 9: a representative listed in the registry (403), no open re-certification but the representative's (423), drafting only for an active institution (422).
    await this.gate?.admit({ capability: entry.capability, startsStream: entry.startsStream, institution, principal });

    if (options.ifMatch !== undefined && options.ifMatch !== loaded.revision) {
      throw new ProblemError(
        problem(412, 'Precondition failed', { code: 'STALE_REVISION', detail: `If-Match names revision ${options.ifMatch}; the application is at ${String(loaded.revision)}` }),
      );
    }

    const now = this.clock.now();
    const at = rigaInstant(now);
    const actor = actorOf(principal, POLICY[entry.capability].roles);
    const nextRevision = loaded.revision === 'no-stream' ? 0n : loaded.revision + 1n;
    const command = await (entry.build as (i: unknown, c: unknown) => ReturnType<typeof entry.build>)(input, {
      applicationId,
      actor,
      at,
      now,
      state: loaded.state,
      events: loaded.events,
      nextRevision,
      institutions: this.institutions,
      signatures: this.signatures,
    });
    const events = decide(command, loaded.state);
    const result = await this.stream.append(applicationId, events, loaded.revision, { actor: actor.id, correlationId: options.correlationId, occurredAt: at }).catch((error: unknown) => {
      if (entry.startsStream && error instanceof WrongExpectedRevision) throw new ProblemError(problem(409, 'Application exists', { code: 'APPLICATION_EXISTS' }));
      throw error;
    });
    const warnings = events.flatMap((e) => (e.type === 'RightsSet' ? e.data.warnings.map((w) => ({ ...w })) : []));
    return { applicationId, revision: result.nextExpectedRevision, position: result.position, warnings };
  }
}
