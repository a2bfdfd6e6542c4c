/**
 * The event store on EventStoreDB / KurrentDB (gRPC, @eventstore/db-client).
 *
 * - Every call is bounded by our own timeout: against a server that accepts the connection and never
 *   answers, the client's own deadlines were measured not to fire within 150 s.
 * - The hash chain needs the stream's last hash, so append reads the tip, checks the caller's
 *   expected revision against it, and then appends with the tip's exact revision (or NO_STREAM) as
 *   EventStoreDB's expected revision: that is what guarantees nobody appended in between. For 'any'
 *   and 'stream-exists' a lost race is retried, as those expectations never conflict by contract.
 * - Positions are commit positions ($all), as bigint. System events ($-prefixed types or streams)
 *   are excluded everywhere (server-side filter on the subscription).
 */
import type { BACKWARDS, END, EventStoreDBClient, FORWARDS, JSONType, Position, ReadPosition, START } from '@eventstore/db-client';
import { assertAppendInput } from '../append-input';
import { StoreUnavailable, WrongExpectedRevision } from '../errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadStreamOptions, ReadStreamResult, RecordedEvent, SubscribeOptions } from '../event-store';
import { conflictOf } from '../expected-revision';
import { combineSignals } from '../follow-log';
import { sealEvents, type StreamTip } from '../hash-chain';
import { withTimeout } from '../with-timeout';
import { fromEsdbEvent, isSystemEvent, type EsdbRecordedEvent } from './esdb-event';

export interface EventStoreDbOptions {
  /** Bound for every call (STORE_TIMEOUT_MS). */
  timeoutMs: number;
}

const RETRIES_FOR_UNCONDITIONAL_APPEND = 10;

type EsdbClientModule = typeof import('@eventstore/db-client');

export class EventStoreDbEventStore implements EventStore {
  private readonly closing = new AbortController();

  private constructor(
    private readonly esdb: EsdbClientModule,
    private readonly client: EventStoreDBClient,
    private readonly options: EventStoreDbOptions,
  ) {}

  /** The gRPC client is loaded here, by a process configured for EventStoreDB, not by every process that imports the store. */
  static async connect(url: string, options: EventStoreDbOptions): Promise<EventStoreDbEventStore> {
    const esdb = await import('@eventstore/db-client');
    return new EventStoreDbEventStore(esdb, esdb.EventStoreDBClient.connectionString(url), options);
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertAppendInput(stream, events, expected);
    // One deadline for the whole append (tip read + write); once it passed, no write is started.
    const deadline = { passed: false };
    try {
      return await withTimeout(this.appendWithin(deadline, stream, events, expected), this.options.timeoutMs, `append to ${stream}`);
    } catch (error) {
      deadline.passed = true;
      throw error;
    }
  }

  private async appendWithin(deadline: { passed: boolean }, stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    for (let attempt = 1; ; attempt += 1) {
      const tip = await this.streamTip(stream);
      const actual = tip === null ? 'no-stream' : tip.revision;
      if (conflictOf(expected, actual)) throw new WrongExpectedRevision(stream, expected, actual);
      const sealed = sealEvents(stream, tip, events);
      if (deadline.passed) throw new StoreUnavailable(`append to ${stream}: timed out before writing`);
      try {
        const result = await this.client.appendToStream(
          stream,
          sealed.map((event) => this.esdb.jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata })),
          { expectedRevision: tip === null ? this.esdb.NO_STREAM : tip.revision, deadline: this.options.timeoutMs },
        );
        if (result.position === undefined) throw new Error('EventStoreDB returned no position: version 23 or later is required');
        return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
      } catch (error) {
        if (!(error instanceof this.esdb.WrongExpectedVersionError)) throw unavailableOr(error);
        const now = typeof error.actualVersion === 'bigint' ? error.actualVersion : 'no-stream';
        if (!conflictOf(expected, now) && attempt < RETRIES_FOR_UNCONDITIONAL_APPEND) continue;
        throw new WrongExpectedRevision(stream, expected, now);
      }
    }
  }

  private async streamTip(stream: string): Promise<StreamTip> {
    const events = await this.readEvents(stream, { fromRevision: this.esdb.END, direction: this.esdb.BACKWARDS, maxCount: 1 });
    if (events === null || events.length === 0) return null;
    return { revision: events[0].revision, hash: events[0].metadata.hash };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const read = this.readEvents(stream, { fromRevision: options.fromRevision ?? this.esdb.START, direction: this.esdb.FORWARDS, maxCount: options.maxCount });
    const events = await this.bounded(read, `read ${stream}`);
    return events === null ? { found: false } : { found: true, events };
  }

  /** EventStoreDB reads one stream per call: the streams are read side by side. */
  async readStreams(streams: readonly string[]): Promise<ReadonlyMap<string, RecordedEvent[]>> {
    const names = [...new Set(streams)];
    const read = await Promise.all(names.map((stream) => this.readStream(stream)));
    return new Map(names.map((stream, i) => [stream, read[i].found ? read[i].events : []]));
  }

  /** null for a missing stream: the client throws StreamNotFoundError while iterating. */
  private async readEvents(stream: string, options: { fromRevision: bigint | typeof START | typeof END; direction: typeof FORWARDS | typeof BACKWARDS; maxCount?: number }): Promise<RecordedEvent[] | null> {
    const events: RecordedEvent[] = [];
    try {
      const reading = this.client.readStream(stream, {
        fromRevision: options.fromRevision, direction: options.direction, deadline: this.options.timeoutMs,
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of reading) {
        if (resolved.event) events.push(fromEsdbEvent(resolved.event as EsdbRecordedEvent));
      }
    } catch (error) {
      if (error instanceof this.esdb.StreamNotFoundError) return null;
      throw unavailableOr(error);
    }
    return events;
  }

  async readAll(fromPosition: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return this.bounded(this.readAllUnbounded(fromPosition, maxCount, this.esdb.FORWARDS), 'read $all');
  }

  private async readAllUnbounded(fromPosition: bigint, maxCount: number, direction: typeof FORWARDS | typeof BACKWARDS): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    if (maxCount <= 0) return events;
    const start: ReadPosition = direction === this.esdb.BACKWARDS ? this.esdb.END : this.positionAfter(fromPosition);
    try {
      // System events are filtered here, so a page is read until it holds maxCount of ours.
      for await (const resolved of this.client.readAll({ fromPosition: start, direction, deadline: this.options.timeoutMs })) {
        const event = resolved.event as EsdbRecordedEvent | undefined;
        if (!event || isSystemEvent(event)) continue;
        const recorded = fromEsdbEvent(event);
        if (direction === this.esdb.FORWARDS && recorded.position <= fromPosition) continue; // $all reads are inclusive
        events.push(recorded);
        if (events.length >= maxCount) break;
      }
    } catch (error) {
      throw unavailableOr(error);
    }
    return events;
  }

  subscribe(fromPosition: bigint, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    return this.follow(fromPosition, combineSignals(this.closing.signal, options.signal));
  }

  private async *follow(fromPosition: bigint, signal: AbortSignal): AsyncGenerator<RecordedEvent, void, undefined> {
    if (signal.aborted) return;
    const subscription = this.client.subscribeToAll({ fromPosition: this.positionAfter(fromPosition), filter: this.esdb.excludeSystemEvents() });
    const stop = (): void => void subscription.unsubscribe().catch(() => undefined);
    signal.addEventListener('abort', stop, { once: true });
    try {
      // The subscription is a Readable stream: for-await pulls from its buffer, so a slow consumer
      // stops the reads once the buffer is full (backpressure).
      for await (const resolved of subscription) {
        if (signal.aborted) return;
        const event = resolved.event as EsdbRecordedEvent | undefined;
        if (!event || isSystemEvent(event)) continue;
        const recorded = fromEsdbEvent(event);
        if (recorded.position <= fromPosition) continue;
        yield recorded;
      }
    } catch (error) {
      if (signal.aborted) return;
      throw unavailableOr(error);
    } finally {
      signal.removeEventListener('abort', stop);
      stop();
    }
  }

  async headPosition(): Promise<bigint> {
    const [last] = await this.bounded(this.readAllUnbounded(0n, 1, this.esdb.BACKWARDS), 'read the head of $all');
    return last?.position ?? 0n;
  }

  async ping(): Promise<void> {
    await this.headPosition();
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    await withTimeout(this.client.dispose(), this.options.timeoutMs, 'close the EventStoreDB client').catch(() => undefined);
  }

  private bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.options.timeoutMs, what);
  }

  /** Position 0n is "before the first event"; any other is an event's commit position (read is inclusive). */
  private positionAfter(position: bigint): ReadPosition {
    if (position === 0n) return this.esdb.START;
    const at: Position = { commit: position, prepare: position };
    return at;
  }
}

const UNAVAILABLE = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'cancelled']);

function unavailableOr(error: unknown): unknown {
  const type = (error as { type?: unknown })?.type;
  if (typeof type === 'string' && UNAVAILABLE.has(type)) {
    return new StoreUnavailable(`EventStoreDB unavailable: ${(error as Error).message}`, { cause: error });
  }
  return error;
}
