import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pem } from '../../libs/signatures/src/testing/interop-tools';
import { testPki } from '../../libs/signatures/src/testing/test-pki';
import { run } from '../../apps/cli/src/main';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

/**
 * An operator makes a revocation count at once: the CRL goes into CRL_DIR, an administrator calls
 * POST /admin/trust/reload (or `npm run cli -- trust reload`), and the next signature by the revoked
 * certificate is refused, with the periodic reload a day away.
 */
describe('POST /admin/trust/reload', () => {
  const chain = testPki().ec;
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-trust-reload-'));
  const trusted = join(dir, 'trusted');
  const crlDir = join(dir, 'crl');
  let h: Harness;

  beforeAll(async () => {
    mkdirSync(trusted);
    mkdirSync(crlDir);
    writeFileSync(join(trusted, 'root.pem'), pem(chain.root.der));
    writeFileSync(join(crlDir, 'root.crl'), pem(chain.rootCrl(), 'X509 CRL'));
    writeFileSync(join(crlDir, 'ica-1.crl'), pem(chain.icaCrl({ number: 1 }), 'X509 CRL'));
    // The trust of the folders (as a deployment has it), not the harness's fixed material.
    h = await startHarness({ trust: undefined }, { TRUSTED_CA_DIR: trusted, CRL_DIR: crlDir, TRUST_REFRESH_SECONDS: '86400' });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rep = () => bearer(h.tokens.representative);
  const admin = () => bearer(h.tokens.admin);

  async function submitted(): Promise<{ id: string; document: string }> {
    const id = (await h.http().post('/applications').set(rep()).send(draftBody()).expect(201)).body.applicationId;
    await h.http().put(`/applications/${id}/rights`).set(rep()).send(MINISTRY_USER_RIGHTS).expect(200);
    await h.http().post(`/applications/${id}/submit`).set(rep()).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(rep()).expect(200);
    return { id, document: doc.body.contentBase64 };
  }

  it.each([
    ['representative', 'ROLE_REQUIRED'],
    ['approver', 'ROLE_REQUIRED'],
    ['auditor', 'AUDITOR_READ_ONLY'],
  ] as const)('refuses a %s: 403 problem+json %s', async (role, code) => {
    const res = await h.http().post('/admin/trust/reload').set(bearer(h.tokens[role])).expect(403);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe(code);
  });

  it('refuses a caller without a token: 401', async () => {
    await h.http().post('/admin/trust/reload').expect(401);
  });

  it('a certificate put on a CRL is refused right after the reload', async () => {
    const { id, document } = await submitted();
    writeFileSync(
      join(crlDir, 'ica-2.crl'),
      pem(chain.icaCrl({ number: 2, revoked: [{ serial: chain.holder.certificate.serial, revokedAt: new Date(Date.now() - 60_000), reason: 1 }] }), 'X509 CRL'),
    );
    const reloaded = await h.http().post('/admin/trust/reload').set(admin()).expect(200);
    expect(reloaded.body.anchors).toEqual([{ subject: chain.root.certificate.subject.text, sha256: chain.anchor.sha256 }]);
    expect(reloaded.body.crls.map((crl: { number: string }) => crl.number).sort()).toEqual(['1', '1', '2']);

    const res = await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signDocument(chain, document) }).expect(422);
    // The service stamps only a signature refused for want of a timestamp alone: a revoked one keeps TIMESTAMP_MISSING beside it.
    expect(res.body.failures.filter((code: string) => code !== 'TIMESTAMP_MISSING')).toEqual(['CERT_REVOKED']);
  });

  it('folders that cannot be read: 503 problem+json TRUST_RELOAD_FAILED, and the trust in force stays', async () => {
    const broken = join(trusted, 'broken.pem');
    writeFileSync(broken, '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
    try {
      const res = await h.http().post('/admin/trust/reload').set(admin()).expect(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe('TRUST_RELOAD_FAILED');
      expect(res.body.detail).toContain('broken.pem');
    } finally {
      unlinkSync(broken);
    }
    // The revocation loaded before still counts.
    const { id, document } = await submitted();
    const res = await h.http().post(`/applications/${id}/signature`).set(rep()).send({ signature: signDocument(chain, document) }).expect(422);
    // The service stamps only a signature refused for want of a timestamp alone: a revoked one keeps TIMESTAMP_MISSING beside it.
    expect(res.body.failures.filter((code: string) => code !== 'TIMESTAMP_MISSING')).toEqual(['CERT_REVOKED']);
  });

  it('npm run cli -- trust reload calls it with the token of --token-file; a token without the role is refused', async () => {
    await h.app.listen(0, '127.0.0.1');
    const url = await h.app.getUrl();
    const cli = (token: string) => {
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
      const out: string[] = [];
      const err: string[] = [];
      const io = { env: { DATA_DIR: join(dir, 'cli-data') }, out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t) } };
      return run(['trust', 'reload', '--url', url, '--token-file', tokenFile], io).then((code) => ({ code, out: out.join(''), err: err.join('') }));
    };
    const asAdmin = await cli(h.tokens.admin);
    expect(asAdmin.err).toBe('');
    expect(asAdmin.code).toBe(0);
    expect(asAdmin.out).toMatch(/^trust reloaded at .*: 1 anchor\(s\), 3 CRL\(s\)\n/);
    expect(asAdmin.out).toContain(`CRL 2 of ${chain.ica.certificate.subject.text}`);
    const asRepresentative = await cli(h.tokens.representative);
    expect(asRepresentative.code).toBe(1);
    expect(asRepresentative.err).toContain('answered 403 ROLE_REQUIRED');
    expect(asRepresentative.err).not.toContain(h.tokens.representative);
  });

  it('is in the OpenAPI document', async () => {
    const document = (await h.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(document.paths['/admin/trust/reload'] ?? {})).toEqual(['post']);
  });
});
