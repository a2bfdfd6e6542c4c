/** Every trusted list version used is archived by its SHA-256, like the CRLs, and read back only when its bytes still match. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrustHistory, reverify, TrustArchive, trustHistoryOf, type StoredSignature } from '@atlauja/audit';
import { acceptancePolicyCheck, certificateDer, parseCertificate, readTrustedList, verifySignature } from '@atlauja/signatures';

const interop = '/work/shared/interop/libdigidocpp';
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('the trust archive keeps trusted lists', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atl-archive-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each version once under lists/<sha256>.xml and reads it back by hash', () => {
    const v34 = readFileSync(join(interop, 'EE_T.xml'));
    const v22 = readFileSync(join(interop, 'EE_T-CA-withdrawn.xml'));
    const archive = new TrustArchive(dir);
    expect(archive.keep([], [], [v34, v22])).toBe(2);
    expect(archive.keep([], [], [v34])).toBe(0);
    expect(readFileSync(join(dir, 'lists', `${sha256(v34)}.xml`)).equals(v34)).toBe(true);
    const history = archive.load();
    expect([...history.trustedLists.keys()].sort()).toEqual([sha256(v34), sha256(v22)].sort());
  });

  it('a damaged archived list is not what the evidence names: it is left out', () => {
    const v34 = readFileSync(join(interop, 'EE_T.xml'));
    new TrustArchive(dir).keep([], [], [v34]);
    writeFileSync(join(dir, 'lists', `${sha256(v34)}.xml`), Buffer.concat([v34, Buffer.from(' ')]));
    expect(new TrustArchive(dir).load().trustedLists.size).toBe(0);
  });

  it('loadTrustHistory reads the list in force (TRUSTED_LIST_FILE) beside the archive', () => {
    const file = join(interop, 'EE_T.xml');
    const { history, read } = loadTrustHistory({ trustedListFile: file, archiveDir: dir });
    expect([...history.trustedLists.keys()]).toEqual([sha256(readFileSync(file))]);
    expect(read).toContain(file);
  });
});

describe('audit verify of a signature judged against a trusted list', () => {
  // tsl.asice (2016) verified with EE_T.xml as its only trust; its own failures (not a document
  // this service served, not a Latvian signer) stay the same either way: what matters is the list.
  const list = readTrustedList(readFileSync(join(interop, 'EE_T.xml')), { signers: [parseCertificate(certificateDer(readFileSync(join(interop, 'TSL.crt'))))] });
  const documents = { json: Buffer.from('{}'), readable: { bytes: Buffer.from('test'), sha256: sha256(Buffer.from('test')) } };
  const verdict = verifySignature(readFileSync(join(interop, 'tsl.asice')), documents, {
    trustAnchors: [], crls: [], now: new Date('2016-11-28T14:00:00Z'), expectedPersonalCode: '', format: 'xades',
    trustedLists: [list], longTerm: acceptancePolicyCheck({ name: 'latvian', tsaAnchors: [], trustedLists: [list] }),
  });
  const stored: StoredSignature = {
    stream: 'application-tsl', applicationId: 'tsl', revision: 2n, signedBy: 'x', signerPersonalCode: '', signedAt: '2016-11-28T13:46:41Z',
    acceptedAt: '2016-11-28T14:00:00Z', documentSha256: sha256(Buffer.from('{}')), storedChecks: verdict.checks, evidence: verdict.evidence,
    document: { bytes: Buffer.from('{}'), sha256: sha256(Buffer.from('{}')), mediaType: 'application/json' }, submittedRevision: 1n, pdfSha256: sha256(Buffer.from('test')), format: 'xades',
  };
  const mismatch = (result: ReturnType<typeof reverify>) => result.checks.find((check) => check.code === 'EVIDENCE_MISMATCH');

  it('finds the list version the evidence names in the archive and judges with it: anchor and path as recorded', () => {
    expect(verdict.evidence.trustedLists?.map((named) => named.sha256)).toEqual([list.sha256]);
    const withdrawnSince = readFileSync(join(interop, 'EE_T-CA-withdrawn.xml'));
    const result = reverify(stored, trustHistoryOf([], [], [withdrawnSince, list.xml]));
    expect(mismatch(result)).toMatchObject({ ok: true });
    expect(result.failures).not.toContain('SERVICE_NOT_GRANTED_AT_SIGNING_TIME');
    expect(result.checks.find((check) => check.code === 'CHAIN_UNTRUSTED')?.ok).toBe(true);
  });

  it('without that version archived, says so (EVIDENCE_MISMATCH) rather than judging by another', () => {
    const result = reverify(stored, trustHistoryOf([], [], [readFileSync(join(interop, 'EE_T-CA-withdrawn.xml'))]));
    expect(mismatch(result)).toMatchObject({ ok: false, detail: expect.stringContaining(`${list.sha256} recorded are in no archive`) });
  });
});
