/**
 * The event log's SQL, in one namespace (schema) so that several logs can share a database (tests
 * use one schema per test file). Created idempotently at start.
 *
 * position: bigint identity. Revisions and positions travel as text and are parsed with BigInt.
 * prev_hash / hash: the per-stream chain (hash-chain.ts), in columns so the tip is one index lookup.
 */
export const DEFAULT_SCHEMA = 'event_store';
export const STREAM_REVISION_CONSTRAINT = 'events_stream_revision_key';

/** Advisory lock class for this log ("atla"); the second key is hashtext(schema). */
export const APPEND_LOCK_CLASS = 0x61746c61;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!IDENTIFIER.test(schema)) throw new TypeError(`event store schema must match ${IDENTIFIER} (got "${schema}")`);
}

export function schemaStatements(schema: string): string[] {
  assertSchemaName(schema);
  return [
    `create schema if not exists ${schema}`,
    `create table if not exists ${schema}.events (
       position    bigint generated always as identity primary key,
       stream      text not null,
       revision    bigint not null check (revision >= 0),
       id          uuid not null,
       type        text not null,
       data        jsonb not null,
       metadata    jsonb not null,
       prev_hash   text not null,
       hash        text not null,
       recorded_at timestamptz not null default now(),
       constraint ${STREAM_REVISION_CONSTRAINT} unique (stream, revision)
     )`,
  ];
}
