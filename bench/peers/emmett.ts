/**
 * The peer: Emmett's PostgreSQL event store (@event-driven-io/emmett-postgresql 0.42), on the same
 * server, in a database of its own (its tables live in the public schema), with a pg Pool of the same
 * size as ours. Appends one event per new stream (STREAM_DOES_NOT_EXIST, as our 'no-stream'); reads the
 * global log with its own batch reader (readMessagesBatch, what its consumers pull with).
 */
import { Pool } from 'pg';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, readMessagesBatch, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';

export interface EmmettPeer {
  append(stream: string, type: string, data: Record<string, unknown>, metadata: Record<string, unknown>): Promise<bigint>;
  /** One page of the global log after `after`, as Emmett's consumers read it: positions, and where to continue. */
  readAfter(after: bigint, batchSize: number): Promise<{ positions: bigint[]; next: bigint }>;
  /** Every position in the log (a plain SELECT), to compare the reader's view with. */
  allPositions(): Promise<bigint[]>;
  close(): Promise<void>;
}

export async function openEmmett(connectionString: string, poolSize: number): Promise<EmmettPeer> {
  const pool = new Pool({ connectionString, max: poolSize });
  const store: PostgresEventStore = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  await store.schema.migrate();
  // readMessagesBatch formats its SQL to a string and maps result rows: a pg Pool is executor enough.
  const executor = { query: (sql: string) => pool.query(sql) } as unknown as Parameters<typeof readMessagesBatch>[0];
  return {
    async append(stream, type, data, metadata) {
      const result = await store.appendToStream(stream, [{ type, data, metadata }], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
      return result.lastEventGlobalPosition;
    },
    async readAfter(after, batchSize) {
      const batch = await readMessagesBatch(executor, { after, batchSize });
      return { positions: batch.messages.map((m) => (m.metadata as { globalPosition: bigint }).globalPosition), next: batch.currentGlobalPosition };
    },
    async allPositions() {
      const { rows } = await pool.query<{ p: string }>('select global_position::text as p from emt_messages order by global_position');
      return rows.map((r) => BigInt(r.p));
    },
    async close() {
      await store.close().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
