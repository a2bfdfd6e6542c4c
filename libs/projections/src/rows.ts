/**
 * Set-based reads and writes of read-model rows, a batch at a time: one SELECT for every row a
 * batch touches, the events folded in memory, one upsert and one delete. A statement per event
 * would cap a 100,000-event rebuild at the database's round trips; this keeps it to a few per batch.
 *
 * Values cross as one JSON parameter (jsonb_to_recordset), so both drivers send the same text;
 * positions and times come back as text (`::text`), never as JSON numbers or Date objects.
 */
import type { SqlExecutor } from '@atlauja/event-store';

export interface Column {
  readonly name: string;
  /** The SQL type, as in the DDL (jsonb_to_recordset casts the JSON value to it). */
  readonly type: string;
}

export interface RowTable {
  readonly table: string;
  /** The primary key's columns. */
  readonly key: readonly string[];
  readonly columns: readonly Column[];
}

export type Row = Record<string, unknown>;

const AS_TEXT = /^(numeric|timestamptz|date)/;

export function selectList(table: RowTable): string {
  return table.columns.map((c) => (AS_TEXT.test(c.type) ? `${c.name}::text as ${c.name}` : c.name)).join(', ');
}

export function keyOf(table: RowTable, row: Row): string {
  return table.key.map((k) => String(row[k])).join('\u0000');
}

/**
 * Rows whose `column` is one of `values`, plus an optional extra condition. `= any(array(...))` is
 * matched through the column's index; `in (select ...)` let the planner scan the whole table.
 */
export async function loadRowsWhere<R extends Row>(tx: SqlExecutor, schema: string, table: RowTable, column: string, values: readonly string[], extra = ''): Promise<R[]> {
  if (values.length === 0) return [];
  return tx.query<R>(
    `select ${selectList(table)} from ${schema}.${table.table}
      where ${column} = any(array(select jsonb_array_elements_text($1::jsonb))) ${extra}`,
    [JSON.stringify(values)],
  );
}

export async function upsertRows(tx: SqlExecutor, schema: string, table: RowTable, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = table.columns.map((c) => c.name);
  const record = table.columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const updates = names.filter((n) => !table.key.includes(n)).map((n) => `${n} = excluded.${n}`);
  await tx.query(
    `insert into ${schema}.${table.table} (${names.join(', ')})
     select ${names.join(', ')} from jsonb_to_recordset($1::jsonb) as x(${record})
     on conflict (${table.key.join(', ')}) do ${updates.length > 0 ? `update set ${updates.join(', ')}` : 'nothing'}`,
    [JSON.stringify(rows)],
  );
}
