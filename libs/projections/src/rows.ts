/**
 * Set-based reads and writes of read-model rows, a batch at a time: one SELECT for every row a
 * batch touches, the events folded in memory, one upsert and one delete. A statement per event
 * would cap a 100,000-event rebuild at the database's round trips; this keeps it to a few per batch.
 *
 * Values cross as one JSON parameter, so both drivers send the same text: each row a JSON array of
 * its values in column order (rowsParameter, read back by recordsOf). Objects keyed by column name
 * (jsonb_to_recordset) were a third more bytes to build, send and parse, and the server looked every
 * value up by name: the server's and this process's work per row is about half with arrays.
 * Positions and times come back as text (`::text`), never as JSON numbers or Date objects.
 */
import type { SqlExecutor } from '@atlauja/event-store';

export interface Column {
  readonly name: string;
  /** The SQL type, as in the DDL (recordsOf casts the JSON value to it). */
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

/** The rows as one JSON parameter for recordsOf: an array of rows, each the array of its values in column order. */
export function rowsParameter(columns: readonly Column[], rows: readonly object[]): string {
  return JSON.stringify(rows.map((row) => columns.map((c) => (row as Row)[c.name] ?? null)));
}

/**
 * A JSON value as its column's type, as jsonb_to_recordset converted it: JSON null is SQL null, an
 * array into an array column keeps its order, a scalar is cast from its text.
 */
function valueAt(index: number, type: string): string {
  if (type === 'jsonb') return `nullif(r->${index}, 'null'::jsonb)`;
  if (type.endsWith('[]')) {
    return `case when jsonb_typeof(r->${index}) = 'array'
              then array(select e from jsonb_array_elements_text(r->${index}) with ordinality as a(e, n) order by n)::${type} end`;
  }
  return `(r->>${index})::${type}`;
}

/** `select <each column> from` the rows of `parameter` (rowsParameter's text), one record per row. */
export function recordsOf(columns: readonly Column[], parameter = '$1'): string {
  return `select ${columns.map((c, i) => `${valueAt(i, c.type)} as ${c.name}`).join(', ')} from jsonb_array_elements(${parameter}::jsonb) as r`;
}

export async function upsertRows(tx: SqlExecutor, schema: string, table: RowTable, rows: readonly Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = table.columns.map((c) => c.name);
  const updates = names.filter((n) => !table.key.includes(n)).map((n) => `${n} = excluded.${n}`);
  await tx.query(
    `insert into ${schema}.${table.table} (${names.join(', ')})
     ${recordsOf(table.columns)}
     on conflict (${table.key.join(', ')}) do ${updates.length > 0 ? `update set ${updates.join(', ')}` : 'nothing'}`,
    [rowsParameter(table.columns, rows)],
  );
}
