import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTokenIssuer } from '../../../libs/auth/src/local-issuer';
import { signWithDemoSigner } from './pages';

const REPRESENTATIVE = { subject: '329999-00001', roles: ['representative' as const], institutions: ['90000000001'] };

/**
 * A signed application in the queue, made over the API as a representative's client would (the
 * suite's subject is what the pages do with it). Tokens from the local issuer's key in the data
 * folder; the signature by OpenSSL with the demo signer.
 */
export async function signedApplication(url: string, dataDir: string, user: { givenName: string; surname: string; personalCode: string }): Promise<string> {
  const token = await (await LocalTokenIssuer.open(dataDir)).mint(REPRESENTATIVE);
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const response = await fetch(url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { applicationId } = (await call('POST', '/applications', {
    kind: 'new-user',
    institution: '90000000001',
    user: { ...user, email: 'lietotajs@ministrija.example' },
    term: { kind: 'until', date: `${new Date().getUTCFullYear() + 1}-12-31` },
    justification: 'Sagatavo iepirkumu plānu.',
  })) as { applicationId: string };
  await call('PUT', `/applications/${applicationId}/rights`, { rights: [{ kind: 'institution', institution: '90000000001', groups: ['MANAGE'] }] });
  await call('POST', `/applications/${applicationId}/submit`);
  const document = (await call('GET', `/applications/${applicationId}/document`)) as { contentBase64: string };
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-setup-'));
  try {
    writeFileSync(join(dir, 'doc.json'), Buffer.from(document.contentBase64, 'base64'));
    signWithDemoSigner(dataDir, join(dir, 'doc.json'), join(dir, 'doc.p7s'));
    await call('POST', `/applications/${applicationId}/signature`, readFileSync(join(dir, 'doc.p7s')), 'application/pkcs7-signature');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return applicationId;
}
