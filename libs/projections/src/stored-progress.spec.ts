import type { EventStore, SqlExecutor } from '@atlauja/event-store';
import { StoredProgress } from './stored-progress';

/** Checkpoint rows as the table holds them, and how many statements were sent. */
function checkpointTable(position: bigint, state = 'running') {
  const table = { position, state, statements: 0 };
  const sql: SqlExecutor = {
    async query<Row>(): Promise<Row[]> {
      table.statements += 1;
      const row = { name: 'registry', position: table.position.toString(), state: table.state, failed_position: table.state === 'failed' ? table.position.toString() : null, error: null, updated_at: '2026-11-30T00:00:00.000Z' };
      return [row as Row];
    },
  };
  return { table, sql };
}

describe('StoredProgress (a replica reading the worker\'s checkpoints)', () => {
  it('reads the checkpoints until the position is reached, then answers a wait for it or an earlier one without a statement', async () => {
    const { table, sql } = checkpointTable(5n);
    const progress = new StoredProgress(sql, {} as EventStore, ['registry'], 'rm', 5);
    setTimeout(() => { table.position = 12n; }, 20);
    await expect(progress.waitForPosition(10n, 2000)).resolves.toBe('reached');
    const sent = table.statements;
    expect(sent).toBeGreaterThan(1);
    await expect(progress.waitForPosition(10n, 2000)).resolves.toBe('reached');
    await expect(progress.waitForPosition(12n, 2000)).resolves.toBe('reached');
    expect(table.statements).toBe(sent);
    // A position beyond what was seen is read again.
    await expect(progress.waitForPosition(13n, 20)).resolves.toBe('timeout');
    expect(table.statements).toBeGreaterThan(sent);
  });

  it('still reports a projection that stopped before the position', async () => {
    const { sql } = checkpointTable(3n, 'failed');
    const progress = new StoredProgress(sql, {} as EventStore, ['registry'], 'rm', 5);
    await expect(progress.waitForPosition(10n, 200)).resolves.toBe('failed');
  });
});
