/**
 * The event log's SQL, in one namespace (schema) so that several logs can share a database (tests
 * use one schema per test file). Created at start when missing or changed (schemaCurrentQuery): a
 * database made before the append function existed, or with an older one, gets it on its next open.
 *
 * position: bigint identity. Revisions and positions travel as text and are parsed with BigInt.
 * prev_hash / hash: the per-stream chain (hash-chain.ts), in columns so the tip is one index lookup.
 */
import { createHash } from 'node:crypto';

export const DEFAULT_SCHEMA = 'event_store';
export const STREAM_REVISION_CONSTRAINT = 'events_stream_revision_key';

/** Advisory lock class for this log ("atla"); the second key is hashtext(schema). */
export const APPEND_LOCK_CLASS = 0x61746c61;

/** The one-call append (see appendFunction). */
export const APPEND_FUNCTION = 'append_batch';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!IDENTIFIER.test(schema)) throw new TypeError(`event store schema must match ${IDENTIFIER} (got "${schema}")`);
}

export function schemaStatements(schema: string): string[] {
  const statements = definitions(schema);
  // Last: what a start compares (schemaCurrentCheck). Written only once everything before it stands.
  return [...statements, `comment on table ${schema}.events is '${statementsFingerprint(statements)}'`];
}

function definitions(schema: string): string[] {
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
    appendFunction(schema),
  ];
}

/**
 * One row, `current`: whether schemaStatements would change nothing — the log's table carries the
 * fingerprint of this version's statements (its comment, written by the last of them) and the append
 * function has this version's body (PostgreSQL keeps its source: one replaced by hand or by another
 * version is put back). A start that finds it so skips them: replacing the function at every start
 * rewrote the catalog and took a quarter of a second of the embedded store's opening.
 */
export function schemaCurrentCheck(schema: string): { sql: string; params: string[] } {
  assertSchemaName(schema);
  return {
    sql: `select obj_description(to_regclass('${schema}.events'), 'pg_class') is not distinct from $1::text
            and (select encode(sha256(convert_to(p.prosrc, 'UTF8')), 'hex') from pg_proc p where p.oid = to_regprocedure('${schema}.${APPEND_FUNCTION}(jsonb)')) is not distinct from $2::text as current`,
    params: [statementsFingerprint(definitions(schema)), digest(appendFunctionBody(schema))],
  };
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

/** What a start compares to know DDL already ran: kept as a table's comment by the log and by the read models. */
export function statementsFingerprint(statements: readonly string[]): string {
  return digest(statements.join(';'));
}

/**
 * Appends in one server-side call, autocommit: the advisory lock is taken inside and held to the end
 * of the call's own transaction, so it is held for one round trip instead of four (begin, lock,
 * insert, commit). The call takes a list of appends (to different streams, from concurrent callers of
 * one process, see postgres-event-store.ts): they share the lock and one commit, each with its own
 * expected revision, tip check and outcome; an append refused does not stop the others.
 *
 * Under READ COMMITTED a statement's snapshot is taken when it starts, before a lock it waits for is
 * granted; the call's own statement therefore cannot see the previous append's commit. A VOLATILE
 * plpgsql function takes a fresh snapshot for each statement inside it, so the tip read that
 * follows the lock sees every append committed before the lock was granted (and the earlier appends
 * of the same call): the expected-revision check is exact and the tip is the true one.
 *
 * The hash chain is computed by the client (hash-chain.ts, canonical JSON and SHA-256) from the tip it
 * expects (`tipRevision`, `tipHash`; both null for a new stream). An append's events are written only
 * when that is the true tip; otherwise nothing of it is written and the true tip comes back
 * (`stale-tip`) for the client to seal again. An expected revision that does not hold answers
 * `conflict` with the actual revision. Inserting in the array's order makes positions follow the
 * events' order.
 *
 * `p_appends`: [{ stream, expected, tipRevision, tipHash, events: [{ id, revision, type, data,
 * metadata, prevHash, hash }] }]. Returns one row per append: (its number from 1, outcome, actual
 * revision, actual hash, last position), all but the number as text.
 */
function appendFunction(schema: string): string {
  return `create or replace function ${schema}.${APPEND_FUNCTION}(p_appends jsonb)
     returns table (append_no integer, outcome text, actual_revision text, actual_hash text, last_position text)
     language plpgsql volatile
     as $fn$${appendFunctionBody(schema)}$fn$`;
}

/** What PostgreSQL keeps as the function's source (pg_proc.prosrc): the text between the $fn$ quotes. */
function appendFunctionBody(schema: string): string {
  return `
     declare
       v_append jsonb;
       v_expected text;
       v_revision bigint;
       v_hash text;
       v_position bigint;
     begin
       perform pg_advisory_xact_lock(${APPEND_LOCK_CLASS}, hashtext('${schema}'));
       append_no := 0;
       for v_append in select a.value from jsonb_array_elements(p_appends) with ordinality as a(value, ord) order by a.ord loop
         append_no := append_no + 1;
         outcome := null; actual_revision := null; actual_hash := null; last_position := null;
         select e.revision, e.hash into v_revision, v_hash
           from ${schema}.events e where e.stream = v_append->>'stream' order by e.revision desc limit 1;
         v_expected := v_append->>'expected';
         if (v_expected = 'no-stream' and v_revision is not null)
            or (v_expected = 'stream-exists' and v_revision is null)
            or (v_expected not in ('no-stream', 'stream-exists', 'any') and v_revision is distinct from v_expected::bigint) then
           outcome := 'conflict'; actual_revision := v_revision::text; actual_hash := v_hash;
         elsif v_revision is distinct from (v_append->>'tipRevision')::bigint or v_hash is distinct from v_append->>'tipHash' then
           outcome := 'stale-tip'; actual_revision := v_revision::text; actual_hash := v_hash;
         else
           with inserted as (
             insert into ${schema}.events (stream, revision, id, type, data, metadata, prev_hash, hash)
             select v_append->>'stream', (e->>'revision')::bigint, (e->>'id')::uuid, e->>'type', e->'data', e->'metadata', e->>'prevHash', e->>'hash'
               from jsonb_array_elements(v_append->'events') with ordinality as t(e, ord)
              order by t.ord
             returning position)
           select max(i.position) into v_position from inserted i;
           outcome := 'appended'; last_position := v_position::text;
         end if;
         return next;
       end loop;
     end
     `;
}
