/**
 * Each projection's checkpoint: the position of the last event its read model includes, written in
 * the same transaction as the rows (so a crash leaves both or neither), and its state: a poison
 * event stops only its projection, recorded here with the position and the (redacted) error so
 * every process (api, worker, CLI) sees the same status.
 */
import { statementsFingerprint, type SqlDriver, type SqlExecutor } from '@atlauja/event-store';
import { redactPersonalCodes } from './personal-data';
import { parsePosition, POSITION_SQL_TYPE } from './positions';
import type { Projection } from './projection';
import { assertIdentifier } from './sql-names';
import { isoText } from './sql-time';

export type CheckpointState = 'running' | 'failed';

export interface Checkpoint {
  name: string;
  position: bigint;
  state: CheckpointState;
  failedPosition: bigint | null;
  error: string | null;
  updatedAt: string;
}

/** Advisory lock class for read-model DDL ("rmdl"); the second key is hashtext(schema). */
const DDL_LOCK_CLASS = 0x726d646c;

export function checkpointTableDdl(schema: string): string[] {
  return [
    `create schema if not exists ${schema}`,
    `create table if not exists ${schema}.projection_checkpoints (
       name text primary key,
       position ${POSITION_SQL_TYPE} not null default 0,
       state text not null default 'running',
       failed_position ${POSITION_SQL_TYPE},
       error text,
       updated_at timestamptz not null default now()
     )`,
  ];
}

/**
 * Creates the schema, the checkpoint table and the projections' tables if missing; safe against
 * concurrent starts. Their statements' fingerprint is kept as the checkpoint table's comment: when it
 * matches and every table exists, nothing is run; a changed statement runs them all again.
 * `queryIndexes: false` leaves out the indexes only queries use (a rebuild's fresh tables get them
 * from createQueryIndexes after the replay).
 */
export async function ensureReadModels(sql: SqlDriver, schema: string, projections: readonly Projection[], options: { queryIndexes?: boolean } = {}): Promise<void> {
  assertIdentifier(schema, 'read-model schema');
  const statements = readModelStatements(schema, projections, options);
  const fingerprint = statementsFingerprint(statements);
  const tables = projections.flatMap((projection) => projection.tables.map((table) => `${schema}.${table}`));
  // A start finds them as the last one left them (some forty statements, each a round trip to the
  // embedded store's thread, before the api listens): one read instead.
  const [{ current }] = await sql.query<{ current: boolean }>(READ_MODELS_CURRENT, [`${schema}.projection_checkpoints`, fingerprint, tables]);
  if (current) return;
  await sql.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1::int, hashtext($2::text))', [DDL_LOCK_CLASS, schema]);
    for (const statement of statements) await tx.query(statement);
    for (const projection of projections) {
      await tx.query(`insert into ${schema}.projection_checkpoints (name) values ($1) on conflict (name) do nothing`, [projection.name]);
    }
    await tx.query(`comment on table ${schema}.projection_checkpoints is '${fingerprint}'`);
  });
}

/** Whether the checkpoint table carries the fingerprint of these statements (its comment) and every projection table exists. */
const READ_MODELS_CURRENT = `select obj_description(to_regclass($1::text), 'pg_class') is not distinct from $2::text
  and (select count(*) from unnest($3::text[]) as t(name) where to_regclass(t.name) is not null) = cardinality($3::text[]) as current`;

function readModelStatements(schema: string, projections: readonly Projection[], options: { queryIndexes?: boolean }): string[] {
  return [
    ...checkpointTableDdl(schema),
    ...projections.flatMap((projection) => [...projection.ddl(schema), ...(options.queryIndexes !== false ? projection.queryIndexes?.(schema) ?? [] : [])]),
  ];
}

export async function createQueryIndexes(sql: SqlExecutor, schema: string, projection: Projection): Promise<void> {
  for (const statement of projection.queryIndexes?.(schema) ?? []) await sql.query(statement);
}

interface CheckpointRow {
  name: string;
  position: string;
  state: CheckpointState;
  failed_position: string | null;
  error: string | null;
  updated_at: string;
}

const COLUMNS = `name, position::text as position, state, failed_position::text as failed_position, error,
  ${isoText('updated_at')} as updated_at`;

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    name: row.name,
    position: parsePosition(row.position),
    state: row.state,
    failedPosition: row.failed_position === null ? null : parsePosition(row.failed_position),
    error: row.error,
    updatedAt: row.updated_at,
  };
}

export async function readCheckpoints(sql: SqlExecutor, schema: string): Promise<Map<string, Checkpoint>> {
  const rows = await sql.query<CheckpointRow>(`select ${COLUMNS} from ${schema}.projection_checkpoints`);
  return new Map(rows.map((row) => [row.name, toCheckpoint(row)]));
}

/** Locks the projection's row until the transaction ends: batches and a rebuild's swap take turns on it. */
export async function lockCheckpoint(tx: SqlExecutor, schema: string, name: string): Promise<Checkpoint> {
  const rows = await tx.query<CheckpointRow>(`select ${COLUMNS} from ${schema}.projection_checkpoints where name = $1 for update`, [name]);
  if (rows.length === 0) throw new Error(`projection ${name} has no checkpoint row in ${schema}: run ensureReadModels first`);
  return toCheckpoint(rows[0]);
}

/**
 * Locks the rows of several projections until the transaction ends, always in name order so that two
 * lockers (the runner's batch, a rebuild's swap) cannot deadlock. A missing row is an error.
 */
export async function lockCheckpoints(tx: SqlExecutor, schema: string, names: readonly string[]): Promise<Map<string, Checkpoint>> {
  const rows = await tx.query<CheckpointRow>(
    `select ${COLUMNS} from ${schema}.projection_checkpoints
      where name = any(array(select jsonb_array_elements_text($1::jsonb))) order by name for update`,
    [JSON.stringify(names)],
  );
  const locked = new Map(rows.map((row) => [row.name, toCheckpoint(row)]));
  const missing = names.filter((name) => !locked.has(name));
  if (missing.length > 0) throw new Error(`projection ${missing.join(', ')} has no checkpoint row in ${schema}: run ensureReadModels first`);
  return locked;
}

/** Moves several checkpoints in one statement. */
export async function advanceCheckpoints(tx: SqlExecutor, schema: string, positions: ReadonlyMap<string, bigint>): Promise<void> {
  if (positions.size === 0) return;
  await tx.query(
    `update ${schema}.projection_checkpoints c set position = v.position::numeric, updated_at = now()
       from jsonb_to_recordset($1::jsonb) as v(name text, position text) where c.name = v.name`,
    [JSON.stringify([...positions].map(([name, position]) => ({ name, position: position.toString() })))],
  );
}

export async function advanceCheckpoint(tx: SqlExecutor, schema: string, name: string, position: bigint): Promise<void> {
  await tx.query(`update ${schema}.projection_checkpoints set position = $2::numeric, updated_at = now() where name = $1`, [name, position.toString()]);
}

export async function markFailed(sql: SqlExecutor, schema: string, name: string, position: bigint, error: unknown): Promise<string> {
  const message = redactPersonalCodes(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
  await sql.query(
    `update ${schema}.projection_checkpoints set state = 'failed', failed_position = $2::numeric, error = $3, updated_at = now() where name = $1`,
    [name, position.toString(), message],
  );
  return message;
}

/** Lets a failed projection try again from its checkpoint (after the cause is fixed). */
export async function resumeProjection(sql: SqlExecutor, schema: string, name: string): Promise<boolean> {
  const rows = await sql.query(
    `update ${schema}.projection_checkpoints set state = 'running', failed_position = null, error = null, updated_at = now() where name = $1 and state = 'failed' returning name`,
    [name],
  );
  return rows.length > 0;
}
