/**
 * The one way to run a command of any stream type: read the stream, fold it with the decider,
 * admit (authorization and gates that need the state), decide, and append with the expected
 * revision, carrying the idempotency record in the same append. A lost race is decided again only
 * where the caller says the command is safe to re-decide; otherwise it is a conflict.
 */
import { schemaVersionOf, type Actor, type Decider } from '@atlauja/domain';
import { WrongExpectedRevision, type EventStore, type NewEvent, type RecordedEvent } from '@atlauja/event-store';
import { ConcurrentChange, StaleRevision, StreamExists, StreamNotFound } from './errors';
import { recordedUnder, uuidFrom, type IdempotencyRecord } from './idempotency';

type AnyEvent = { readonly type: string; readonly data: unknown };

/** A stream read and folded. */
export interface Loaded<State> {
  state: State;
  /** The revision of the last event, or 'no-stream'. */
  revision: bigint | 'no-stream';
  events: readonly RecordedEvent[];
}

/** Who caused the command, why and when. */
export interface CommandMetadata {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId?: string;
  /** The command's time (ISO with offset); the store never reads a clock. */
  readonly occurredAt: string;
  readonly idempotency?: IdempotencyRecord;
}

/** 'new': the command starts the stream; 'existing': the stream must exist (else StreamNotFound); 'any': either. */
export type StreamExpectation = 'new' | 'existing' | 'any';

export interface CommandRequest<State, Command, Event extends AnyEvent> {
  readonly decider: Decider<State, Command, Event>;
  readonly stream: string;
  readonly expect: StreamExpectation;
  /** The domain command, built from what was read (facts, the document, the verified signature). */
  command(loaded: Loaded<State>, also: StreamsRead): Command | Promise<Command>;
  readonly metadata: CommandMetadata;
  /** If-Match: the revision the caller last saw. */
  readonly ifMatch?: bigint;
  /** How often to read and decide again after a lost race; only for commands that are safe to re-decide. */
  readonly retries?: number;
  /**
   * Streams the admission needs besides the command's own (the institution's, for the registry's
   * word): read in the same call as the command's stream, and handed to `admit`.
   */
  readonly readAlso?: readonly string[];
  /** Asked after the read, before a replay or a decision: may the caller do this to this stream now? */
  admit?(loaded: Loaded<State>, also: StreamsRead): void | Promise<void>;
  /** Decide only: the events are returned, nothing is appended (an import's preview). */
  readonly dryRun?: boolean;
  /**
   * Between the decision and the append: a step on another stream this command needs first (an
   * approval reserves the user's grant). It returns how to undo itself, which runs when the append
   * then fails, so a refused or lost append leaves no reservation behind.
   */
  prepare?(loaded: Loaded<State>, events: readonly Event[], also: StreamsRead): Promise<(() => Promise<void>) | void>;
}

export interface CommandOutcome<State, Event extends AnyEvent> {
  readonly stream: string;
  /** The state after the command (on a replay: after the events the first request recorded). */
  readonly state: State;
  /** What this command recorded; on a replay, what the first request recorded; [] when nothing changed. */
  readonly events: Event[];
  readonly revision: bigint | 'no-stream';
  /** The global position of the last event recorded, or null when nothing was. */
  readonly position: bigint | null;
  /** True when this is a retry answered from the first request's events. */
  readonly replayed: boolean;
}

/** Other streams read with the command's, by name: every name asked is there (a missing stream with no events); a name not asked is absent. */
export type StreamsRead = ReadonlyMap<string, readonly RecordedEvent[]>;

const NOTHING_READ: StreamsRead = new Map();

type Folding<State, Event extends AnyEvent> = Pick<Decider<State, never, Event>, 'initialState' | 'evolve'>;

/** A stream's events folded with the decider. */
export function foldStream<State, Event extends AnyEvent>(events: readonly RecordedEvent[], decider: Folding<State, Event>): Loaded<State> {
  if (events.length === 0) return { state: decider.initialState, revision: 'no-stream', events: [] };
  let state = decider.initialState;
  for (const e of events) state = decider.evolve(state, { type: e.type, data: e.data } as Event);
  return { state, revision: events[events.length - 1].revision, events };
}

/** Reads a stream and folds it with the decider. */
export async function loadStream<State, Event extends AnyEvent>(store: EventStore, stream: string, decider: Folding<State, Event>): Promise<Loaded<State>> {
  const read = await store.readStream(stream);
  return foldStream(read.found ? read.events : [], decider);
}

/** The command's stream (unless `skipOwn`) and the others, in one call when there are others. */
async function readForCommand<State, Event extends AnyEvent>(store: EventStore, stream: string, decider: Folding<State, Event>, also: readonly string[], skipOwn: boolean): Promise<{ loaded: Loaded<State>; also: StreamsRead }> {
  const others = also.filter((name) => name !== stream);
  const fresh: Loaded<State> = { state: decider.initialState, revision: 'no-stream', events: [] };
  if (others.length === 0) return { loaded: skipOwn ? fresh : await loadStream(store, stream, decider), also: NOTHING_READ };
  const read = await store.readStreams(skipOwn ? others : [stream, ...others]);
  const alsoRead = new Map(others.map((name) => [name, read.get(name) ?? []]));
  return { loaded: skipOwn ? fresh : foldStream(read.get(stream) ?? [], decider), also: alsoRead };
}

export async function handleCommand<State, Command, Event extends AnyEvent>(store: EventStore, request: CommandRequest<State, Command, Event>): Promise<CommandOutcome<State, Event>> {
  const { decider, stream, metadata } = request;
  const retries = request.retries ?? 0;
  for (let attempt = 0; ; attempt++) {
    // A new stream named by a fresh id cannot exist: no read, unless a keyed retry may find its first answer there.
    const skipOwn = request.expect === 'new' && !metadata.idempotency;
    const { loaded, also } = await readForCommand(store, stream, decider, request.readAlso ?? [], skipOwn);
    if (request.expect === 'existing' && loaded.revision === 'no-stream') throw new StreamNotFound(stream);
    await request.admit?.(loaded, also);
    if (metadata.idempotency) {
      const prior = recordedUnder(loaded.events, metadata.idempotency);
      if (prior.length > 0) return replay(decider, stream, loaded.events, prior);
    }
    if (request.expect === 'new' && loaded.revision !== 'no-stream') throw new StreamExists(stream);
    if (request.ifMatch !== undefined && request.ifMatch !== loaded.revision) throw new StaleRevision(stream, request.ifMatch, loaded.revision);

    const events = decider.decide(await request.command(loaded, also), loaded.state);
    if (events.length === 0 || request.dryRun) return { stream, state: loaded.state, events, revision: loaded.revision, position: null, replayed: false };
    const undo = await request.prepare?.(loaded, events, also);
    try {
      const result = await store.append(stream, toNewEvents(events, metadata), loaded.revision);
      let state = loaded.state;
      for (const event of events) state = decider.evolve(state, event);
      return { stream, state, events, revision: result.nextExpectedRevision, position: result.position, replayed: false };
    } catch (error) {
      // A lost answer (StoreUnavailable) may have been written: only a refusal is undone for certain.
      if (undo && error instanceof WrongExpectedRevision) await undo();
      if (!(error instanceof WrongExpectedRevision)) throw error;
      // Our own retry, racing on another replica, may have won: answer as it did.
      if (metadata.idempotency) {
        const again = await loadStream(store, stream, decider);
        const prior = recordedUnder(again.events, metadata.idempotency);
        if (prior.length > 0) {
          await request.admit?.(again, NOTHING_READ);
          return replay(decider, stream, again.events, prior);
        }
      }
      if (request.expect === 'new') throw new StreamExists(stream);
      if (attempt >= retries) throw new ConcurrentChange(stream);
    }
  }
}

/** The answer the first request got: the state, revision and position after its last event. */
function replay<State, Event extends AnyEvent>(decider: Decider<State, unknown, Event>, stream: string, all: readonly RecordedEvent[], prior: readonly RecordedEvent[]): CommandOutcome<State, Event> {
  const last = prior[prior.length - 1];
  let state = decider.initialState;
  for (const e of all) {
    if (e.revision > last.revision) break;
    state = decider.evolve(state, { type: e.type, data: e.data } as Event);
  }
  return { stream, state, events: prior.map((e) => ({ type: e.type, data: e.data }) as Event), revision: last.revision, position: last.position, replayed: true };
}

function toNewEvents(events: readonly AnyEvent[], metadata: CommandMetadata): NewEvent[] {
  const key = metadata.idempotency;
  return events.map((event, index) => {
    const schemaVersion = schemaVersionOf(event.type);
    if (schemaVersion === undefined) throw new TypeError(`event type ${event.type} is not in the event catalogue`);
    return {
      ...(key && { id: uuidFrom(key.key, String(index)) }),
      type: event.type,
      data: event.data,
      metadata: {
        actor: metadata.actor.id,
        role: metadata.actor.role,
        correlationId: metadata.correlationId,
        ...(metadata.causationId !== undefined && { causationId: metadata.causationId }),
        occurredAt: metadata.occurredAt,
        schemaVersion,
        ...(key && { idempotencyKey: key.key, requestFingerprint: key.fingerprint }),
      },
    };
  });
}
