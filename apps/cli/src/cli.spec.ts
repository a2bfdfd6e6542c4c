/** The command line as a user meets it: help everywhere, errors that say what to do, honest files. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { LocalTokenIssuer } from '@atlauja/auth';
import { ensureDemoPki } from '@atlauja/signatures';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import type { CliIo } from './cli';
import { run } from './main';

function capture(env: Record<string, string | undefined> = {}): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { env, out: { write: (t: string) => out.push(t) }, err: { write: (t: string) => err.push(t), isTTY: false } }, out: () => out.join(''), err: () => err.join('') };
}

async function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'atlauja-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('--help', () => {
  it.each([
    [[]], [['--help']], [['demo', '--help']], [['token', '--help']], [['audit', '--help']], [['audit', 'verify', '--help']], [['audit', 'export', '--help']],
    [['institutions', 'import', '--help']], [['projections', '--help']], [['projections', 'rebuild', '--help']], [['trust', 'reload', '--help']], [['help', 'audit']],
  ])('%j prints the usage and exits 0', async (args) => {
    const cli = capture();
    expect(await run(args, cli.io)).toBe(0);
    expect(cli.out()).toMatch(/Usage: /);
  });

  it('a wrong option or command exits 2 and says where the usage is', async () => {
    for (const args of [['audit', 'verify', '--bogus'], ['frobnicate'], ['token', '--role', 'king', '--personal-code', '329999-00001']]) {
      const cli = capture();
      expect(await run(args, cli.io)).toBe(2);
      expect(cli.err()).toMatch(/error: .*\n\(add --help for usage\)/);
    }
  });

  it('a bad configuration is the one report, exit 1', async () => {
    const cli = capture({ LOG_LEVEL: 'loud', STORE_TIMEOUT_MS: 'soon' });
    expect(await run(['projections', 'status'], cli.io)).toBe(1);
    expect(cli.err()).toMatch(/^invalid configuration \(2 problems\):\n {2}- STORE_TIMEOUT_MS .*\n {2}- LOG_LEVEL /);
  });
});

describe('demo', () => {
  const serviceDir = join(work, 'service-data');
  beforeAll(async () => {
    await LocalTokenIssuer.open(serviceDir);
    ensureDemoPki(serviceDir, '329999-00001');
  });

  it('with nothing listening says so and how to start it, at the URL that PORT gives', async () => {
    const port = await unusedPort();
    const cli = capture({ DATA_DIR: serviceDir, PORT: String(port) });
    expect(await run(['demo'], cli.io)).toBe(1);
    expect(cli.err()).toContain(`no service at http://127.0.0.1:${port} (ECONNREFUSED) — start it with npm start, or pass --url`);
  });

  it('honours API_URL and --url', async () => {
    const port = await unusedPort();
    const viaEnv = capture({ DATA_DIR: serviceDir, API_URL: `http://127.0.0.1:${port}` });
    expect(await run(['demo'], viaEnv.io)).toBe(1);
    expect(viaEnv.err()).toContain(`no service at http://127.0.0.1:${port}`);
    const viaOption = capture({ DATA_DIR: serviceDir, API_URL: 'http://127.0.0.1:1' });
    expect(await run(['demo', '--url', `http://127.0.0.1:${port}`], viaOption.io)).toBe(1);
    expect(viaOption.err()).toContain(`no service at http://127.0.0.1:${port}`);
  });

  it('with a DATA_DIR that is not the service\'s writes no key anywhere and says what to do', async () => {
    const other = join(work, 'other-data');
    const cwdData = join(process.cwd(), 'data');
    const hadCwdData = existsSync(cwdData);
    const cli = capture({ DATA_DIR: other });
    expect(await run(['demo'], cli.io)).toBe(1);
    expect(cli.err()).toMatch(/holds no token key or demo signer of a local-mode service — start it with npm start .*or set DATA_DIR/);
    expect(existsSync(other)).toBe(false);
    expect(existsSync(cwdData)).toBe(hadCwdData);
  });
});

describe('institutions import', () => {
  const header = 'Reģistrācijas numurs;Nosaukums;Veids;Augstākā iestāde;Saskaņošanas variants\n';

  it('reads a Windows-1257 file, as Latvian spreadsheets export it', async () => {
    const file = join(work, 'list-1257.csv');
    writeFileSync(file, iconv.encode(`${header}90000000101;Izdomātā Ģeodēzijas ministrija;Ministrija;;2\n`, 'win1257'));
    const cli = capture({ DATA_DIR: ':memory:' });
    expect(await run(['institutions', 'import', file, '--json'], cli.io)).toBe(0);
    expect(JSON.parse(cli.out()).registered).toEqual(['90000000101']);
  }, 180_000);

  it('refuses an unclosed quote naming its line and imports nothing', async () => {
    const file = join(work, 'list-quote.csv');
    writeFileSync(file, `${header}90000000101;"Izdomātā ministrija;Ministrija;;2\n90000000102;Otra;Ministrija;;2\n90000000103;Trešā;Ministrija;;2\n`);
    const cli = capture({ DATA_DIR: ':memory:' });
    expect(await run(['institutions', 'import', file, '--json'], cli.io)).toBe(1);
    const report = JSON.parse(cli.out());
    expect(report.problems).toEqual([{ line: 2, field: 'csv', message: expect.stringMatching(/at line 2: a quoted field is opened here and never closed/) }]);
    expect([report.registered, report.updated, report.appended]).toEqual([[], [], 0]);
  }, 180_000);

  it('names a file that is not there', async () => {
    const cli = capture({ DATA_DIR: ':memory:' });
    expect(await run(['institutions', 'import', join(work, 'missing.csv')], cli.io)).toBe(1);
    expect(cli.err()).toContain('no file');
  });
});

describe('audit verify on a store with many failures', () => {
  it('prints the first failures, then a summary by finding code with counts', async () => {
    const dataDir = join(work, 'audit-data');
    const store = await openEmbeddedEventStore(dataDir);
    for (let i = 0; i < 30; i++) {
      await store.append(`application-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, [{ type: 'NotAnEvent', data: {}, metadata: { actor: 'x', occurredAt: '2025-01-01T00:00:00Z', schemaVersion: 1 } }], 'no-stream');
    }
    await store.close();
    const cli = capture({ DATA_DIR: dataDir });
    expect(await run(['audit', 'verify'], cli.io)).toBe(1);
    const out = cli.out();
    expect(out.match(/^ {2}FAIL /gm)).toHaveLength(20);
    expect(out).toMatch(/… and \d+ more \(--all or --json lists every one\)/);
    const summary = out.slice(out.indexOf('failures by code:'));
    expect(summary).toMatch(/^ {2}\S+ [A-Z_]+ +\d+ {2}in 30 stream\(s\)$/m);
    expect(readdirSync(dataDir)).toContain('event-store');
  }, 300_000);
});
