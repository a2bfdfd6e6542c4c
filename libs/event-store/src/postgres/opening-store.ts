import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadStreamOptions, ReadStreamResult, RecordedEvent, SubscribeOptions } from '../event-store';
import type { PostgresEventStore } from './postgres-event-store';
import type { SqlDriver, SqlExecutor } from './sql-driver';

/**
 * The embedded store handed out while it is still opening: every call waits for the open and then
 * runs on the opened store. PGlite opens on its own thread in about a second; meanwhile the process
 * loads its modules, builds its routes and listens instead of waiting. A failed open is the failure
 * of every call, so whoever awaits one reports it.
 */
export class OpeningEventStore implements EventStore {
  /** The opened store's own SQL connection (the read models' on the embedded store), waiting the same way. */
  readonly sql: SqlDriver;

  constructor(private readonly opening: Promise<PostgresEventStore>) {
    // Reported by the calls that await it, not as an unhandled rejection of its own.
    opening.catch(() => undefined);
    this.sql = {
      query: async <Row = Record<string, unknown>>(text: string, params?: unknown[]) => (await opening).sql.query<Row>(text, params),
      transaction: async <T>(work: (tx: SqlExecutor) => Promise<T>) => (await opening).sql.transaction(work),
      // The connection is the store's: it closes with the store.
      close: () => this.close(),
    };
  }

  /** Resolves once the store is open; rejects with the reason it could not open. */
  opened(): Promise<PostgresEventStore> {
    return this.opening;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    return (await this.opening).append(stream, events, expected);
  }

  async readStream(stream: string, options?: ReadStreamOptions): Promise<ReadStreamResult> {
    return (await this.opening).readStream(stream, options);
  }

  async readStreams(streams: readonly string[]): Promise<ReadonlyMap<string, RecordedEvent[]>> {
    return (await this.opening).readStreams(streams);
  }

  async readAll(fromPosition: bigint, maxCount: number): Promise<RecordedEvent[]> {
    return (await this.opening).readAll(fromPosition, maxCount);
  }

  subscribe(fromPosition: bigint, options?: SubscribeOptions): AsyncIterable<RecordedEvent> {
    const opening = this.opening;
    return {
      async *[Symbol.asyncIterator]() {
        yield* (await opening).subscribe(fromPosition, options);
      },
    };
  }

  async headPosition(): Promise<bigint> {
    return (await this.opening).headPosition();
  }

  async ping(): Promise<void> {
    return (await this.opening).ping();
  }

  /** Closes the store once it is open; a store that could not open has nothing to close. */
  async close(): Promise<void> {
    const store = await this.opening.catch(() => null);
    await store?.close();
  }
}
