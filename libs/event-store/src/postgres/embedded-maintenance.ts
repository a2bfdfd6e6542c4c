/**
 * PGlite runs PostgreSQL as one backend with no autovacuum: the old versions of updated and deleted
 * rows stay in their tables and in their indexes, and no table is ever analyzed. The live read
 * models that are updated in place (the executor's notice queue, the approval queue, checkpoints)
 * then slow down with history: measured on a 1M-event data directory, the executor's due query read
 * 226k dead entries of its partial index (825 ms) to find nothing. This applies autovacuum's own rule
 * (PostgreSQL's default thresholds) to the embedded database, from the process that owns it.
 */
import type { SqlExecutor } from './sql-driver';

export interface MaintenanceReport {
  vacuumed: string[];
  analyzed: string[];
}

/** autovacuum_vacuum_threshold / _scale_factor and autovacuum_analyze_threshold / _scale_factor. */
const VACUUM_AT = '50 + 0.2 * greatest(s.n_live_tup, c.reltuples)';
const ANALYZE_AT = '50 + 0.1 * greatest(s.n_live_tup, c.reltuples)';

/**
 * Vacuums (and analyzes) each table whose dead rows passed the threshold, and analyzes each whose
 * changes since its last analysis did. The statistics start from zero when the process starts (a
 * single backend keeps them in memory), so the table's size comes from the catalog too.
 */
export async function maintainEmbedded(sql: SqlExecutor): Promise<MaintenanceReport> {
  // The backend's own counts reach pg_stat_user_tables at its next flush: force it before reading them.
  await sql.query('select pg_stat_force_next_flush()');
  const due = await sql.query<{ name: string; vacuum: boolean }>(
    `select quote_ident(s.schemaname) || '.' || quote_ident(s.relname) as name, s.n_dead_tup > ${VACUUM_AT} as vacuum
       from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.n_dead_tup > ${VACUUM_AT} or s.n_mod_since_analyze > ${ANALYZE_AT}
      order by s.schemaname, s.relname`,
  );
  const report: MaintenanceReport = { vacuumed: [], analyzed: [] };
  // One table per statement: the database's other users get their turn between them.
  for (const table of due) {
    if (table.vacuum) {
      await sql.query(`vacuum (analyze) ${table.name}`);
      report.vacuumed.push(table.name);
    } else {
      await sql.query(`analyze ${table.name}`);
      report.analyzed.push(table.name);
    }
  }
  return report;
}
