/**
 * Set-based reads and writes of read-model rows, a batch at a time: one SELECT for every row a
 * batch touches, the events folded in memory, one upsert and one delete. A statement per event
 * would cap a 100,000-event rebuild at the database's round trips; this keeps it to a few per batch.
 *
 * Values cross as one JSON parameter, so both drivers send the same text: each row a JSON array of
 * its values in column order (rowsParameter, read back by recordsOf). Objects keyed by column name
 * (jsonb_to_recordset) were a third more bytes to build, send and parse, and the server looked every
 * value up by name: the server's and this process's work per row is about half with arrays.
 * Positions and dates come back as text (`::text`) and times as ISO instants (sql-time.ts), never
 * as JSON numbers or Date objects.
 *
 * A table is declared once, as a RowTable: its DDL (createTable), its reads and its writes follow
 * from the one list of columns.
 */
import type { SqlExecutor } from '@atlauja/event-store';
import { isoText } from './sql-time';

export interface Column {
  readonly name: string;
  /** The SQL type (recordsOf casts the JSON value to it). */
  readonly type: string;
  readonly notNull?: boolean;
}

export interface RowTable {
  readonly table: string;
  /** The primary key's columns. */
  readonly key: readonly string[];
  readonly columns: readonly Column[];
}

export type Row = Record<string, unknown>;

/** `create table if not exists` with the columns in their order and the primary key. */
export function createTable(schema: string, table: RowTable): string {
  const columns = table.columns.map((c) => `${c.name} ${c.type}${c.notNull ? ' not null' : ''}`);
  return `create table if not exists ${schema}.${table.table} (${[...columns, `primary key (${table.key.join(', ')})`].join(', ')})`;
}

const AS_TEXT = /^(numeric|date)/;

function selected(column: Column): string {
  if (column.type === 'timestamptz') return `${isoText(column.name)} as ${column.name}`;
  return AS_TEXT.test(column.type) ? `${column.name}::text as ${column.name}` : column.name;
}

export function selectList(table: RowTable): string {
  return table.columns.map(selected).join(', ');
}

export function keyOf(table: RowTable, row: Row): string {
  return table.key.map((k) => String(row[k])).join('\u0000');
}

/**
 * Rows whose `column` is one of `values`, plus an optional extra condition. `= any(array(...))` is
 * matched through the column's index; `in (select ...)` let the planner scan the whole table.
 */
export async function loadRowsWhere<R extends object>(tx: SqlExecutor, schema: string, table: RowTable, column: string, values: readonly string[], extra = ''): Promise<R[]> {
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

/** Inserts the rows; `onConflict` is what a row whose key exists does (`do nothing`, `do update set ...`). */
export async function insertRows(tx: SqlExecutor, schema: string, table: RowTable, rows: readonly object[], onConflict: string): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `insert into ${schema}.${table.table} as t (${table.columns.map((c) => c.name).join(', ')})
     ${recordsOf(table.columns)}
     on conflict (${table.key.join(', ')}) ${onConflict}`,
    [rowsParameter(table.columns, rows)],
  );
}

/** Inserts the rows, or replaces every column but the key of those whose key exists. */
export async function upsertRows(tx: SqlExecutor, schema: string, table: RowTable, rows: readonly object[]): Promise<void> {
  const updates = table.columns.filter((c) => !table.key.includes(c.name)).map((c) => `${c.name} = excluded.${c.name}`);
  await insertRows(tx, schema, table, rows, updates.length > 0 ? `do update set ${updates.join(', ')}` : 'do nothing');
}
