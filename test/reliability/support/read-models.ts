/**
 * "After a restart the read models equal a clean rebuild": the live read-model tables (as the
 * server's projection runner left them) against the same projections replayed from position 0
 * into a schema of their own. Only when the server keeps read models in this database: until the
 * API runs the projection runner there is no live checkpoint table, and the answer says so.
 */
import { EventStore, SqlDriver } from '@atlauja/event-store';
import { DEFAULT_READ_MODEL_SCHEMA, READ_MODELS, rebuildReadModels, rebuildSchemaOf } from '@atlauja/projections';

export type ReadModelComparison = { checked: false; reason: string } | { checked: true; differences: string[] };

export async function compareWithCleanRebuild(store: EventStore, sql: SqlDriver, cleanSchema: string, liveSchema = DEFAULT_READ_MODEL_SCHEMA): Promise<ReadModelComparison> {
  const live = await sql.query<{ n: string }>(
    `select count(*)::text as n from information_schema.tables where table_schema = $1 and table_name = 'projection_checkpoints'`, [liveSchema]);
  if (live[0].n === '0') return { checked: false, reason: `no live read models in schema ${liveSchema}: the server runs no projections` };
  // The live models must have caught up with the log before they can equal a replay of all of it.
  const head = await store.headPosition();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const behind = await sql.query<{ name: string }>(`select name from ${liveSchema}.projection_checkpoints where position < $1::numeric`, [head.toString()]);
    if (behind.length === 0) break;
    if (Date.now() > deadline) return { checked: true, differences: [`live projections still behind the head ${head}: ${behind.map((b) => b.name).join(', ')}`] };
    await new Promise((r) => setTimeout(r, 200));
  }
  await rebuildReadModels({ store, sql, projections: READ_MODELS, schema: cleanSchema });
  const differences: string[] = [];
  try {
    for (const projection of READ_MODELS) {
      for (const table of projection.tables) {
        // Every column of every projection table: what an executor did (delivered notices, performed
        // work) is in its own tables (process_outcomes, notice_deliveries), which are not a projection's.
        const rows = async (schema: string) => (await sql.query<{ r: string }>(`select (to_jsonb(t))::text as r from ${schema}.${table} t`)).map((x) => x.r).sort();
        const [a, b] = [await rows(liveSchema), await rows(cleanSchema)];
        if (JSON.stringify(a) !== JSON.stringify(b)) differences.push(`${table}: live ${a.length} rows, rebuilt ${b.length}; first difference ${a.find((x, i) => x !== b[i])?.slice(0, 200)}`);
      }
    }
  } finally {
    // The clean schema and whatever the rebuild left beside it (its per-projection build schemas).
    for (const projection of READ_MODELS) await sql.query(`drop schema if exists ${rebuildSchemaOf(cleanSchema, projection.name)} cascade`).catch(() => undefined);
    await sql.query(`drop schema if exists ${cleanSchema} cascade`).catch(() => undefined);
  }
  return { checked: true, differences };
}
