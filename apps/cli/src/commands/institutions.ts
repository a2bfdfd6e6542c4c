/**
 * `npm run cli -- institutions import FILE`: imports an institution list (CSV in the shape of the
 * public list of public persons and institutions; columns in docs/institutions.md) into the registry.
 * Idempotent: unchanged rows record nothing, so a second run of the same file appends nothing.
 * The file is UTF-8 or Windows-1257 (what Latvian spreadsheets export), read with csv-parse: a
 * malformed file is refused with the line at fault, never half-read.
 * Writes to the store of the environment (EVENT_STORE, DATA_DIR, DATABASE_URL…); the embedded
 * store's folder is owned by one process, so stop the api first, point at PostgreSQL, or pass --url
 * to import through a running local-mode api.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import { LocalTokenIssuer } from '@atlauja/auth';
import { importInstitutionList, importReportLines, type ImportReport } from '@atlauja/commands';
import { CSV_ENCODINGS, decodeText, type CsvEncoding } from '@atlauja/csv';
import { createEventStore } from '@atlauja/event-store';
import { rigaInstantOf } from '@atlauja/projections';
import { callService, CliError, cliConfiguration, command, exitWith, runProgram, type CliIo } from '../cli';

export type InstitutionsIo = CliIo;

const IMPORT_ACTOR = { id: 'system:institution-import', role: 'system' } as const;
/** The local administrator the --url mode acts as: a new-format code, no birth date (fictional). */
const LOCAL_ADMIN_CODE = '329999-00009';

interface ImportOptions {
  dryRun?: boolean;
  json?: boolean;
  url?: string;
  encoding: CsvEncoding;
}

export function institutionsCommand(io: CliIo): Command {
  const institutions = command('institutions', io).description('the institution registry');
  institutions
    .command('import')
    .description('import the CSV list FILE into the registry; prints what was registered, updated, left unchanged or refused (with the rule); a second run of the same file appends nothing')
    .argument('<file>', 'the CSV list (UTF-8 or Windows-1257; ; or , separated)')
    .option('--dry-run', 'plan and check only; append nothing')
    .option('--json', 'the report as JSON')
    .option('--url <url>', 'post to a running local-mode api as a local administrator instead of writing to the store')
    .addOption(new Option('--encoding <encoding>', 'the file encoding').choices([...CSV_ENCODINGS]).default('auto'))
    .addHelpText('after', '\nWithout --url it writes to the store of the environment (EVENT_STORE, DATA_DIR, DATABASE_URL): stop a local-mode api first.')
    .action(async (file: string, options: ImportOptions, cmd: Command) => exitWith(cmd, await importFile(file, options, io)));
  return institutions;
}

export function run(args: string[], io: InstitutionsIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  return runProgram(institutionsCommand(io), args, io);
}

async function importFile(file: string, options: ImportOptions, io: CliIo): Promise<number> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`no file ${path}`);
  let csv: string;
  let encoding: string;
  try {
    ({ text: csv, encoding } = decodeText(readFileSync(path), options.encoding));
  } catch (error) {
    throw new CliError(`${file}: ${(error as Error).message}`);
  }
  const dryRun = options.dryRun === true;
  const report = options.url ? await viaApi(options.url, csv, dryRun, io) : await viaStore(csv, dryRun, io);
  if (options.json) io.out.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.out.write(`${file} (${encoding}):\n${importReportLines(report, dryRun).join('\n')}\n`);
  return report.refused.length > 0 || report.problems.length > 0 ? 1 : 0;
}

async function viaStore(csv: string, dryRun: boolean, io: CliIo): Promise<ImportReport> {
  const store = await createEventStore(cliConfiguration(io).store);
  try {
    const now = new Date();
    // No read model here: the import reads each listed institution's own stream, and holders are not asked.
    return await importInstitutionList(csv, { store, holdersAt: async () => [] }, {
      actor: IMPORT_ACTOR,
      now,
      at: rigaInstantOf(now),
      correlationId: `institution-import-${now.getTime().toString(36)}`,
      dryRun,
    });
  } finally {
    await store.close();
  }
}

async function viaApi(url: string, csv: string, dryRun: boolean, io: CliIo): Promise<ImportReport> {
  const config = cliConfiguration(io);
  if (!existsSync(join(config.dataDir, 'auth'))) {
    throw new CliError(`no token key in ${join(config.dataDir, 'auth')}: run with the DATA_DIR of the local-mode api at ${url}`);
  }
  const issuer = await LocalTokenIssuer.open(config.dataDir);
  const token = await issuer.mint({ subject: LOCAL_ADMIN_CODE, roles: ['admin'], institutions: [] });
  const res = await callService(url, '/institutions/import', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ csv, ...(dryRun && { dryRun }) }),
  });
  const body = (await res.json()) as ImportReport & { detail?: string };
  if (!res.ok) throw new CliError(`POST ${url}/institutions/import answered ${res.status}: ${body.detail ?? JSON.stringify(body)}`);
  return body;
}
