/**
 * An event store in process memory, for fast unit tests. It keeps the same contract as the durable
 * adapters (the contract suite runs against it), including the JSON round trip of data.
 */
import { assertAppendInput } from '../append-input';
import { StoreUnavailable, WrongExpectedRevision } from '../errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadStreamOptions, ReadStreamResult, RecordedEvent, SubscribeOptions } from '../event-store';
import { AppendSignal, combineSignals, followLog } from '../follow-log';
import { sealEvents } from '../hash-chain';
import { conflictOf } from '../expected-revision';

export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly appended = new AppendSignal();
  private readonly closing = new AbortController();

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    assertAppendInput(stream, events, expected);
    const existing = this.streams.get(stream);
    const actual = existing ? existing[existing.length - 1].revision : 'no-stream';
    if (conflictOf(expected, actual)) throw new WrongExpectedRevision(stream, expected, actual);
    const last = existing?.[existing.length - 1];
    const sealed = sealEvents(stream, last ? { revision: last.revision, hash: last.metadata.hash } : null, jsonRoundTrip(events));
    const recorded = sealed.map((event, i) => ({ ...event, position: BigInt(this.log.length + i + 1) }));
    this.log.push(...recorded);
    this.streams.set(stream, [...(existing ?? []), ...recorded]);
    this.appended.notify();
    const tail = recorded[recorded.length - 1];
    return { nextExpectedRevision: tail.revision, position: tail.position };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    this.assertOpen();
    const events = this.streams.get(stream);
    if (!events) return { found: false };
    const from = options.fromRevision ?? 0n;
    const selected = events.filter((event) => event.revision >= from).slice(0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return { found: true, events: selected.map(copy) };
  }

  async readStreams(streams: readonly string[]): Promise<ReadonlyMap<string, RecordedEvent[]>> {
    this.assertOpen();
    return new Map(streams.map((stream) => [stream, (this.streams.get(stream) ?? []).map(copy)]));
  }

  async readAll(fromPosition: bigint, maxCount: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    // Positions are dense here (position n is at index n - 1), so the page is a slice.
    const start = fromPosition < 0n ? 0 : Number(fromPosition);
    return this.log.slice(start, start + maxCount).map(copy);
  }

  subscribe(fromPosition: bigint, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const signal = combineSignals(this.closing.signal, options.signal);
    return followLog((from, max) => this.readAll(from, max), this.appended, fromPosition, { signal, pollIntervalMs: 1000, pageSize: 500 });
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    return BigInt(this.log.length);
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  private assertOpen(): void {
    if (this.closing.signal.aborted) throw new StoreUnavailable('the in-memory event store is closed');
  }
}

/** Stored data is what JSON can carry, as in the durable stores (undefined dropped, dates as strings). */
function jsonRoundTrip(events: NewEvent[]): NewEvent[] {
  return JSON.parse(JSON.stringify(events)) as NewEvent[];
}

function copy(event: RecordedEvent): RecordedEvent {
  return { ...event, data: structuredClone(event.data), metadata: { ...event.metadata } };
}
