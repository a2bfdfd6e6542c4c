/**
 * `npm run demo`: against a running local-mode service (`npm start`), takes one application from
 * draft to approved with the local DEMO signer, and prints its history. It uses the token key and
 * the demo PKI the service keeps in DATA_DIR and never makes keys of its own: a DATA_DIR without
 * them is not the service's, and the demo says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { join } from 'node:path';
import { Command } from 'commander';
import { LocalTokenIssuer } from '@atlauja/auth';
import { ensureDemoPki, signDetachedCades } from '@atlauja/signatures';
import { DEMO_REPRESENTATIVE_CODE } from '../../../api/src/store/trust-material';
import { callService, CliError, cliConfiguration, command, exitWith, runProgram, type CliIo } from '../cli';

/** A demo approver: a different person from the representative (four eyes). New-format code, no birth date. */
const DEMO_APPROVER_CODE = '329999-00002';
const MINISTRY = '90000000001';

export function demoCommand(io: CliIo): Command {
  return command('demo', io)
    .description('draft, submit, sign (DEMO signer), claim and approve one application on a running local-mode service, then print its history')
    .option('--url <url>', 'the service (default: API_URL, else http://HOST:PORT of the configuration)')
    .addHelpText('after', '\nStart the service first with: npm start. The demo uses the token key and demo PKI in DATA_DIR (default ./data): run it with the DATA_DIR the service uses.')
    .action(async (options: { url?: string }, cmd: Command) => exitWith(cmd, await demo(options, io)));
}

export function run(args: string[], io: CliIo = { env: process.env, out: process.stdout, err: process.stderr }): Promise<number> {
  return runProgram(demoCommand(io), args, io);
}

async function demo(options: { url?: string }, io: CliIo): Promise<number> {
  const config = cliConfiguration(io);
  if (config.mode === 'server') throw new CliError('the demo runs against local mode only (it uses the DEMO signer and the local token issuer)', 2);
  const base = (options.url ?? config.apiUrl).replace(/\/$/, '');
  const keyFile = join(config.dataDir, 'auth', 'local-issuer.jwk.json');
  const signerKey = join(config.dataDir, 'demo-pki', 'private', 'demo-signer.key');
  if (!existsSync(keyFile) || !existsSync(signerKey)) {
    throw new CliError(`${config.dataDir} holds no token key or demo signer of a local-mode service — start it with npm start (it makes them there), or set DATA_DIR to the service's`);
  }
  const health = await callService(base, '/health', { method: 'GET' });
  if (!health.ok) throw new CliError(`the service at ${base} answered /health with ${health.status}: is it Atļauja? pass --url`);

  const issuer = await LocalTokenIssuer.open(config.dataDir);
  const representative = await issuer.mint({ subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [MINISTRY] });
  const approver = await issuer.mint({ subject: DEMO_APPROVER_CODE, roles: ['approver'], institutions: [] });
  const pki = ensureDemoPki(config.dataDir, DEMO_REPRESENTATIVE_CODE);

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await callService(base, path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status === 401) throw new CliError(`the service at ${base} does not accept tokens signed with the key in ${join(config.dataDir, 'auth')}: run the demo with the DATA_DIR the service uses`);
    if (!res.ok) throw new CliError(`${method} ${path} -> ${res.status}: ${String(json.detail ?? json.title ?? JSON.stringify(json))}`);
    return json;
  };
  const step = (text: string) => io.out.write(`- ${text}\n`);

  const drafted = await call(representative, 'POST', '/applications', {
    kind: 'new-user',
    institution: MINISTRY,
    user: { givenName: 'Līga', surname: 'Ozoliņa', personalCode: '329999-00003', email: 'liga.ozolina@ministrija.example' },
    term: { kind: 'after-last-login', months: 18 },
    justification: 'Oversees the subordinate institutions\' estimates and prepares the ministry\'s own.',
  });
  const id = drafted.applicationId as string;
  step(`drafted application ${id}`);
  await call(representative, 'PUT', `/applications/${id}/rights`, {
    rights: [
      { kind: 'resort', resort: MINISTRY, groups: ['VIEW'] },
      { kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] },
    ],
  });
  step('rights set: {resort of the ministry: VIEW} + {the ministry: MANAGE}');
  await call(representative, 'POST', `/applications/${id}/submit`);
  const document = await call(representative, 'GET', `/applications/${id}/document`);
  step(`submitted; document to sign has SHA-256 ${document.sha256}`);
  const signature = signDetachedCades(Buffer.from(document.contentBase64 as string, 'base64'), {
    key: createPrivateKey(readFileSync(pki.signerKeyPath)),
    certificate: readFileSync(pki.signerCertificatePath),
    signingTime: new Date(),
  });
  await call(representative, 'POST', `/applications/${id}/signature`, { signature: signature.toString('base64') });
  step('signed with the DEMO qualified-shaped certificate (CAdES-BES, detached) and verified by the service');
  await call(approver, 'POST', `/applications/${id}/claim`);
  await call(approver, 'POST', `/applications/${id}/approve`);
  step('claimed and approved by an approver (another person: four eyes)');

  const history = (await call(approver, 'GET', `/applications/${id}/events`)) as { events: { revision: string; type: string; occurredAt: string; actor: string; hash: string }[] };
  io.out.write(`\nHistory of application ${id}:\n`);
  for (const e of history.events) io.out.write(`  ${e.revision.padStart(2)}  ${e.occurredAt}  ${e.type.padEnd(22)} by ${e.actor}  hash ${e.hash.slice(0, 16)}…\n`);
  const state = await call(approver, 'GET', `/applications/${id}`);
  io.out.write(`\nStatus: ${state.status} (service ${base}, DATA_DIR ${config.dataDir})\n`);
  return 0;
}
