/**
 * A read model with one row per application, derived by folding that application's events: load the
 * rows a batch touches, fold in memory, write back the changed rows.
 *
 * Each row remembers the position of the last event folded into it, and an event at or below it is
 * skipped: applying any prefix of the log again changes nothing, even past the checkpoint's guard.
 * Rows are therefore never deleted (a deleted row would be re-created by its replayed draft).
 */
import type { ApplicationEvent } from '@atlauja/domain';
import type { RecordedEvent, SqlExecutor } from '@atlauja/event-store';
import { applicationIdsOf, asApplicationEvent } from './application-events';
import type { Projection } from './projection';
import { createTable, loadRowsWhere, upsertRows, type Row, type RowTable } from './rows';

export interface ApplicationDocumentSpec<R extends Row & { last_position: string }> {
  readonly name: string;
  /** Its one table (createTable is its DDL). */
  readonly table: RowTable;
  readonly queryIndexes?: (schema: string) => string[];
  /** The row after `event` (undefined: still none, e.g. an event of a stream whose draft is unknown). Pure. */
  readonly evolve: (row: R | undefined, event: ApplicationEvent, context: { applicationId: string; recorded: RecordedEvent }) => R | undefined;
}

export function applicationDocumentProjection<R extends Row & { last_position: string }>(spec: ApplicationDocumentSpec<R>): Projection {
  const key = spec.table.key[0];
  return {
    name: spec.name,
    tables: [spec.table.table],
    ddl: (schema) => [createTable(schema, spec.table)],
    queryIndexes: spec.queryIndexes,
    async applyBatch(tx: SqlExecutor, schema: string, events: readonly RecordedEvent[]): Promise<void> {
      const ids = applicationIdsOf(events);
      if (ids.length === 0) return;
      const rows = new Map<string, R | undefined>();
      for (const row of await loadRowsWhere<R>(tx, schema, spec.table, key, ids)) rows.set(String(row[key]), row);
      const touched = new Set<string>();
      for (const recorded of events) {
        const application = asApplicationEvent(recorded);
        if (application === null) continue;
        const { applicationId, event } = application;
        const row = rows.get(applicationId);
        if (row !== undefined && BigInt(row.last_position) >= recorded.position) continue;
        rows.set(applicationId, spec.evolve(row, event, { applicationId, recorded }));
        touched.add(applicationId);
      }
      await upsertRows(tx, schema, spec.table, [...touched].map((id) => rows.get(id)).filter((row): row is R => row !== undefined));
    },
  };
}
