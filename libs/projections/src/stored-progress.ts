/**
 * Read-your-writes and status for a process that does not run the projections itself (an api
 * replica in server mode, the CLI): the checkpoints as stored, polled.
 */
import type { EventStore, SqlExecutor } from '@atlauja/event-store';
import { sleep } from './runner/backoff';
import { readCheckpoints } from './checkpoints';
import type { ProjectionProgress, ProjectionStatus, WaitOutcome } from './runner/projection-runner';
import { DEFAULT_READ_MODEL_SCHEMA } from './sql-names';

export class StoredProgress implements ProjectionProgress {
  /**
   * The position each projection was last seen at. A read model that has included a position keeps
   * including it (a rebuild swaps in tables that are at least as far), so a wait for a position
   * already seen needs no statement: a command reading its own registry writes pays once, not per request.
   */
  private readonly seen = new Map<string, bigint>();

  constructor(
    private readonly sql: SqlExecutor,
    private readonly store: EventStore,
    private readonly names: readonly string[],
    private readonly schema = DEFAULT_READ_MODEL_SCHEMA,
    private readonly pollMs = 50,
  ) {}

  async waitForPosition(position: bigint, timeoutMs: number, projections: readonly string[] = this.names): Promise<WaitOutcome> {
    if (projections.every((name) => (this.seen.get(name) ?? -1n) >= position)) return 'reached';
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await readCheckpoints(this.sql, this.schema);
      for (const [name, checkpoint] of stored) {
        if (checkpoint.position > (this.seen.get(name) ?? -1n)) this.seen.set(name, checkpoint.position);
      }
      const mine = projections.map((name) => stored.get(name));
      if (mine.some((c) => c?.state === 'failed')) return 'failed';
      if (mine.every((c) => c !== undefined && c.position >= position)) return 'reached';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await sleep(Math.min(this.pollMs, left), new AbortController().signal);
    }
  }

  async status(): Promise<ProjectionStatus[]> {
    const [stored, head] = await Promise.all([readCheckpoints(this.sql, this.schema), this.store.headPosition()]);
    return this.names.map((name) => {
      const c = stored.get(name);
      const checkpoint = c?.position ?? 0n;
      const lag = checkpoint >= head ? 0n : head - checkpoint;
      if (c?.state === 'failed') {
        return { name, checkpoint: checkpoint.toString(), lag: lag.toString(), state: 'failed', failedPosition: (c.failedPosition ?? checkpoint).toString(), error: c.error ?? '' };
      }
      return { name, checkpoint: checkpoint.toString(), lag: lag.toString(), state: c === undefined ? 'starting' : lag === 0n ? 'live' : 'catching-up' };
    });
  }
}
