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
  constructor(
    private readonly sql: SqlExecutor,
    private readonly store: EventStore,
    private readonly names: readonly string[],
    private readonly schema = DEFAULT_READ_MODEL_SCHEMA,
    private readonly pollMs = 50,
  ) {}

  async waitForPosition(position: bigint, timeoutMs: number, projections: readonly string[] = this.names): Promise<WaitOutcome> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const stored = await readCheckpoints(this.sql, this.schema);
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
