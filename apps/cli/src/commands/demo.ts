/**
 * `npm run demo`: against a running local-mode service (`npm start`), takes one application from
 * draft to approved with the local DEMO signer, and prints its history. It reads the token key and
 * the demo PKI from DATA_DIR (default ./data), as the service does.
 */
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { resolve } from 'node:path';
import { LocalTokenIssuer } from '@atlauja/auth';
import { ensureDemoPki, signDetachedCades } from '@atlauja/signatures';
import { DEMO_REPRESENTATIVE_CODE } from '../../../api/src/store/trust-material';

export const usage = `npm run demo [-- --url http://127.0.0.1:3000]
  Drafts, submits, signs (DEMO signer), claims and approves one application on a running local-mode
  service, then prints its history. Start the service first with: npm start`;

/** A demo approver: a different person from the representative (four eyes). New-format code, no birth date. */
const DEMO_APPROVER_CODE = '329999-00002';
const MINISTRY = '90000000001';

export async function run(args: string[]): Promise<number> {
  const urlIndex = args.indexOf('--url');
  const base = (urlIndex >= 0 ? args[urlIndex + 1] : process.env.API_URL) ?? 'http://127.0.0.1:3000';
  const dataDir = resolve(process.env.DATA_DIR ?? './data');
  if (process.env.MODE === 'server') {
    console.error('the demo runs against local mode only (it uses the DEMO signer and the local token issuer)');
    return 2;
  }
  const issuer = await LocalTokenIssuer.open(dataDir);
  const representative = await issuer.mint({ subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [MINISTRY] });
  const approver = await issuer.mint({ subject: DEMO_APPROVER_CODE, roles: ['approver'], institutions: [] });
  const pki = ensureDemoPki(dataDir, DEMO_REPRESENTATIVE_CODE);

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const step = (text: string) => console.log(`- ${text}`);

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
  console.log(`\nHistory of application ${id}:`);
  for (const e of history.events) console.log(`  ${e.revision.padStart(2)}  ${e.occurredAt}  ${e.type.padEnd(22)} by ${e.actor}  hash ${e.hash.slice(0, 16)}…`);
  const state = await call(approver, 'GET', `/applications/${id}`);
  console.log(`\nStatus: ${state.status}`);
  return 0;
}
