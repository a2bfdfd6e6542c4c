/**
 * `npm run cli -- audit verify|export`: prove the record intact, and hand it over as a bundle that
 * standard tools can check. The store comes from the environment (EVENT_STORE, DATA_DIR,
 * DATABASE_URL…); the embedded store's folder is owned by one process, so stop the api first
 * or point at PostgreSQL. Trust: TRUSTED_CA_DIR, CRL_DIR, CRL_ARCHIVE_DIR (default
 * DATA_DIR/trust-archive), and in local mode DATA_DIR/demo-pki when present.
 */
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { createEventStore, readModelConnection, type EventStore, type SqlExecutor } from '@atlauja/event-store';
import { READ_MODELS } from '@atlauja/projections';
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
import { CliError, cliConfiguration, command, exitWith, runProgram, type CliIo } from '../cli';

export type AuditIo = CliIo;

/** Failures printed one by one before the summary by code; the rest only with --all (or in --json). */
const FAILURES_SHOWN = 20;

/**
 * The read-model comparisons `audit verify` runs over the whole store: each live read model against
 * a replay of the log into a scratch database. Where no read models live beside the store (a store
 * the api never projected, or EventStoreDB without READ_DATABASE_URL) there is nothing to compare.
 */
export async function readModelComparisons(live: SqlExecutor | null, schema: string): Promise<ReadModelComparison[]> {
  if (!live) return [];
  const [{ exists }] = await live.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [`${schema}.projection_checkpoints`]);
  return exists ? [readModelReplay(READ_MODELS, live, schema)] : [];
}

/** The `audit` group: `verify` and `export`. */
export function auditCommand(io: CliIo): Command {
  const audit = command('audit', io).description('prove the record intact, and hand it over as a bundle that standard tools can check');
  const selection = (cmd: Command) =>
    cmd
      .option('--stream <stream>', 'one stream (e.g. application-<id>)')
      .option('--institution <regNo>', 'the streams of one institution (11 digits)')
      .option('--from <iso>', 'events from this date or instant')
      .option('--to <iso>', 'events up to this date or instant');
  selection(audit.command('verify'))
    .description('replay every selected stream through evolve and the machine, verify its hash chain, re-verify every stored signature and compare the read models with the log; exits 1 on any failure')
    .option('--bundle <dir>', 'check an exported bundle offline instead of the store')
    .option('--ca <dir>', "with --bundle: trust these anchors instead of the bundle's own")
    .option('--json', 'the whole report as JSON')
    .option('--all', 'print every failure, not only the first ' + FAILURES_SHOWN)
    .addHelpText('after', '\nenvironment: EVENT_STORE, DATA_DIR, DATABASE_URL, EVENTSTORE_URL, READ_DATABASE_URL, READ_MODEL_SCHEMA, TRUSTED_CA_DIR, CRL_DIR, CRL_ARCHIVE_DIR')
    .action(async (values: VerifyOptions, cmd: Command) => exitWith(cmd, await verify(values, io)));
  selection(audit.command('export'))
    .description('write a self-contained bundle: events.jsonl, signatures (.p7s beside .json), certificates, CRLs, manifest.json, SHA256SUMS')
    .addOption(new Option('--out <dir>', 'where to write the bundle').makeOptionMandatory())
    .action(async (values: SelectionOptions & { out: string }, cmd: Command) => exitWith(cmd, await exportCommand(values, io)));
  return audit;
}

export function run(args: string[], io: AuditIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  return runProgram(auditCommand(io), args, io);
}

interface SelectionOptions {
  stream?: string;
  institution?: string;
  from?: string;
  to?: string;
}

interface VerifyOptions extends SelectionOptions {
  bundle?: string;
  ca?: string;
  json?: boolean;
  all?: boolean;
}

async function verify(values: VerifyOptions, io: AuditIo): Promise<number> {
  if (values.bundle) {
    const anchors = values.ca ? loadTrustAnchors(resolve(values.ca)) : undefined;
    const report = verifyBundle(resolve(values.bundle), { anchors });
    const note = report.anchorsFrom === 'bundle' ? "anchors: the bundle's own (compare their SHA-256 with the official list, or pass --ca DIR)" : 'anchors: from --ca';
    return printReport(report, io, values, `bundle ${values.bundle}; ${note}`);
  }
  const selection = selectionOf(values);
  const { history, read } = trustOf(io);
  const config = cliConfiguration(io);
  const store = await openStore(io);
  // The read models are compared only when the whole store is verified: a selection's replay would not be theirs.
  const whole = !(selection.stream || selection.institution || selection.from || selection.to);
  // Their database as the api and the worker find it; a replay's statements get the rebuild's minute.
  const live = whole ? readModelConnection(store, config.store, config.readDatabaseUrl, 60_000) : null;
  try {
    const bar = progressBar(io.err as NodeJS.WriteStream);
    const report = await verifyStore(store, { selection, trust: history, readModels: await readModelComparisons(live?.sql ?? null, config.readModelSchema), onProgress: (d, t) => bar.update(d, t) });
    bar.finish();
    return printReport(report, io, values, `trust: ${history.anchors.length} anchor(s), ${history.crls.size} CRL(s) from ${read.join(', ') || 'nowhere'}`);
  } finally {
    await live?.release();
    await store.close();
  }
}

async function exportCommand(values: SelectionOptions & { out: string }, io: AuditIo): Promise<number> {
  const selection = selectionOf(values);
  if (!selection.stream && !selection.institution && !selection.from && !selection.to) {
    throw new CliError('export needs --stream, --institution or a period (--from/--to)', 2);
  }
  const store = await openStore(io);
  try {
    const { manifest, warnings } = await exportBundle(store, resolve(values.out), { selection, trust: trustOf(io).history });
    for (const warning of warnings) io.err.write(`warning: ${warning}\n`);
    const events = manifest.streams.reduce((n, s) => n + s.events, 0);
    io.out.write(`audit export: ${manifest.streams.length} stream(s), ${events} event(s), ${manifest.signatures.length} signature(s) -> ${values.out}\n`);
    io.out.write(`check it: cd ${values.out} && sha256sum -c SHA256SUMS\n`);
    return 0;
  } finally {
    await store.close();
  }
}

function printReport(report: AuditReport, io: AuditIo, options: { json?: boolean; all?: boolean }, context: string): number {
  if (options.json) {
    io.out.write(JSON.stringify(report, null, 2) + '\n');
    return report.failures.length === 0 ? 0 : 1;
  }
  const readModels = report.readModelsCompared.length ? report.readModelsCompared.join(', ') : 'not compared';
  io.out.write(
    `audit verify: ${report.streams} stream(s), ${report.events} event(s), ${report.signatures.checked} signature(s) (${report.signatures.valid} valid), ` +
      `${report.failures.length} failure(s)\n${context}\nread models: ${readModels}\n`,
  );
  if (report.failures.length === 0) return 0;
  const shown = options.all ? report.failures : report.failures.slice(0, FAILURES_SHOWN);
  for (const finding of shown) io.out.write(`  FAIL ${findingLine(finding)}\n`);
  if (shown.length < report.failures.length) io.out.write(`  … and ${report.failures.length - shown.length} more (--all or --json lists every one)\n`);
  // The summary: how many of each kind, most frequent first, so a big store's report reads in one screen.
  const byCode = new Map<string, { kind: string; count: number; streams: Set<string> }>();
  for (const f of report.failures) {
    const key = `${f.kind} ${f.code}`;
    const entry = byCode.get(key) ?? { kind: f.kind, count: 0, streams: new Set<string>() };
    entry.count += 1;
    if (f.stream) entry.streams.add(f.stream);
    byCode.set(key, entry);
  }
  io.out.write('failures by code:\n');
  for (const [key, { count, streams }] of [...byCode].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))) {
    io.out.write(`  ${key.padEnd(40)} ${String(count).padStart(8)}  in ${streams.size} stream(s)\n`);
  }
  return 1;
}

function selectionOf(values: { stream?: string; institution?: string; from?: string; to?: string }): StreamSelection {
  const instant = (name: string, text: string | undefined): Date | undefined => {
    if (text === undefined) return undefined;
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw new CliError(`--${name} must be an ISO date or instant (got "${text}")`, 2);
    return date;
  };
  if (values.stream && values.institution) throw new CliError('give --stream or --institution, not both', 2);
  if (values.institution && !/^\d{11}$/.test(values.institution)) throw new CliError('--institution is an 11-digit registration number', 2);
  return { stream: values.stream, institution: values.institution, from: instant('from', values.from), to: instant('to', values.to) };
}

function trustOf(io: AuditIo): { history: TrustHistory; read: string[] } {
  const config = cliConfiguration(io);
  return loadTrustHistory({
    trustedCaDir: config.trustedCaDir,
    crlDir: config.crlDir,
    trustedListFile: config.trustedList?.file,
    archiveDir: config.crlArchiveDir,
    demoPkiDir: join(config.dataDir, 'demo-pki'),
  });
}

function openStore(io: AuditIo): Promise<EventStore> {
  return createEventStore(cliConfiguration(io).store);
}
