/**
 * `npm run cli -- trust reload`: asks the running api to read TRUSTED_CA_DIR and CRL_DIR now
 * (POST /admin/trust/reload), so a certificate just put on a CRL is refused from the next signature
 * on, without waiting for TRUST_REFRESH_SECONDS. As an administrator: the bearer token from
 * --token-file (server mode: a token of the identity provider, kept out of the command line), or,
 * against a local-mode api, one minted with the token key in DATA_DIR. Each replica reads its own
 * folders: with several, call each (--url).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { LocalTokenIssuer } from '@atlauja/auth';
import { callService, CliError, cliConfiguration, command, exitWith, type CliIo } from '../cli';

/** The local administrator a local-mode reload acts as: a new-format code, no birth date (fictional). */
const LOCAL_ADMIN_CODE = '329999-00009';

interface ReloadOptions {
  url?: string;
  tokenFile?: string;
  json?: boolean;
}

interface Reloaded {
  reloadedAt: string;
  anchors: { subject: string; sha256: string }[];
  crls: { issuer: string; number?: string; thisUpdate: string; nextUpdate?: string; sha256: string }[];
}

export function trustCommand(io: CliIo): Command {
  const trust = command('trust', io).description('the trust in force: qualified CA certificates (TRUSTED_CA_DIR) and their CRLs (CRL_DIR)');
  trust
    .command('reload')
    .description('make the running api read the trust folders now (a revocation counts at once); prints the anchors and CRLs in force')
    .option('--url <url>', 'the api (default: API_URL, else http://HOST:PORT of the configuration)')
    .option('--token-file <file>', "a file holding an administrator's bearer token (server mode); without it, local mode mints one from DATA_DIR")
    .option('--json', 'the answer as JSON')
    .addHelpText('after', '\nUzticamības sarakstu pārlasīšana tagad (administratoram). / Reload trust now (administrators).')
    .action(async (options: ReloadOptions, cmd: Command) => exitWith(cmd, await reload(options, io)));
  return trust;
}

async function reload(options: ReloadOptions, io: CliIo): Promise<number> {
  const config = cliConfiguration(io);
  const base = (options.url ?? config.apiUrl).replace(/\/$/, '');
  const token = await adminToken(options, config.mode, config.dataDir);
  const res = await callService(base, '/admin/trust/reload', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json().catch(() => ({}))) as Reloaded & { code?: string; detail?: string; title?: string };
  if (!res.ok) throw new CliError(`POST ${base}/admin/trust/reload answered ${res.status}${body.code ? ` ${body.code}` : ''}: ${body.detail ?? body.title ?? ''}`);
  if (options.json) {
    io.out.write(`${JSON.stringify(body, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `trust reloaded at ${body.reloadedAt}: ${body.anchors.length} anchor(s), ${body.crls.length} CRL(s)`,
    ...body.anchors.map((anchor) => `  anchor ${anchor.subject} (sha256 ${anchor.sha256.slice(0, 16)}…)`),
    ...body.crls.map((crl) => `  CRL ${crl.number ?? '-'} of ${crl.issuer}, ${crl.thisUpdate} – ${crl.nextUpdate ?? 'no nextUpdate'}`),
  ];
  io.out.write(`${lines.join('\n')}\n`);
  return 0;
}

async function adminToken(options: ReloadOptions, mode: string, dataDir: string): Promise<string> {
  if (options.tokenFile) {
    const path = resolve(options.tokenFile);
    if (!existsSync(path)) throw new CliError(`no token file ${path}`);
    const token = readFileSync(path, 'utf8').trim();
    if (!token) throw new CliError(`the token file ${path} is empty`);
    return token;
  }
  if (mode === 'server') throw new CliError("server mode: pass --token-file with an administrator's bearer token", 2);
  if (!existsSync(join(dataDir, 'auth'))) throw new CliError(`no token key in ${join(dataDir, 'auth')}: run with the DATA_DIR of the local-mode api, or pass --token-file`);
  const issuer = await LocalTokenIssuer.open(dataDir);
  return issuer.mint({ subject: LOCAL_ADMIN_CODE, roles: ['admin'], institutions: [] });
}
