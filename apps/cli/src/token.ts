/**
 * `npm run token -- --role representative --institution 90000000001 --personal-code 010190-12345`
 * mints a bearer token from the local-mode issuer (its key lives in DATA_DIR/auth). Local mode only.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { LocalTokenIssuer, ROLES, Role } from '@atlauja/auth';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      institution: { type: 'string', multiple: true },
      'personal-code': { type: 'string' },
      service: { type: 'string' },
      'ttl-hours': { type: 'string', default: '8' },
    },
  });
  const roles = (values.role ?? []) as Role[];
  if (roles.length === 0 || !roles.every((r) => ROLES.includes(r))) fail(`--role is required, one or more of: ${ROLES.join(', ')}`);
  const subject = values['personal-code'] ?? values.service;
  if (!subject) fail('--personal-code is required (or --service for a machine caller)');
  if (process.env.MODE === 'server') fail('tokens are minted by the OIDC issuer in server mode');
  const issuer = await LocalTokenIssuer.open(resolve(process.env.DATA_DIR ?? './data'));
  const token = await issuer.mint(
    { subject: subject!, roles, institutions: values.institution ?? [], ...(values.service ? { service: values.service } : {}) },
    Number(values['ttl-hours']) * 3600,
  );
  process.stdout.write(token + '\n');
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

void main();
