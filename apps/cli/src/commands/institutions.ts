/**
 * `npm run cli -- institutions import FILE`: imports an institution list (CSV in the shape of the
 * public list of public persons and institutions; columns in docs/institutions.md) into the registry.
 * Idempotent: unchanged rows record nothing, so a second run of the same file appends nothing.
 * Prints what changed. Writes to the store from the environment (EVENT_STORE, DATA_DIR, DATABASE_URL…);
 * the embedded store's folder is owned by one process, so stop the api first, point at PostgreSQL,
 * or pass --url to import through a running local-mode api.
 */
import { loadEventStoreConfig } from '@atlauja/config';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { LocalTokenIssuer } from '@atlauja/auth';
import { createEventStore, DEFAULT_DATA_DIR } from '@atlauja/event-store';
import { importInstitutionList, importReportLines, type ImportReport } from '../../../api/src/institutions/institution-import';
import { RegistryIndex } from '../../../api/src/institutions/registry-index';
import { RegistryStreams } from '../../../api/src/institutions/registry-streams';
import { rigaInstant } from '../../../api/src/store/riga-time';

export const usage = `usage:
  npm run cli -- institutions import FILE [--dry-run] [--json] [--url http://127.0.0.1:3000]
      imports the CSV list FILE into the institution registry; prints what was registered, updated,
      left unchanged or refused (with the rule); a second run of the same file appends nothing.
      Without --url it writes to the store of the environment (stop a local-mode api first);
      with --url it posts to a running local-mode api as a local administrator.
environment: EVENT_STORE, DATA_DIR, DATABASE_URL, EVENTSTORE_URL`;

export interface InstitutionsIo {
  env: Record<string, string | undefined>;
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

const IMPORT_ACTOR = { id: 'system:institution-import', role: 'system' } as const;
/** The local administrator the --url mode acts as: a new-format code, no birth date (fictional). */
const LOCAL_ADMIN_CODE = '329999-00009';

export async function run(args: string[], io: InstitutionsIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'import') {
    io.err.write(`unknown institutions command "${command ?? ''}"\n${usage}\n`);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, url: { type: 'string' } } });
  } catch (error) {
    io.err.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  const [file] = parsed.positionals;
  if (!file) {
    io.err.write(`the CSV file is required\n${usage}\n`);
    return 2;
  }
  const csv = readFileSync(resolve(file), 'utf8');
  const dryRun = parsed.values['dry-run'] === true;
  const report = parsed.values.url ? await viaApi(parsed.values.url, csv, dryRun, io) : await viaStore(csv, dryRun, io);
  io.out.write(parsed.values.json ? `${JSON.stringify(report, null, 2)}\n` : `${importReportLines(report, dryRun).join('\n')}\n`);
  return report.refused.length > 0 || report.problems.length > 0 ? 1 : 0;
}

async function viaStore(csv: string, dryRun: boolean, io: InstitutionsIo): Promise<ImportReport> {
  const store = await createEventStore(loadEventStoreConfig({ ...io.env, DATA_DIR: io.env.DATA_DIR ?? DEFAULT_DATA_DIR }));
  try {
    const source = { store };
    return await importInstitutionList(csv, new RegistryIndex(source), new RegistryStreams(source), {
      actor: IMPORT_ACTOR,
      at: rigaInstant(new Date()),
      correlationId: `institution-import-${Date.now().toString(36)}`,
      dryRun,
    });
  } finally {
    await store.close();
  }
}

async function viaApi(url: string, csv: string, dryRun: boolean, io: InstitutionsIo): Promise<ImportReport> {
  const issuer = await LocalTokenIssuer.open(resolve(io.env.DATA_DIR ?? './data'));
  const token = await issuer.mint({ subject: LOCAL_ADMIN_CODE, roles: ['admin'], institutions: [] });
  const res = await fetch(`${url.replace(/\/$/, '')}/institutions/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ csv, ...(dryRun && { dryRun }) }),
  });
  const body = (await res.json()) as ImportReport;
  if (!res.ok) throw new Error(`POST /institutions/import -> ${res.status}: ${JSON.stringify(body)}`);
  return body;
}
