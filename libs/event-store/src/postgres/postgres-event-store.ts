/**
 * The event store in PostgreSQL SQL, one implementation for both drivers (PGlite embedded, pg server).
 *
 * Gap-safe global order. A plain sequence is not a safe order: a transaction that took position 41
 * can commit after one that took 42, and a reader that has seen 42 skips 41 for ever. Every append
 * therefore takes a transaction-scoped advisory lock (one per schema), held to its COMMIT. A writer
 * takes positions only after the previous writer's rows are committed and visible (PostgreSQL makes
 * a commit visible before it releases the transaction's locks), so positions become visible in
 * increasing order and a reader can never pass a position that may still commit. Readers stay plain
 * (`position > $cursor`), which keeps subscriptions, paging and every consumer of `position` simple.
 *
 * The append is one call of a server-side function (schema.ts), autocommit: the lock is held for
 * the function's work and its commit, not across client round trips. The client seals the events
 * (revisions, hash chain) from the tip it expects (the one it last saw, else a plain read); the
 * function checks the expected revision and that tip under the lock and writes only on a match,
 * else it answers the true tip and the client seals again.
 *
 * Why not "read only below pg_snapshot_xmin(pg_current_snapshot())": that is gap-safe for a cursor of
 * (transaction id, position), not for a single bigint position: a transaction can get the lower xid
 * and the higher position (xid assignment and nextval are not ordered together), commit first, and be
 * read while the other one, holding the lower position, is still running.
 *
 * Cost: appends commit one at a time (see docs/benchmarks.md for the figures beside a raw INSERT).
 * An append may carry many events.
 *
 * The unique (stream, revision) constraint stays as the database's guard against any writer that
 * would bypass the lock (SQLSTATE 23505 -> WrongExpectedRevision).
 */
import { LRUCache } from 'lru-cache';
import { assertAppendInput } from '../append-input';
import { StoreUnavailable, WrongExpectedRevision } from '../errors';
import type { AppendResult, EventStore, ExpectedRevision, NewEvent, ReadStreamOptions, ReadStreamResult, RecordedEvent, SubscribeOptions } from '../event-store';
import { AppendSignal, combineSignals, followLog } from '../follow-log';
import { sealEvents, type SealedEvent, type StreamTip } from '../hash-chain';
import { withTimeout } from '../with-timeout';
import { APPEND_FUNCTION, APPEND_LOCK_CLASS, DEFAULT_SCHEMA, schemaCurrentCheck, STREAM_REVISION_CONSTRAINT, schemaStatements } from './schema';
import { violatedConstraint, type SqlDriver, type SqlExecutor } from './sql-driver';

/** How many stream tips the store remembers for the one-call append (least recently used go first). */
const KNOWN_TIPS_MAX = 10_000;

/**
 * Calls that may find the guessed tip stale before the append holds the lock across its tip read.
 * With an expected revision the second call settles it (the tip moved: a conflict); only 'any' and
 * 'stream-exists' on a stream that others keep appending to can need the third.
 */
const STALE_TIP_CALLS = 2;

/** Appends sent in one call at most (a call carries their events as one JSON parameter). */
const APPENDS_PER_CALL = 64;

interface AppendRequest {
  stream: string;
  expected: ExpectedRevision;
  tip: StreamTip;
  sealed: SealedEvent[];
}

interface AppendRow {
  append_no: number | string;
  outcome: string;
  actual_revision: string | null;
  actual_hash: string | null;
  last_position: string | null;
}

type AppendOutcome =
  | { kind: 'appended'; position: bigint; tip: { revision: bigint; hash: string } }
  | { kind: 'conflict' | 'stale-tip'; actual: StreamTip }
  /** The unique (stream, revision) constraint stopped it: a writer bypassed the lock. */
  | { kind: 'violated' };

export interface PostgresEventStoreOptions {
  schema?: string;
  /** Bound for ping(). */
  timeoutMs?: number;
  /** How often a caught-up subscriber looks for appends made by other processes. */
  pollIntervalMs?: number;
  pageSize?: number;
}

interface EventRow {
  position: string;
  stream: string;
  revision: string;
  id: string;
  type: string;
  data: unknown;
  metadata: Omit<RecordedEvent['metadata'], 'prevHash' | 'hash'>;
  prev_hash: string;
  hash: string;
}

// Output names shadow columns in ORDER BY: the queries order by e.position / e.revision (bigint), never the text.
const EVENT_COLUMNS = 'e.position::text as position, e.stream, e.revision::text as revision, e.id::text as id, e.type, e.data, e.metadata, e.prev_hash, e.hash';

export class PostgresEventStore implements EventStore {
  private readonly appendSignal = new AppendSignal();
  /** Stream tips this store last saw (read to the end or appended): guesses for the one-statement append. */
  private readonly knownTips = new LRUCache<string, { revision: bigint; hash: string }>({ max: KNOWN_TIPS_MAX });
  private readonly closing = new AbortController();
  /** Appends waiting for the call under way to finish (see queueAppend). */
  private readonly waitingAppends: { request: AppendRequest; resolve: (outcome: AppendOutcome) => void; reject: (error: unknown) => void }[] = [];
  private appendCallUnderWay = false;
  private readonly schema: string;
  private readonly options: Required<Omit<PostgresEventStoreOptions, 'schema'>>;

  private constructor(private readonly driver: SqlDriver, options: PostgresEventStoreOptions) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    this.options = { timeoutMs: options.timeoutMs ?? 5000, pollIntervalMs: options.pollIntervalMs ?? 200, pageSize: options.pageSize ?? 500 };
  }

  /**
   * The store's own database connection, for tables that live beside the log (read models, idempotency
   * keys). With PGlite there is only this one connection in the process: share it, never open another.
   */
  get sql(): SqlDriver {
    return this.driver;
  }

  /** Creates the schema if missing or changed (one read when it is current; safe against concurrent starts) and returns the store. */
  static async open(driver: SqlDriver, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(driver, options);
    const check = schemaCurrentCheck(store.schema);
    const [{ current }] = await driver.query<{ current: boolean }>(check.sql, check.params);
    if (current) return store;
    await driver.transaction(async (tx) => {
      // Two processes starting at once would race on CREATE TABLE IF NOT EXISTS (a unique violation in the catalog).
      await store.lockAppends(tx);
      for (const statement of schemaStatements(store.schema)) await tx.query(statement);
    });
    return store;
  }

  async append(stream: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    assertAppendInput(stream, events, expected);
    // The tip to chain from: the one this store last saw, or a plain read (a guess either way: the
    // append function checks it under the lock and answers the true tip when it was wrong).
    const guess = this.guessTip(stream, expected);
    let tip = guess !== undefined ? guess : await this.streamTip(this.driver, stream);
    for (let call = 1; ; call++) {
      const outcome = call <= STALE_TIP_CALLS
        ? await this.queueAppend({ stream, expected, tip, sealed: sealEvents(stream, tip, events) })
        : await this.driver.transaction(async (tx) => {
          // A stream written to this hard: hold the lock across the tip read and the call (the
          // function takes it again, re-entrantly), so the tip cannot move in between.
          await this.lockAppends(tx);
          const held = await this.streamTip(tx, stream);
          const [only] = await this.callAppends(tx, [{ stream, expected, tip: held, sealed: sealEvents(stream, held, events) }]);
          return only;
        });
      switch (outcome.kind) {
        case 'appended':
          this.rememberTip(stream, outcome.tip);
          this.appendSignal.notify();
          return { nextExpectedRevision: outcome.tip.revision, position: outcome.position };
        case 'conflict':
          this.knownTips.delete(stream);
          throw new WrongExpectedRevision(stream, expected, outcome.actual === null ? 'no-stream' : outcome.actual.revision);
        case 'violated':
          // Only a writer that bypasses the append lock (a script, another tool) can get here first:
          // the unique (stream, revision) constraint is the database's own guard against it.
          this.knownTips.delete(stream);
          throw new WrongExpectedRevision(stream, expected, await this.streamRevision(this.driver, stream));
        case 'stale-tip':
          tip = outcome.actual;
      }
    }
  }

  /**
   * Appends of concurrent callers go in one call: while a call is under way the next ones wait, and
   * then go together (up to APPENDS_PER_CALL). Appends commit one at a time under the lock, and a
   * commit waits for its WAL flush, so this shares one lock, one commit and one flush among them
   * (group commit, done here); a lone caller's append goes at once.
   */
  private queueAppend(request: AppendRequest): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      this.waitingAppends.push({ request, resolve, reject });
      this.nextAppendCall();
    });
  }

  private nextAppendCall(): void {
    if (this.appendCallUnderWay || this.waitingAppends.length === 0) return;
    const taken = this.waitingAppends.splice(0, APPENDS_PER_CALL);
    this.appendCallUnderWay = true;
    void this.callAppends(this.driver, taken.map((t) => t.request)).then(
      (outcomes) => taken.forEach((t, i) => t.resolve(outcomes[i])),
      (error: unknown) => taken.forEach((t) => t.reject(error)),
    ).finally(() => {
      this.appendCallUnderWay = false;
      this.nextAppendCall();
    });
  }

  /** One call of the append function (autocommit on the driver, or inside a held transaction); an outcome per request. */
  private async callAppends(db: SqlExecutor, requests: AppendRequest[]): Promise<AppendOutcome[]> {
    const payload = JSON.stringify(requests.map(({ stream, expected, tip, sealed }) => ({
      stream,
      expected: typeof expected === 'bigint' ? expected.toString() : expected,
      tipRevision: tip === null ? null : tip.revision.toString(),
      tipHash: tip === null ? null : tip.hash,
      events: sealed.map(({ id, revision, type, data, metadata: { prevHash, hash, ...metadata } }) => ({ id, revision: revision.toString(), type, data, metadata, prevHash, hash })),
    })));
    let rows: AppendRow[];
    try {
      rows = await db.query<AppendRow>(`select append_no, outcome, actual_revision, actual_hash, last_position from ${this.schema}.${APPEND_FUNCTION}($1::jsonb)`, [payload]);
    } catch (error) {
      if (violatedConstraint(error) !== STREAM_REVISION_CONSTRAINT) throw error;
      if (requests.length === 1) return [{ kind: 'violated' }];
      // Nothing of the call was written: each append on its own, so only the one that collided fails.
      const outcomes: AppendOutcome[] = [];
      for (const request of requests) outcomes.push(...(await this.callAppends(db, [request])));
      return outcomes;
    }
    return requests.map((request, i) => {
      const row = rows.find((r) => Number(r.append_no) === i + 1);
      if (!row) throw new Error(`the append function answered no outcome for append ${i + 1}`);
      const actual: StreamTip = row.actual_revision === null ? null : { revision: BigInt(row.actual_revision), hash: row.actual_hash as string };
      switch (row.outcome) {
        case 'appended': {
          const last = request.sealed[request.sealed.length - 1];
          return { kind: 'appended', position: BigInt(row.last_position as string), tip: { revision: last.revision, hash: last.metadata.hash } };
        }
        case 'conflict':
          return { kind: 'conflict', actual };
        case 'stale-tip':
          return { kind: 'stale-tip', actual };
        default:
          throw new Error(`the append function answered an unknown outcome ${String(row.outcome)}`);
      }
    });
  }

  /** The tip an append at `expected` will most likely chain from, without reading it; undefined: read it. */
  private guessTip(stream: string, expected: ExpectedRevision): StreamTip | undefined {
    if (expected === 'no-stream') return null;
    const known = this.knownTips.get(stream);
    if (known === undefined) return undefined;
    return typeof expected !== 'bigint' || known.revision === expected ? known : undefined;
  }

  private rememberTip(stream: string, tip: { revision: bigint; hash: string }): void {
    this.knownTips.set(stream, tip);
  }

  private async lockAppends(tx: SqlExecutor): Promise<void> {
    await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2::text))', [APPEND_LOCK_CLASS, this.schema]);
  }

  private async streamTip(db: SqlExecutor, stream: string): Promise<StreamTip> {
    const rows = await db.query<{ revision: string; hash: string }>(
      `select e.revision::text as revision, e.hash from ${this.schema}.events e where e.stream = $1 order by e.revision desc limit 1`, [stream]);
    return rows.length === 0 ? null : { revision: BigInt(rows[0].revision), hash: rows[0].hash };
  }

  private async streamRevision(db: SqlExecutor, stream: string): Promise<bigint | 'no-stream'> {
    const tip = await this.streamTip(db, stream);
    return tip === null ? 'no-stream' : tip.revision;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult> {
    const rows = await this.driver.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${this.schema}.events e
        where e.stream = $1 and e.revision >= $2::bigint order by e.revision limit $3::bigint`,
      [stream, (options.fromRevision ?? 0n).toString(), options.maxCount === undefined ? null : String(options.maxCount)],
    );
    if (rows.length > 0) {
      const events = rows.map(toRecorded);
      // Read to the end: its last event is the tip an append at its revision chains from (a guess, checked by the insert).
      if (options.maxCount === undefined) {
        const last = events[events.length - 1];
        this.rememberTip(stream, { revision: last.revision, hash: last.metadata.hash });
      }
      return { found: true, events };
    }
    // No rows from revision 0 (every revision is >= 0) with room for one: the stream does not exist.
    // Only a range past the start, or maxCount 0, needs a second look.
    if ((options.fromRevision ?? 0n) === 0n && (options.maxCount === undefined || options.maxCount > 0)) return { found: false };
    // No rows in the range: tell a missing stream from a range past its end.
    return (await this.streamTip(this.driver, stream)) === null ? { found: false } : { found: true, events: [] };
  }

  async readStreams(streams: readonly string[]): Promise<ReadonlyMap<string, RecordedEvent[]>> {
    const read = new Map<string, RecordedEvent[]>(streams.map((stream) => [stream, []]));
    if (read.size === 0) return read;
    const rows = await this.driver.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${this.schema}.events e where e.stream = any($1::text[]) order by e.stream, e.revision`,
      [[...read.keys()]],
    );
    for (const row of rows) {
      const event = toRecorded(row);
      read.get(event.stream)!.push(event);
    }
    for (const [stream, events] of read) {
      const last = events[events.length - 1];
      if (last) this.rememberTip(stream, { revision: last.revision, hash: last.metadata.hash });
    }
    return read;
  }

  async readAll(fromPosition: bigint, maxCount: number): Promise<RecordedEvent[]> {
    const rows = await this.driver.query<EventRow>(
      `select ${EVENT_COLUMNS} from ${this.schema}.events e where e.position > $1::bigint order by e.position limit $2::bigint`,
      [fromPosition.toString(), String(maxCount)],
    );
    return rows.map(toRecorded);
  }

  subscribe(fromPosition: bigint, options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    const signal = combineSignals(this.closing.signal, options.signal);
    return followLog((from, max) => this.readAll(from, max), this.appendSignal, fromPosition,
      { signal, pollIntervalMs: this.options.pollIntervalMs, pageSize: this.options.pageSize });
  }

  async headPosition(): Promise<bigint> {
    const rows = await this.driver.query<{ head: string }>(`select coalesce(max(position), 0)::text as head from ${this.schema}.events`);
    return BigInt(rows[0].head);
  }

  async ping(): Promise<void> {
    try {
      await withTimeout(this.driver.query('select 1'), this.options.timeoutMs, 'event store ping');
    } catch (error) {
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable(`event store ping failed: ${(error as Error).message}`, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    await this.driver.close();
  }
}

function toRecorded(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    type: row.type,
    data: row.data,
    metadata: { ...row.metadata, prevHash: row.prev_hash, hash: row.hash },
  };
}
