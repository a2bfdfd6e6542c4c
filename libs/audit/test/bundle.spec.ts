/**
 * `audit export` writes a bundle that verifies offline with `audit verify --bundle`, with
 * `sha256sum -c SHA256SUMS`, and with `openssl cms -verify` for each signature and its document.
 * Any change to the bundle is named.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyBundle, type BundleManifest } from '@atlauja/audit';
import { run } from '../../../apps/cli/src/commands/audit';
import { testPki } from '../../signatures/src/testing/test-pki';
import { MINISTRY } from '../../domain/test/fixtures';
import { captureIo, embeddedStore, trustFolders, type StoreUnderTest } from './support/audit-env';
import { appendHistory, signedApplication } from './support/signed-application';

const tool = (name: string, args: string[]) => spawnSync(name, args, { encoding: 'utf8' }).status === 0;
const haveTools = tool('openssl', ['version']) && tool('sha256sum', ['--version']);
if (!haveTools) console.warn('bundle: SKIPPED — openssl or sha256sum is not on this machine');

(haveTools ? describe : describe.skip)('an exported bundle, checked offline', () => {
  const pki = testPki();
  const apps = [signedApplication(pki, pki.ec, 'bundle-0001'), signedApplication(pki, pki.rsa, 'bundle-0002', { longTerm: true }), signedApplication(pki, pki.ec, 'bundle-0003', { stopAfterSign: true })];
  let subject: StoreUnderTest;
  let trust: ReturnType<typeof trustFolders>;
  let work: string;
  let bundle: string;

  beforeAll(async () => {
    subject = await embeddedStore();
    trust = trustFolders([pki.ec, pki.rsa]);
    for (const app of apps) await appendHistory(subject.store, app.stream, app.events);
    await subject.release();
    work = mkdtempSync(join(tmpdir(), 'atlauja-bundle-'));
    bundle = join(work, 'bundle');
    const cli = captureIo({ ...subject.env, ...trust.env });
    expect(await run(['export', '--institution', MINISTRY, '--out', bundle], cli.io)).toBe(0);
    expect(cli.err()).toBe('');
    expect(cli.out()).toContain('3 stream(s), 16 event(s), 3 signature(s)');
  });
  afterAll(async () => {
    await subject?.dispose();
    trust?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const manifest = (): BundleManifest => JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));

  it('holds the events with their hashes, the chain heads, and each signature beside its document', () => {
    const m = manifest();
    expect(m.streams.map((s) => [s.stream, s.events, s.head.revision])).toEqual([
      ['application-bundle-0001', 6, '5'],
      ['application-bundle-0002', 6, '5'],
      ['application-bundle-0003', 4, '3'],
    ]);
    expect(m.signatures.map((s) => [s.signature, s.document, s.crls.length, s.crlsMissing])).toEqual([
      ['signatures/bundle-0001-3.p7s', 'signatures/bundle-0001-3.json', 2, []],
      ['signatures/bundle-0002-3.p7s', 'signatures/bundle-0002-3.json', 2, []],
      ['signatures/bundle-0003-3.p7s', 'signatures/bundle-0003-3.json', 2, []],
    ]);
    const lines = readFileSync(join(bundle, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(16);
    expect(lines[0].metadata).toEqual(expect.objectContaining({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), prevHash: '0'.repeat(64) }));
  });

  it('verifies offline with the library and the CLI', async () => {
    expect(verifyBundle(bundle)).toMatchObject({ streams: 3, events: 16, signatures: { checked: 3, valid: 3 }, failures: [] });
    const cli = captureIo({});
    expect(await run(['verify', '--bundle', bundle, '--ca', trust.env.TRUSTED_CA_DIR], cli.io)).toBe(0);
    expect(cli.out()).toContain('anchors: from --ca');
  });

  it('passes `sha256sum -c SHA256SUMS`', () => {
    const result = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: bundle, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('each signature is accepted by `openssl cms -verify` with its document and the trust anchors', () => {
    for (const s of manifest().signatures) {
      const result = spawnSync(
        'openssl',
        ['cms', '-verify', '-binary', '-inform', 'DER', '-in', s.signature, '-content', s.document, '-CAfile', 'trust-anchors.pem', '-purpose', 'any', '-out', '/dev/null'],
        { cwd: bundle, encoding: 'utf8' },
      );
      expect({ signature: s.signature, status: result.status, stderr: result.stderr.trim() }).toEqual({ signature: s.signature, status: 0, stderr: 'CMS Verification successful' });
    }
  });

  it('`openssl verify -crl_check_all` accepts each signer certificate with the exported CRLs, as of its signing time', () => {
    for (const s of manifest().signatures) {
      const crls = join(work, `crls-${s.revision}-${s.applicationId}.pem`);
      writeFileSync(crls, s.crls.map((path) => readFileSync(join(bundle, path), 'utf8')).join(''));
      const attime = String(Math.floor(Date.parse(s.signedAt) / 1000));
      const [signer, ...chain] = s.certificates;
      const result = spawnSync(
        'openssl',
        ['verify', '-attime', attime, '-crl_check_all', '-CRLfile', crls, '-CAfile', 'trust-anchors.pem', '-untrusted', chain[0], '-purpose', 'any', signer],
        { cwd: bundle, encoding: 'utf8' },
      );
      expect({ status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() }).toEqual({ status: 0, stdout: `${signer}: OK`, stderr: '' });
    }
  });

  it('carries the timestamps and OCSP responses; `openssl ts -verify` and `openssl ocsp -respin` accept them', () => {
    const [, longTerm] = manifest().signatures;
    expect(longTerm.policy).toBe('latvian');
    expect(longTerm.timestamps).toEqual([expect.objectContaining({ kind: 'service', file: expect.stringMatching(/^timestamps\/[0-9a-f]{64}\.tst$/), imprint: expect.stringMatching(/^[0-9a-f]{64}$/) })]);
    expect(longTerm.provenAt).toBe(longTerm.timestamps?.[0].genTime);
    expect(longTerm.ocspResponses).toEqual([expect.objectContaining({ status: 'good', file: expect.stringMatching(/^ocsp\/[0-9a-f]{64}\.der$/) })]);
    const stamp = longTerm.timestamps![0];
    const ts = spawnSync('openssl', ['ts', '-verify', '-digest', stamp.imprint, '-in', stamp.file, '-token_in', '-CAfile', 'trust-anchors.pem'], { cwd: bundle, encoding: 'utf8' });
    expect(ts.stdout.trim()).toBe('Verification: OK');
    const [signer, ica] = longTerm.certificates;
    const ocsp = spawnSync('openssl', ['ocsp', '-respin', longTerm.ocspResponses![0].file, '-CAfile', 'trust-anchors.pem', '-verify_other', ica, '-issuer', ica, '-cert', signer, '-no_nonce'], { cwd: bundle, encoding: 'utf8' });
    expect(ocsp.stderr).toMatch(/Response verify OK/);
    expect(ocsp.stdout).toMatch(new RegExp(`${signer}: good`));
  });

  it('openssl refuses a signature with another document', () => {
    const [first, second] = manifest().signatures;
    const result = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', first.signature, '-content', second.document, '-CAfile', 'trust-anchors.pem', '-purpose', 'any', '-out', '/dev/null'], { cwd: bundle, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });

  it('names a changed byte, a removed last event, a swapped document and a stray file; the CLI exits 1', async () => {
    const copy = (name: string): string => {
      const dir = join(work, name);
      cpSync(bundle, dir, { recursive: true });
      return dir;
    };
    const codes = (dir: string) => verifyBundle(dir).failures.map((f) => `${f.kind} ${f.code}${f.stream ? ` ${f.stream}@${f.revision}` : ''}`);

    const byte = copy('byte');
    const events = readFileSync(join(byte, 'events.jsonl'), 'utf8');
    writeFileSync(join(byte, 'events.jsonl'), events.replace('Prepares the ministry estimate', 'Prepares the ministry estimatf'));
    expect(codes(byte)).toEqual(expect.arrayContaining(['bundle FILE_HASH_MISMATCH', 'chain HASH_MISMATCH application-bundle-0001@0']));

    // The last event dropped and every sum recomputed: only the manifest's head still remembers it.
    const truncated = copy('truncated');
    const lines = events.trim().split('\n');
    writeFileSync(join(truncated, 'events.jsonl'), lines.slice(0, -1).join('\n') + '\n');
    const sums = readFileSync(join(truncated, 'SHA256SUMS'), 'utf8');
    const recomputed = spawnSync('sha256sum', ['events.jsonl'], { cwd: truncated, encoding: 'utf8' }).stdout.split(' ')[0];
    writeFileSync(join(truncated, 'SHA256SUMS'), sums.replace(/^[0-9a-f]{64}(?= {2}events\.jsonl$)/m, recomputed));
    expect(codes(truncated)).toEqual(expect.arrayContaining(['chain HEAD_MISMATCH application-bundle-0003@2']));

    const swapped = copy('swapped');
    const [a, b] = manifest().signatures;
    cpSync(join(bundle, b.document), join(swapped, a.document));
    expect(codes(swapped)).toEqual(expect.arrayContaining(['bundle DOCUMENT_FILE_MISMATCH application-bundle-0001@3']));

    const stray = copy('stray');
    appendFileSync(join(stray, 'note.txt'), 'added later');
    expect(codes(stray)).toEqual(['bundle FILE_UNLISTED']);

    const cli = captureIo({});
    expect(await run(['verify', '--bundle', byte], cli.io)).toBe(1);
    expect(cli.out()).toContain('HASH_MISMATCH');
  });
});
