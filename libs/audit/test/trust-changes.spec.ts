/**
 * The same verdict years later: `audit verify` judges a stored signature by the trust of the day it
 * was accepted (the path, anchor and CRLs its evidence recorded), so an issuing CA added to
 * TRUSTED_CA_DIR since, or removed again (its certificate stays in the archive), changes nothing.
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrustArchive } from '@atlauja/audit';
import { trustAnchorFrom } from '@atlauja/signatures';
import { run } from '../../../apps/cli/src/commands/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { toPem } from '../src/bundle/pem';
import { captureIo, embeddedStore, trustFolders, type StoreUnderTest } from './support/audit-env';
import { appendHistory, signedApplication } from './support/signed-application';

describe('audit verify after the trust configuration changed', () => {
  const pki = testPki();
  // Accepted while the root alone was trusted.
  const app = signedApplication(pki, pki.ec, 'trust-change');
  let subject: StoreUnderTest;
  let trust: ReturnType<typeof trustFolders>;

  beforeAll(async () => {
    subject = await embeddedStore();
    trust = trustFolders([pki.ec]);
    await appendHistory(subject.store, app.stream, app.events);
    await subject.release();
  });
  afterAll(async () => {
    await subject?.dispose();
    trust?.remove();
  });

  async function verify(): Promise<{ code: number; out: string }> {
    const cli = captureIo({ ...subject.env, ...trust.env });
    const code = await run(['verify', '--stream', app.stream], cli.io);
    return { code, out: cli.out() };
  }

  it('passes before, with the issuing CA added to TRUSTED_CA_DIR, and after it is removed again', async () => {
    const before = await verify();
    expect(before.out).toContain('1 signature(s) (1 valid), 0 failure(s)');
    expect(before.code).toBe(0);

    // The issuing CA configured as an anchor beside its root; the service archives every anchor it loads.
    const icaFile = join(trust.env.TRUSTED_CA_DIR, 'ica.pem');
    writeFileSync(icaFile, toPem(pki.ec.ica.der, 'CERTIFICATE'));
    new TrustArchive(trust.env.CRL_ARCHIVE_DIR).keep([trustAnchorFrom(pki.ec.ica.der)], []);
    const added = await verify();
    expect(added.out).not.toContain('EVIDENCE_MISMATCH');
    expect(added.out).toContain('1 signature(s) (1 valid), 0 failure(s)');
    expect(added.code).toBe(0);

    unlinkSync(icaFile);
    const removed = await verify();
    expect(removed.out).toContain('1 signature(s) (1 valid), 0 failure(s)');
    expect(removed.code).toBe(0);
  });
});
