/**
 * A command declared once (Eventuous style): which stream type it runs on, whether it starts the
 * stream, whether a lost race may be decided again, and how its input becomes the domain command.
 * Every entry of every stream type (people's, processes', the import's, the demo's) runs through
 * `runEntry`, which is the command handler with the entry's declarations filled in.
 */
import { handleCommand, type CommandOutcome, type IdempotencyRecord, type Loaded, type StreamExpectation, type StreamsRead } from '@atlauja/command-handler';
import { streamName, type Actor, type StreamDefinition } from '@atlauja/domain';
import type { Capability } from '@atlauja/auth';
import type { EventStore } from '@atlauja/event-store';

type AnyEvent = { readonly type: string; readonly data: object };

/** What an entry reads to build its command. */
export interface EntryContext<State> {
  /** The stream's id (application id, registration number, campaign id, grant id). */
  readonly id: string;
  readonly actor: Actor;
  /** The command's time, a Riga instant with its offset. */
  readonly at: string;
  readonly now: Date;
  readonly loaded: Loaded<State>;
  /** The other streams read with the command's own (the entry's `readAlso`, the admission's). */
  readonly also: StreamsRead;
  /** The revision the first new event will take. */
  readonly nextRevision: bigint;
  readonly correlationId: string;
}

export interface CommandEntry<Input, State, Command extends { readonly type: string }, Event extends AnyEvent, Ports = unknown> {
  readonly stream: StreamDefinition<State, Command, Event>;
  readonly expect: StreamExpectation;
  /** People's commands name the policy's capability; a process's command has none. */
  readonly capability?: Capability;
  /** How often a lost race is decided again: only for commands whose decision does not depend on what the caller saw. */
  readonly retries?: number;
  /** Streams `build` reads that the input alone names: read with the command's own stream, in one call. */
  readAlso?(input: Input, ports: Ports): readonly string[];
  build(input: Input, context: EntryContext<State>, ports: Ports): Command | Promise<Command>;
  /**
   * A step on another stream the command needs before its own append (an approval reserves the
   * user's grant); returns its undo, run when the append is refused.
   */
  reserve?(input: Input, context: EntryContext<State>, ports: Ports): Promise<(() => Promise<void>) | void>;
}

export interface RunOptions<State> {
  readonly actor: Actor;
  readonly now: Date;
  /** `now` as a Riga instant (the caller's calendar). */
  readonly at: string;
  readonly correlationId: string;
  /** The event this command reacts to, when a process runs it. */
  readonly causationId?: string;
  readonly idempotency?: IdempotencyRecord;
  readonly ifMatch?: bigint;
  /** Streams `admit` needs besides the command's own, read with it in one call. */
  readonly readAlso?: readonly string[];
  /** Authorization and gates that read the stream: asked after the read, before anything is decided or replayed. */
  admit?(loaded: Loaded<State>, also: StreamsRead): void | Promise<void>;
  /** Decide only, append nothing. */
  readonly dryRun?: boolean;
}

export function runEntry<Input, State, Command extends { readonly type: string }, Event extends AnyEvent, Ports>(
  store: EventStore,
  entry: CommandEntry<Input, State, Command, Event, Ports>,
  id: string,
  input: Input,
  options: RunOptions<State>,
  ports: Ports,
): Promise<CommandOutcome<State, Event>> {
  const context = (loaded: Loaded<State>, also: StreamsRead): EntryContext<State> => ({
    id, actor: options.actor, at: options.at, now: options.now, loaded, also, nextRevision: loaded.revision === 'no-stream' ? 0n : loaded.revision + 1n, correlationId: options.correlationId,
  });
  return handleCommand(store, {
    decider: entry.stream.decider,
    stream: streamName(entry.stream.type, id),
    expect: entry.expect,
    retries: entry.retries,
    ifMatch: options.ifMatch,
    readAlso: [...(options.readAlso ?? []), ...(entry.readAlso?.(input, ports) ?? [])],
    admit: options.admit,
    dryRun: options.dryRun,
    metadata: {
      actor: options.actor,
      correlationId: options.correlationId,
      ...(options.causationId !== undefined && { causationId: options.causationId }),
      occurredAt: options.at,
      ...(options.idempotency && { idempotency: options.idempotency }),
    },
    command: (loaded, also) => entry.build(input, context(loaded, also), ports),
    ...(entry.reserve && { prepare: (loaded: Loaded<State>, _events: readonly Event[], also: StreamsRead) => entry.reserve!(input, context(loaded, also), ports) }),
  });
}
