/** Every read-model table's rows, in key order: what "equal to a clean rebuild" compares. */
import type { SqlExecutor } from '@atlauja/event-store';
import type { Projection } from '../projection';

export async function dumpReadModels(sql: SqlExecutor, schema: string, projections: readonly Projection[]): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = await sql.query<{ row: string }>(`select (to_jsonb(t))::text as row from ${schema}.${table} t order by 1`);
      dump[table] = rows.map((r) => r.row);
    }
  }
  return dump;
}
