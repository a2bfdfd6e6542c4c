/**
 * The worker's reactor: every event of the log, in order, from its checkpoint; those with
 * consequences on other streams (a merge, a lock, a campaign's outcome) have them carried out. The
 * api does the same right after its own commands; here nothing is missed when it could not (a crash
 * between the append and the consequences, an unreachable read model). Consequences are keyed by
 * their cause, so doing one twice records it once. A consequence that fails is retried, with
 * backoff, before the checkpoint passes it: the log's order is kept. A backlog (after downtime) is
 * taken in the batches the projection runner takes it in, paced to a bounded time with a turn of the
 * event loop after each, so that catching up never holds the requests of the same process up.
 */
import { hasReaction, react, type ReactionPorts } from '@atlauja/commands';
import type { EventStore, RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { backoffDelay, BatchPacer, DEFAULT_BACKOFF, DEFAULT_PACE, sleep, type RunnerLogger } from '@atlauja/projections';

const CHECKPOINT = 'reactions';
/** Without consequences to record, the checkpoint moves every this many events. */
const CHECKPOINT_EVERY = 500;

export interface ReactorOptions {
  store: EventStore;
  /** Looked up on use (the read models may start after the reactor is built). */
  sql(): SqlExecutor;
  schema: string;
  ports: ReactionPorts;
  logger?: RunnerLogger;
}

export class Reactor {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private reached = 0n;
  private readonly pacer: BatchPacer;

  constructor(private readonly options: ReactorOptions) {
    this.pacer = new BatchPacer(DEFAULT_PACE);
  }

  /** The last position whose consequences are done. */
  get position(): bigint {
    return this.reached;
  }

  async start(): Promise<void> {
    await this.ensureTable();
    this.reached = await this.readCheckpoint();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.running;
  }

  private async loop(): Promise<void> {
    const signal = this.stopping.signal;
    for (let attempt = 0; !signal.aborted; ) {
      try {
        let sinceSaved = 0;
        for await (const batch of this.pacer.batches(this.options.store.subscribe(this.reached, { signal }))) {
          for (const event of batch) {
            if (hasReaction(event.type)) {
              await this.carryOut(event, signal);
              if (signal.aborted) return;
              this.reached = event.position;
              await this.saveCheckpoint();
              sinceSaved = 0;
            } else {
              this.reached = event.position;
              if (++sinceSaved >= CHECKPOINT_EVERY) {
                await this.saveCheckpoint();
                sinceSaved = 0;
              }
            }
          }
          attempt = 0;
        }
        if (sinceSaved > 0) await this.saveCheckpoint();
      } catch (error) {
        this.options.logger?.warn({ error: (error as Error).message, position: this.reached.toString() }, 'reactor: the log could not be followed; resubscribing');
        await sleep(backoffDelay(DEFAULT_BACKOFF, attempt++), signal);
      }
    }
  }

  /** Retries one event's consequences until they are done (or the reactor stops). */
  private async carryOut(event: RecordedEvent, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const report = await react(event, this.options.ports);
        if (report && (report.ended.length > 0 || report.recorded.length > 0)) {
          this.options.logger?.info({ event: event.type, stream: event.stream, ended: report.ended.length, skipped: report.skipped.length, recorded: report.recorded }, 'reactor: consequences carried out');
        }
        return;
      } catch (error) {
        this.options.logger?.warn({ event: event.type, stream: event.stream, attempt, error: (error as Error).message }, 'reactor: consequences failed; retrying');
        await sleep(backoffDelay(DEFAULT_BACKOFF, attempt), signal);
      }
    }
  }

  private async ensureTable(): Promise<void> {
    await ensureCheckpointTable(this.options.sql(), this.options.schema);
  }

  private async readCheckpoint(): Promise<bigint> {
    const rows = await this.options.sql().query<{ position: string }>(`select position::text as position from ${this.options.schema}.process_checkpoints where name = $1`, [CHECKPOINT]);
    return rows.length === 0 ? 0n : BigInt(rows[0].position);
  }

  private async saveCheckpoint(): Promise<void> {
    await saveReactorCheckpoint(this.options.sql(), this.options.schema, this.reached);
  }
}

async function ensureCheckpointTable(sql: SqlExecutor, schema: string): Promise<void> {
  await sql.query(`create schema if not exists ${schema}`);
  await sql.query(`create table if not exists ${schema}.process_checkpoints (name text primary key, position numeric(20,0) not null, updated_at timestamptz not null default now())`);
}

async function saveReactorCheckpoint(sql: SqlExecutor, schema: string, position: bigint): Promise<void> {
  await sql.query(
    `insert into ${schema}.process_checkpoints (name, position, updated_at) values ($1, $2::numeric, now())
     on conflict (name) do update set position = greatest(${schema}.process_checkpoints.position, excluded.position), updated_at = now()`,
    [CHECKPOINT, position.toString()],
  );
}

/**
 * Records the reactor's consequences as done up to `position`, for a log assembled outside the
 * service (the bench's copies of one lifecycle), whose consequences an installation's reactor
 * would have carried out as the events were appended.
 */
export async function markReactorCurrent(sql: SqlExecutor, schema: string, position: bigint): Promise<void> {
  await ensureCheckpointTable(sql, schema);
  await saveReactorCheckpoint(sql, schema, position);
}
