/**
 * The comparison `audit verify` runs over the read models: replay the log, for each model up to the
 * position the live model has reached, into a scratch database in memory (PGlite, opened once for
 * all models, the log read once), and compare every table's rows with the live ones. A difference
 * is a projection bug or a read model changed behind the projections' back; either way the live
 * model no longer is what the log says.
 */
import { EventStore, openPgliteDriver, SqlExecutor } from '@atlauja/event-store';
import { Projection, readCheckpoints } from '@atlauja/projections';
import type { Finding } from './findings';
import type { ReadModelComparison } from './read-models';

const PAGE = 1000;

/** The rows of a table as canonical JSON text, sorted: equal sets of rows give equal lists. */
async function rowsOf(sql: SqlExecutor, schema: string, table: string): Promise<string[]> {
  const rows = await sql.query<{ row: string }>(`select to_jsonb(t)::text as row from ${schema}.${table} t`);
  return rows.map((r) => JSON.stringify(sortKeys(JSON.parse(r.row)))).sort();
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function difference(expected: string[], actual: string[]): { missing: number; extra: number } {
  const have = new Set(actual);
  const want = new Set(expected);
  return { missing: expected.filter((row) => !have.has(row)).length, extra: actual.filter((row) => !want.has(row)).length };
}

/** The kind of failure, without the database's message (it may quote the value, a personal code included). */
function replayError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `SQLSTATE ${code}` : (error as Error).name;
}

export function readModelReplay(projections: readonly Projection[], live: SqlExecutor, liveSchema: string): ReadModelComparison {
  return {
    name: projections.map((p) => p.name).join(', '),
    async compare(store: EventStore): Promise<Finding[]> {
      const checkpoints = await readCheckpoints(live, liveSchema);
      const findings: Finding[] = [];
      const replayed = projections.flatMap((projection) => {
        const checkpoint = checkpoints.get(projection.name);
        if (checkpoint) return [{ projection, upTo: checkpoint.position, schema: `audit_replay_${projection.name}` }];
        findings.push({ kind: 'read-model', code: 'READ_MODEL_MISSING', message: `${projection.name} has no checkpoint in ${liveSchema}` });
        return [];
      });
      const scratch = await openPgliteDriver(':memory:');
      try {
        for (const { projection, schema } of replayed) {
          await scratch.query(`create schema ${schema}`);
          for (const statement of projection.ddl(schema)) await scratch.query(statement);
        }
        const end = replayed.reduce((max, r) => (r.upTo > max ? r.upTo : max), 0n);
        const failed = new Set<string>();
        for (let from = 0n; from < end; ) {
          const page = await store.readAll(from, PAGE);
          if (page.length === 0) break;
          for (const { projection, schema, upTo } of replayed) {
            if (failed.has(projection.name)) continue;
            const events = page.filter((e) => e.position <= upTo);
            if (events.length === 0) continue;
            try {
              await scratch.transaction((tx) => projection.applyBatch(tx, schema, events));
            } catch (error) {
              // A stored event the projection cannot apply (a time that is no time): named, that model not compared.
              failed.add(projection.name);
              findings.push({ kind: 'read-model', code: 'READ_MODEL_REPLAY_FAILED', message: `${projection.name} could not be replayed from the log (events at positions ${events[0].position}–${events[events.length - 1].position}: ${replayError(error)}); the audit of each stream names what it cannot read` });
            }
          }
          from = page[page.length - 1].position;
        }
        for (const { projection, schema, upTo } of replayed.filter((r) => !failed.has(r.projection.name))) {
          for (const table of projection.tables) {
            const { missing, extra } = difference(await rowsOf(scratch, schema, table), await rowsOf(live, liveSchema, table));
            if (missing + extra === 0) continue;
            findings.push({
              kind: 'read-model',
              code: 'READ_MODEL_DIFFERS',
              message: `${projection.name}.${table} at position ${upTo}: ${missing} row(s) the log implies are missing or changed, ${extra} row(s) the log does not imply`,
            });
          }
        }
        return findings;
      } finally {
        await scratch.close();
      }
    },
  };
}
