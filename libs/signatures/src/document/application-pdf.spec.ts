import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentToSign, readableDocument } from '../document-to-sign';
import { SAMPLE_SUBMISSION } from '../testing/scenario';
import { toolAvailable } from '../testing/interop-tools';

const ROOT = join(__dirname, '../../../..');

/** The PDF rendered by another Node process, with its own clock and time zone. */
function renderInChild(env: Record<string, string>): { now: string; offset: number; pdf: Buffer } {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', join(__dirname, '../testing/render-submission.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    maxBuffer: 16 * 1024 * 1024,
  }).toString('utf8');
  const parsed = JSON.parse(out) as { now: string; offset: number; pdf: string };
  return { ...parsed, pdf: Buffer.from(parsed.pdf, 'base64') };
}

describe('the readable document: the submitted application as a PDF', () => {
  it('is the same bytes in two processes, in two time zones, on two days', async () => {
    const here = (await readableDocument(SAMPLE_SUBMISSION)).bytes;
    const riga = renderInChild({ TZ: 'Europe/Riga' });
    const later = renderInChild({ TZ: 'Pacific/Kiritimati', FAKE_NOW: '2031-02-17T23:59:58.000Z' });
    // The children really ran elsewhere in time and place.
    expect(later.now).toBe('2031-02-17T23:59:58.000Z');
    expect(later.offset).not.toBe(riga.offset);
    expect(riga.pdf.equals(here)).toBe(true);
    expect(later.pdf.equals(here)).toBe(true);
  }, 60_000);

  it('carries only the submission time, and an attachment related as its source', async () => {
    const pdf = (await readableDocument(SAMPLE_SUBMISSION)).bytes.toString('latin1');
    // The document's and the attachment's dates: every one is the submission's (12:00 in Riga = 10:00 UTC).
    const dates = pdf.match(/\/(CreationDate|ModDate) \(D:[^)]*\)/g) ?? [];
    expect(dates.length).toBeGreaterThanOrEqual(2);
    expect(new Set(dates.map((d) => d.replace(/^\/\w+ /, '')))).toEqual(new Set(['(D:20261123100000Z)']));
    // The attachment's bytes are compressed; pdfdetach below gives them back.
    expect(pdf).toContain('/Type /EmbeddedFile');
    expect(pdf).toContain('/AFRelationship /Source');
  });

  it('changes when the content changes (a different user, a different document)', async () => {
    const other = await readableDocument({ ...SAMPLE_SUBMISSION, content: { ...SAMPLE_SUBMISSION.content, justification: 'Cits pamatojums.' } });
    expect(other.sha256).not.toBe((await readableDocument(SAMPLE_SUBMISSION)).sha256);
  });

  (toolAvailable('pdftotext') && toolAvailable('pdfdetach') ? it : it.skip)('reads in Latvian: pdftotext shows the rights groups and the user with diacritics; pdfdetach gives back the JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-pdf-'));
    try {
      const document = await readableDocument(SAMPLE_SUBMISSION);
      writeFileSync(join(dir, 'pieteikums.pdf'), document.bytes);
      const text = execFileSync('pdftotext', ['-layout', 'pieteikums.pdf', '-'], { cwd: dir }).toString('utf8');
      for (const group of ['Vadīt', 'Apstiprināt', 'Parakstīt', 'Skatīt', 'Saskaņot', 'MIN']) expect(text).toContain(group);
      expect(text).toContain('Līga Ģertrūde Ķēniņa-Žuļeva');
      expect(text).toContain('150385-12346');
      expect(text).toContain(SAMPLE_SUBMISSION.applicationId);
      expect(text).toContain(documentToSign(SAMPLE_SUBMISSION).sha256);
      execFileSync('pdfdetach', ['-saveall', '-o', dir, 'pieteikums.pdf'], { cwd: dir });
      expect(readFileSync(join(dir, 'pieteikums.json')).equals(documentToSign(SAMPLE_SUBMISSION).bytes)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
