/**
 * The one command handler on the CommandBus: any declared entry of any stream type, for a person
 * calling over HTTP. It authorizes with the policy table, asks the registry's gate, runs the entry
 * through the command handler (read, fold, decide, append with the expected revision and the
 * idempotency record), and carries out the consequences of what it recorded (a merge's ended
 * rights, a lock's campaign) so the reply can name them; the worker carries them out as well, so a
 * crash between the append and its consequences loses nothing.
 */
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { authorize, POLICY, type Principal } from '@atlauja/auth';
import type { CommandOutcome, IdempotencyRecord, Loaded, StreamsRead } from '@atlauja/command-handler';
import { reactToOutcome, runEntry, type CommandEntry, type ReactionReport, type RegistryPorts } from '@atlauja/commands';
import { APPLICATION_STREAM, institutionStream, type ApplicationState, type RecertificationState } from '@atlauja/domain';
import type { EventStore } from '@atlauja/event-store';
import { ApplicationStream } from '../applications/application-stream';
import { institutionOfApplication, type ApplicationPorts } from '../applications/command-entries';
import { SignatureVerifier } from '../applications/signature-verifier';
import { INSTITUTION_DIRECTORY, type InstitutionDirectory } from '../institutions/institution-directory';
import { RegistryGate } from '../institutions/registry-gate';
import { RegistryWrites } from '../institutions/registry-writes';
import { rigaInstant } from '../store/riga-time';
import { CLOCK, EVENT_STORE, type Clock } from '../store/tokens';
import { actorOf } from './actor';
import { ApiReactionPorts } from './reaction-ports';

export type AnyEntry = CommandEntry<any, any, any, any, any>;

export interface HttpCommandOptions {
  /** If-Match: the revision the caller last saw. */
  ifMatch?: bigint;
  correlationId: string;
  idempotency?: IdempotencyRecord;
}

export class RunCommand {
  constructor(
    readonly entry: AnyEntry,
    /** The stream's id: an application id, a registration number, a campaign id. */
    readonly id: string,
    readonly input: unknown,
    readonly principal: Principal,
    readonly options: HttpCommandOptions,
  ) {}
}

export interface RunResult extends CommandOutcome<unknown, { type: string; data: unknown }> {
  readonly id: string;
  /** What the consequences of the recorded events did (empty when they had none). */
  readonly reactions: ReactionReport[];
}

@CommandHandler(RunCommand)
export class CommandRunner implements ICommandHandler<RunCommand, RunResult> {
  private readonly logger = new Logger('commands');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(INSTITUTION_DIRECTORY) private readonly institutions: InstitutionDirectory,
    private readonly signatures: SignatureVerifier,
    private readonly gate: RegistryGate,
    private readonly reactionPorts: ApiReactionPorts,
    private readonly registryWrites: RegistryWrites,
    private readonly applications: ApplicationStream,
  ) {}

  async execute({ entry, id, input, principal, options }: RunCommand): Promise<RunResult> {
    const capability = entry.capability;
    if (!capability) throw new TypeError(`the entry for ${entry.stream.type} has no capability: a process's command does not run over HTTP`);
    const now = this.clock.now();
    // What any entry may read besides its stream: the registry's facts, the verifier, other streams, the holders.
    const ports: ApplicationPorts & RegistryPorts = {
      institutions: this.institutions,
      signatures: this.signatures,
      store: this.store,
      pseudonyms: this.reactionPorts.pseudonyms,
      holdersAt: (registrationNumber, asOf) => this.reactionPorts.holdersAt(registrationNumber, asOf),
    };
    const outcome = await runEntry(this.store, entry, id, input, {
      actor: actorOf(principal, POLICY[capability].roles, 'service' in POLICY[capability] && POLICY[capability].service === true),
      now,
      at: rigaInstant(now),
      correlationId: options.correlationId,
      ...(options.idempotency && { idempotency: options.idempotency }),
      ...(options.ifMatch !== undefined && { ifMatch: options.ifMatch }),
      readAlso: this.institutionToRead(entry, id, input),
      admit: (loaded: Loaded<unknown>, also: StreamsRead) => this.admit(entry, id, input, loaded, also, principal),
    }, ports);
    if (entry.stream.type === 'application') this.applications.remember(id, outcome.state as ApplicationState);
    // The registry's read model answers the rules' facts: this process reads its own registry writes.
    if (entry.stream.type === 'institution' || entry.stream.type === 'recertification') this.registryWrites.recorded(outcome.position);
    const reactions = await reactToOutcome(outcome, this.reactionPorts, (event, error) =>
      this.logger.warn(`the consequences of ${event.type} at ${event.stream}@${event.revision} are left to the worker: ${error.message}`),
    );
    return { ...outcome, id, reactions };
  }

  /**
   * The institution's stream, read with the application's in one statement when the institution is
   * known before the read: named by a draft, or remembered from an earlier read of the application.
   */
  private institutionToRead(entry: AnyEntry, id: string, input: unknown): string[] {
    if (entry.stream.type !== 'application') return [];
    const institution = entry.expect === 'new' ? institutionOfApplication(input, APPLICATION_STREAM.decider.initialState) : this.applications.institutionOf(id);
    return institution === undefined ? [] : [institutionStream(institution)];
  }

  /** The policy table, then the registry's word, for the institution the command concerns. */
  private async admit(entry: AnyEntry, id: string, input: unknown, loaded: Loaded<unknown>, also: StreamsRead, principal: Principal): Promise<void> {
    const capability = entry.capability!;
    switch (entry.stream.type) {
      case 'application': {
        const institution = institutionOfApplication(input, loaded.state as ApplicationState);
        this.applications.remember(id, loaded.state as ApplicationState);
        authorize(principal, capability, { institution });
        return this.gate.admitApplication(capability, institution, principal, institution === undefined ? undefined : also.get(institutionStream(institution)));
      }
      case 'recertification': {
        const institution = (loaded.state as RecertificationState).institution ?? undefined;
        authorize(principal, capability, { institution });
        if (institution !== undefined && capability === 'campaign.work') await this.gate.admitRepresentative(institution, principal);
        return;
      }
      default:
        return authorize(principal, capability, { institution: id });
    }
  }
}
