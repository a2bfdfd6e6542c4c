/**
 * The readable PDF as the compiled api renders it (`npm start`, the bench's build): in a worker
 * thread, with pdf-lib and fontkit never loaded on the main thread — not at start, not after a
 * render — and byte for byte the PDF the in-process renderer gives (which the tests under ts-jest use).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compiledApi } from '../../bench/support/build';
import { draftBody, MINISTRY_USER_RIGHTS, prepareActors } from '../../bench/support/actors';
import { serverEnv } from '../../bench/http-commands';
import { startServer } from '../../bench/support/server-process';
import { readableDocument } from '@atlauja/signatures';
import { SAMPLE_SUBMISSION } from '../../libs/signatures/src/testing/scenario';

const SUBMISSIONS = [
  SAMPLE_SUBMISSION,
  {
    ...SAMPLE_SUBMISSION,
    applicationId: '0b6d3c1e-8a55-4f0e-9d7e-2c1f3a4b5c6d',
    revision: 12,
    content: {
      ...SAMPLE_SUBMISSION.content,
      // Past one page: the rights table and the justification both break across pages.
      rights: Array.from({ length: 40 }, (_, i) => ({ kind: 'institution', institution: String(90000000000 + i), groups: i % 2 ? ['VIEW'] : ['MANAGE', 'SIGN'] })),
      justification: 'Garš pamatojums ar garumzīmēm: āčēģīķļņšūž.\tTabulācija un\r\nrindas. '.repeat(60),
    },
  },
];

// Run by a plain node process on the compiled tree: the api's modules first, then two renders.
const CHILD = `
const { join } = require('node:path');
const [root, submissions] = [process.argv[1], JSON.parse(process.argv[2])];
const pdfModules = () => Object.keys(require.cache).filter((path) => /pdf-lib|fontkit/.test(path));
require(join(root, 'apps/api/src/app.factory.js'));
const { readableDocument } = require(join(root, 'node_modules/@atlauja/signatures'));
const atStart = pdfModules();
Promise.all(submissions.map((s) => readableDocument(s))).then((documents) => {
  process.stdout.write(JSON.stringify({ atStart, afterRenders: pdfModules(), pdfs: documents.map((d) => d.bytes.toString('base64')) }));
});
`;

describe('the readable document in the compiled api', () => {
  let root: string;
  beforeAll(() => {
    root = dirname(dirname(dirname(dirname(compiledApi()))));
  }, 120_000);

  it('is rendered off the main thread, which never loads pdf-lib, and is the same bytes as rendered in-process', async () => {
    // The process exits by itself: the idle thread does not hold it open.
    const out = execFileSync(process.execPath, ['-e', CHILD, root, JSON.stringify(SUBMISSIONS)], { cwd: root, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    const child = JSON.parse(out.toString('utf8')) as { atStart: string[]; afterRenders: string[]; pdfs: string[] };
    expect(child.atStart).toEqual([]);
    expect(child.afterRenders).toEqual([]);
    for (const [i, submission] of SUBMISSIONS.entries()) {
      const here = (await readableDocument(submission)).bytes;
      expect(Buffer.from(child.pdfs[i], 'base64').equals(here)).toBe(true);
    }
    expect(child.pdfs[0]).not.toBe(child.pdfs[1]);
  }, 120_000);

  it('is served by the compiled server as submitted: the PDF its thread renders is the one rendered in-process from the submission', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-pdf-thread-'));
    const actors = await prepareActors(dataDir);
    const server = await startServer({ env: serverEnv('embedded', dataDir), startTimeoutMs: 120_000 });
    try {
      const call = async (method: string, path: string, body?: unknown, accept = 'application/json') => {
        const res = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${actors.tokens.representative}`, accept, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
        return res;
      };
      const { applicationId } = (await (await call('POST', '/applications', draftBody())).json()) as { applicationId: string };
      await call('PUT', `/applications/${applicationId}/rights`, MINISTRY_USER_RIGHTS);
      await call('POST', `/applications/${applicationId}/submit`);
      const served = Buffer.from(await (await call('GET', `/applications/${applicationId}/document`, undefined, 'application/pdf')).arrayBuffer());
      const { events } = (await (await call('GET', `/applications/${applicationId}/events`)).json()) as { events: { type: string; revision: string; data: { submittedAt: string; pdfSha256: string } }[] };
      const submitted = events.find((e) => e.type === 'ApplicationSubmitted')!;
      const json = (await (await call('GET', `/applications/${applicationId}/document`)).json()) as { contentBase64: string };
      const { content } = JSON.parse(Buffer.from(json.contentBase64, 'base64').toString('utf8')) as { content: unknown };
      const here = await readableDocument({ applicationId, revision: submitted.revision, content, submittedAt: submitted.data.submittedAt });
      expect(here.sha256).toBe(submitted.data.pdfSha256);
      expect(served.equals(here.bytes)).toBe(true);
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
