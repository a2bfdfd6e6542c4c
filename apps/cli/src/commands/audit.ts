/**
 * `npm run cli -- audit verify|export`: prove the record intact, and hand it over as a bundle that
 * standard tools can check. The store comes from the environment (EVENT_STORE, DATA_DIR,
 * DATABASE_URL…); the embedded store's folder is owned by one process, so stop the api first
 * or point at PostgreSQL. Trust: TRUSTED_CA_DIR, CRL_DIR, CRL_ARCHIVE_DIR (default
 * DATA_DIR/trust-archive), and in local mode DATA_DIR/demo-pki when present.
 */
import { loadEventStoreConfig } from '@atlauja/config';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createEventStore, createPgDriver, DEFAULT_DATA_DIR, PostgresEventStore, type EventStore, type SqlExecutor } from '@atlauja/event-store';
import { DEFAULT_READ_MODEL_SCHEMA, READ_MODELS } from '@atlauja/projections';
import { loadTrustAnchors } from '@atlauja/signatures';
import {
  exportBundle,
  findingLine,
  loadTrustHistory,
  progressBar,
  readModelReplay,
  verifyBundle,
  verifyStore,
  type AuditReport,
  type ReadModelComparison,
  type StreamSelection,
  type TrustHistory,
} from '@atlauja/audit';

export const usage = `usage:
  npm run cli -- audit verify [--stream S | --institution N] [--from ISO] [--to ISO] [--json]
      replays every selected stream through evolve and the machine, verifies its hash chain and
      re-verifies every stored signature; exits 1 on any failure
  npm run cli -- audit verify --bundle DIR [--ca DIR] [--json]
      checks an exported bundle offline (with the anchors of --ca, else the bundle's own)
  npm run cli -- audit export --out DIR (--stream S | --institution N | --from ISO [--to ISO])
      writes a self-contained bundle: events.jsonl, signatures (.p7s beside .json), certificates,
      CRLs, manifest.json, SHA256SUMS
environment: EVENT_STORE, DATA_DIR, DATABASE_URL, EVENTSTORE_URL, TRUSTED_CA_DIR, CRL_DIR, CRL_ARCHIVE_DIR`;

export interface AuditIo {
  env: Record<string, string | undefined>;
  out: { write(text: string): unknown };
  err: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean };
}

class UsageError extends Error {}

/**
 * The read-model comparisons `audit verify` runs over the whole store: each live read model against
 * a replay of the log into a scratch database. Where no read models live beside the store (a store
 * the api never projected, or EventStoreDB without READ_DATABASE_URL) there is nothing to compare.
 */
export async function readModelComparisons(store: EventStore, env: Record<string, string | undefined>): Promise<ReadModelComparison[]> {
  const live: SqlExecutor | undefined = env.READ_DATABASE_URL
    ? createPgDriver({ connectionString: env.READ_DATABASE_URL, connectionTimeoutMs: 5000 })
    : store instanceof PostgresEventStore
      ? store.sql
      : undefined;
  if (!live) return [];
  const schema = env.READ_MODEL_SCHEMA || DEFAULT_READ_MODEL_SCHEMA;
  const [{ exists }] = await live.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [`${schema}.projection_checkpoints`]);
  return exists ? [readModelReplay(READ_MODELS, live, schema)] : [];
}

export async function run(args: string[], io: AuditIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  try {
    const [command, ...rest] = args;
    if (command === 'verify') return await verify(rest, io);
    if (command === 'export') return await exportCommand(rest, io);
    throw new UsageError(`unknown audit command "${command ?? ''}"`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err.write(`${error.message}\n${usage}\n`);
    return 2;
  }
}

const SELECTION_OPTIONS = {
  stream: { type: 'string' },
  institution: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

async function verify(args: string[], io: AuditIo): Promise<number> {
  const { values } = parsing(() => parseArgs({ args, strict: true, options: { ...SELECTION_OPTIONS, bundle: { type: 'string' }, ca: { type: 'string' }, json: { type: 'boolean' } } }));
  if (values.bundle) {
    const anchors = values.ca ? loadTrustAnchors(resolve(values.ca)) : undefined;
    const report = verifyBundle(resolve(values.bundle), { anchors });
    const note = report.anchorsFrom === 'bundle' ? "anchors: the bundle's own (compare their SHA-256 with the official list, or pass --ca DIR)" : 'anchors: from --ca';
    return printReport(report, io, !!values.json, `bundle ${values.bundle}; ${note}`);
  }
  const selection = selectionOf(values);
  const { history, read } = trustOf(io.env);
  const store = await openStore(io.env);
  try {
    const bar = progressBar(io.err as NodeJS.WriteStream);
    const report = await verifyStore(store, { selection, trust: history, readModels: selection.stream || selection.institution || selection.from || selection.to ? [] : await readModelComparisons(store, io.env), onProgress: (d, t) => bar.update(d, t) });
    bar.finish();
    return printReport(report, io, !!values.json, `trust: ${history.anchors.length} anchor(s), ${history.crls.size} CRL(s) from ${read.join(', ') || 'nowhere'}`);
  } finally {
    await store.close();
  }
}

async function exportCommand(args: string[], io: AuditIo): Promise<number> {
  const { values } = parsing(() => parseArgs({ args, strict: true, options: { ...SELECTION_OPTIONS, out: { type: 'string' } } }));
  if (!values.out) throw new UsageError('--out DIR is required');
  const selection = selectionOf(values);
  if (!selection.stream && !selection.institution && !selection.from && !selection.to) {
    throw new UsageError('export needs --stream, --institution or a period (--from/--to)');
  }
  const store = await openStore(io.env);
  try {
    const { manifest, warnings } = await exportBundle(store, resolve(values.out), { selection, trust: trustOf(io.env).history });
    for (const warning of warnings) io.err.write(`warning: ${warning}\n`);
    const events = manifest.streams.reduce((n, s) => n + s.events, 0);
    io.out.write(`audit export: ${manifest.streams.length} stream(s), ${events} event(s), ${manifest.signatures.length} signature(s) -> ${values.out}\n`);
    io.out.write(`check it: cd ${values.out} && sha256sum -c SHA256SUMS\n`);
    return 0;
  } finally {
    await store.close();
  }
}

function printReport(report: AuditReport, io: AuditIo, json: boolean, context: string): number {
  if (json) {
    io.out.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const readModels = report.readModelsCompared.length ? report.readModelsCompared.join(', ') : 'not compared (waiting for libs/projections)';
    io.out.write(
      `audit verify: ${report.streams} stream(s), ${report.events} event(s), ${report.signatures.checked} signature(s) (${report.signatures.valid} valid), ` +
        `${report.failures.length} failure(s)\n${context}\nread models: ${readModels}\n`,
    );
    for (const finding of report.failures) io.out.write(`  FAIL ${findingLine(finding)}\n`);
  }
  return report.failures.length === 0 ? 0 : 1;
}

/** parseArgs' own messages name the option ("Unknown option '--x'"): a usage error. */
function parsing<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function selectionOf(values: { stream?: string; institution?: string; from?: string; to?: string }): StreamSelection {
  const instant = (name: string, text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO date or instant (got "${text}")`);
    return date;
  };
  if (values.stream && values.institution) throw new UsageError('give --stream or --institution, not both');
  if (values.institution && !/^\d{11}$/.test(values.institution)) throw new UsageError('--institution is an 11-digit registration number');
  return { stream: values.stream, institution: values.institution, from: instant('from', values.from), to: instant('to', values.to) };
}

function trustOf(env: Record<string, string | undefined>): { history: TrustHistory; read: string[] } {
  const dataDir = resolve(env.DATA_DIR || DEFAULT_DATA_DIR);
  return loadTrustHistory({
    trustedCaDir: env.TRUSTED_CA_DIR || undefined,
    crlDir: env.CRL_DIR || undefined,
    archiveDir: env.CRL_ARCHIVE_DIR || join(dataDir, 'trust-archive'),
    demoPkiDir: join(dataDir, 'demo-pki'),
  });
}

function openStore(env: Record<string, string | undefined>): Promise<EventStore> {
  return createEventStore(loadEventStoreConfig(env));
}
