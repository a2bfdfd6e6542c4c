/**
 * CRLs issued by `openssl ca -gencrl` with a test CA's key: an independent producer, so the CRL
 * choice is tested on CRLs this library did not encode. Revocations are written straight into
 * the CA database (index.txt), the number into its crlnumber file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pem } from './interop-tools';
import type { Party } from './test-pki';

export interface OpensslCrlOptions {
  number: number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked?: { party: Party; at: Date }[];
}

/** `YYYYMMDDHHMMSSZ` (GeneralizedTime) for -crl_lastupdate / -crl_nextupdate; `YYMMDDHHMMSSZ` (UTCTime) for index.txt. */
const generalized = (date: Date): string => date.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
const utc = (date: Date): string => generalized(date).slice(2);

/** A DER CRL of `issuer`, signed by OpenSSL with SHA-256. */
export function opensslCrl(issuer: Party, options: OpensslCrlOptions): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-openssl-crl-'));
  try {
    const index = (options.revoked ?? []).map(({ party, at }) => {
      const serial = party.certificate.serialHex.length % 2 ? `0${party.certificate.serialHex}` : party.certificate.serialHex;
      return ['R', utc(party.certificate.notAfter), utc(at), serial, 'unknown', '/CN=revoked'].join('\t');
    });
    writeFileSync(join(dir, 'index.txt'), index.map((line) => `${line}\n`).join(''));
    writeFileSync(join(dir, 'crlnumber'), `${options.number.toString(16).padStart(2, '0')}\n`);
    writeFileSync(join(dir, 'ca.pem'), pem(issuer.der));
    writeFileSync(join(dir, 'ca.key'), issuer.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(join(dir, 'ca.cnf'), ['[ca]', 'default_ca = test', '[test]', 'database = index.txt', 'crlnumber = crlnumber', 'default_md = sha256', ''].join('\n'));
    execFileSync(
      'openssl',
      ['ca', '-gencrl', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-crl_lastupdate', generalized(options.thisUpdate), '-crl_nextupdate', generalized(options.nextUpdate), '-out', 'crl.pem'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    execFileSync('openssl', ['crl', '-in', 'crl.pem', '-outform', 'DER', '-out', 'crl.der'], { cwd: dir });
    return readFileSync(join(dir, 'crl.der'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
