/** Every trusted list version used is archived by its SHA-256, like the CRLs, and read back only when its bytes still match. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTrustHistory, TrustArchive } from '@atlauja/audit';

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
