/**
 * The bad configurations an operator met, fed to the real processes (api, worker, CLI, compiled as
 * `npm start` runs them): each prints one report naming every bad variable and its rule, in the
 * same format, without a stack trace, and exits 1 before doing anything.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compiledApi } from '../../bench/support/build';

let apiMain: string;
let workerMain: string;
let cliMain: string;
const cwd = mkdtempSync(join(tmpdir(), 'atlauja-badconfig-'));

beforeAll(() => {
  apiMain = compiledApi();
  const apps = dirname(dirname(dirname(apiMain)));
  workerMain = join(apps, 'worker', 'src', 'main.js');
  cliMain = join(apps, 'cli', 'src', 'main.js');
}, 120_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

function runProcess(script: string, env: Record<string, string>, args: string[] = []): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function reportOf(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /invalid configuration \(\d+ problems?\):/.test(l));
  expect(start).toBeGreaterThanOrEqual(0);
  const problems = lines.slice(start + 1).filter((l) => l.startsWith('  - '));
  expect(lines[start]).toContain(`(${problems.length} problem`);
  return problems.map((l) => l.slice(4));
}

const EIGHT_BAD = {
  PORT: 'http', LOG_LEVEL: 'loud', RUN_PROJECTIONS: 'maybe', STORE_TIMEOUT_MS: '-5', BODY_LIMIT_BYTES: '10MB',
  READ_YOUR_WRITES_TIMEOUT_MS: '2s', REGISTRY_TIMER_SECONDS: 'hourly', EXPIRY_INTERVAL_SECONDS: 'abc',
};

describe.each([
  ['api', () => apiMain, []],
  ['worker', () => workerMain, []],
  ['cli', () => cliMain, ['projections', 'status']],
] as const)('the %s with bad configuration', (name, script, args) => {
  it('reports all eight bad variables in one run, in one format, without a stack, and exits 1', () => {
    const { status, output } = runProcess(script(), EIGHT_BAD, [...args]);
    expect(status).toBe(1);
    const problems = reportOf(output);
    expect(problems.map((p) => p.split(' ')[0]).sort()).toEqual(Object.keys(EIGHT_BAD).sort());
    expect(problems).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(problems).toContain('RUN_PROJECTIONS must be true or false (got "maybe")');
    expect(problems).toContain('EXPIRY_INTERVAL_SECONDS must be a whole number of seconds from 0 to 86400 (got "abc")');
    expect(output).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  });

  it('refuses server mode without an explicit EVENT_STORE instead of opening an embedded store', () => {
    const { status, output } = runProcess(script(), { MODE: 'server', DATA_DIR: join(cwd, 'data') }, [...args]);
    expect(status).toBe(1);
    expect(reportOf(output)).toContainEqual(expect.stringMatching(/^EVENT_STORE is required in server mode/));
  });
});

describe('an empty OIDC_JWKS_URI (what ${OIDC_JWKS_URI:-} gives)', () => {
  it('counts as unset: the api reports only what is really missing, never "Invalid URL"', () => {
    const { status, output } = runProcess(apiMain, { MODE: 'server', EVENT_STORE: 'postgres', OIDC_ISSUER: 'https://login.example.lv', OIDC_AUDIENCE: 'atlauja', OIDC_JWKS_URI: '', TRUSTED_CA_DIR: '/nowhere', CRL_DIR: '/nowhere', PSEUDONYM_KEY: 'ab'.repeat(32) });
    expect(status).toBe(1);
    expect(reportOf(output)).toEqual([expect.stringMatching(/^DATABASE_URL is required when EVENT_STORE=postgres/)]);
    expect(output).not.toContain('Invalid URL');
  });
});
