/**
 * Faults an operator meets, against the compiled processes (as `npm start` and `npm run worker` run
 * them), showing no crash, no request past its bound, and the right 503s:
 * - PostgreSQL backends terminated (pg_terminate_backend) again and again under load on two api
 *   processes and a worker sharing one database;
 * - a connection that freezes (a TCP proxy we control stops forwarding) after start-up;
 * - a full file system under the embedded store (a tmpfs of a few MB, mounted here as root; where
 *   mounting is not permitted the case is skipped, saying so), and a full or read-only DATA_DIR at start;
 * - an api restarted as PID 1 of its own PID namespace (unshare) after a SIGKILL, with its lock left behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { Actors, prepareActors } from '../../bench/support/actors';
import { compiledApi } from '../../bench/support/build';
import { freePort, startServer, type ServerProcess } from '../../bench/support/server-process';
import { dropSchema, uniqueSchema } from '../../bench/support/stores';
import { startTcpProxy } from '../support/tcp-proxy';
import { DATABASE_URL } from './support/stores';

const describeWithPostgres = DATABASE_URL ? describe : describe.skip;
if (!DATABASE_URL) console.warn('faults.spec: the PostgreSQL cases are skipped: DATABASE_URL is unset');

let apiMain: string;
let workerMain: string;
beforeAll(() => {
  apiMain = compiledApi();
  workerMain = join(dirname(dirname(dirname(apiMain))), 'worker', 'src', 'main.js');
});

interface Outcome {
  status: number;
  ms: number;
  code?: string;
  retryAfter?: string | null;
  error?: string;
}

/** One request with a generous client-side limit: the server's own bound is what is measured. */
async function timedRequest(base: string, method: string, path: string, token: string, body?: unknown): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await res.text();
    let code: string | undefined;
    try {
      code = (JSON.parse(text) as { code?: string }).code;
    } catch {
      /* not JSON */
    }
    return { status: res.status, ms: performance.now() - started, code, retryAfter: res.headers.get('retry-after') };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, error: (error as Error).message };
  }
}

const draft = (n: number) => ({
  kind: 'new-user',
  institution: '90000000001',
  user: { givenName: 'Anna', surname: `Bērziņa ${n}`, personalCode: '329999-31234', email: 'anna@ministrija.example' },
  term: { kind: 'after-last-login', months: 18 },
  justification: 'Prepares the estimate.',
});

/** Drafts and reads the queue (three callers per base URL) until `stop`. */
async function commandLoad(bases: string[], actors: Actors, stop: AbortSignal, outcomes: Outcome[]): Promise<void> {
  const rep = actors.tokens.representative;
  let n = 0;
  await Promise.all(
    bases.flatMap((base) =>
      [0, 1, 2].map(async () => {
        while (!stop.aborted) {
          outcomes.push(await timedRequest(base, 'POST', '/applications', rep, draft(n++)));
          outcomes.push(await timedRequest(base, 'GET', '/queue', actors.tokens.approvers[0]));
        }
      }),
    ),
  );
}

/** What every answer under a store fault must be: a success, or a 503 problem with Retry-After. */
function expectOnlySuccessesAnd503s(outcomes: Outcome[], boundMs: number): void {
  const unexpected = outcomes.filter((o) => !(o.status >= 200 && o.status < 300) && !(o.status === 503 && o.retryAfter));
  expect(unexpected.slice(0, 5)).toEqual([]);
  const slowest = Math.max(...outcomes.map((o) => o.ms));
  expect(slowest).toBeLessThan(boundMs);
}

describeWithPostgres('PostgreSQL backends terminated under load (two api processes and a worker)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-faults-kill-'));
  const schema = uniqueSchema('faults');
  const readModelSchema = uniqueSchema('faults_rm');
  const applicationName = `atlauja_faults_${process.pid}`;
  const processes: ServerProcess[] = [];
  let actors: Actors;

  afterAll(async () => {
    for (const p of processes) await p.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    for (const s of [schema, readModelSchema]) await dropSchema(s);
  });

  it('no process exits, every answer is a success or a 503 with Retry-After within its bound, and all recover', async () => {
    actors = await prepareActors(dataDir);
    const url = new URL(DATABASE_URL!);
    url.searchParams.set('application_name', applicationName);
    const env = {
      DATA_DIR: dataDir, MODE: 'local', EVENT_STORE: 'postgres', DATABASE_URL: url.toString(), EVENT_STORE_SCHEMA: schema,
      READ_MODEL_SCHEMA: readModelSchema, STORE_TIMEOUT_MS: '2000', LOG_LEVEL: 'warn', RUN_PROJECTIONS: 'false', EXPIRY_INTERVAL_SECONDS: '1',
    };
    const apiA = await startServer({ env, startTimeoutMs: 90_000 });
    processes.push(apiA);
    const apiB = await startServer({ env, startTimeoutMs: 90_000 });
    processes.push(apiB);
    const workerPort = await freePort();
    const worker = await startServer({ script: workerMain, env: { ...env, PORT: String(workerPort), WORKER_PORT: String(workerPort) }, startTimeoutMs: 90_000 });
    processes.push(worker);

    const admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    const outcomes: Outcome[] = [];
    const stop = new AbortController();
    let terminated = 0;
    try {
      const load = commandLoad([apiA.baseUrl, apiB.baseUrl], actors, stop.signal, outcomes);
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 200)));
        const { rows } = await admin.query<{ n: number }>(
          'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [applicationName]);
        terminated += rows[0].n;
      }
      stop.abort();
      await load;
    } finally {
      await admin.end();
    }
    expect(terminated).toBeGreaterThan(10);
    const states = await Promise.all(processes.map((p) => Promise.race([p.exited.then(() => `exited: ${p.output().slice(-2000)}`), new Promise((r) => setTimeout(() => r('running'), 100))])));
    expect(states).toEqual(['running', 'running', 'running']);
    expect(outcomes.filter((o) => o.status >= 200 && o.status < 300).length).toBeGreaterThan(0);
    const unavailable = outcomes.filter((o) => o.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(new Set(unavailable.map((o) => o.code))).toEqual(new Set(['STORE_UNAVAILABLE']));
    expectOnlySuccessesAnd503s(outcomes, 10_000);
    // After the faults every process serves again, the worker included (a connection terminated at the
    // last moment may still cost one 503 with Retry-After, as the contract says: the client retries).
    for (const base of [apiA.baseUrl, apiB.baseUrl]) {
      let status = 0;
      for (let attempt = 0; attempt < 10 && status !== 201; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 1000));
        status = (await timedRequest(base, 'POST', '/applications', actors.tokens.representative, draft(0))).status;
      }
      expect(status).toBe(201);
    }
    const deadline = Date.now() + 30_000;
    let ready = 0;
    while (Date.now() < deadline && ready !== 200) {
      ready = (await fetch(`${worker.baseUrl}/ready`).catch(() => ({ status: 0 }))).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 500));
    }
    expect(ready).toBe(200);
    const output = processes.map((p) => p.output()).join('');
    expect(output).not.toMatch(/Unhandled 'error' event|uncaughtException/);
  }, 240_000);
});

describeWithPostgres('a connection that freezes after start-up', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-faults-freeze-'));
  const schema = uniqueSchema('freeze');
  const readModelSchema = uniqueSchema('freeze_rm');
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    for (const s of [schema, readModelSchema]) await dropSchema(s);
  });

  it('commands, queries and /ready answer 503 within the bound while frozen, and succeed once it answers again', async () => {
    const actors = await prepareActors(dataDir);
    const target = new URL(DATABASE_URL!);
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const api = await startServer({
      env: { DATA_DIR: dataDir, MODE: 'local', EVENT_STORE: 'postgres', DATABASE_URL: proxy.via(DATABASE_URL!), EVENT_STORE_SCHEMA: schema, READ_MODEL_SCHEMA: readModelSchema, STORE_TIMEOUT_MS: '1500', LOG_LEVEL: 'warn' },
      startTimeoutMs: 90_000,
    });
    try {
      expect((await timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(1))).status).toBe(201);
      proxy.freeze();
      const frozen = await Promise.all([
        timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(2)),
        timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(3)),
        timedRequest(api.baseUrl, 'GET', '/queue', actors.tokens.approvers[0]),
        timedRequest(api.baseUrl, 'GET', '/ready', actors.tokens.approvers[0]),
      ]);
      for (const outcome of frozen) {
        expect(outcome).toMatchObject({ status: 503, retryAfter: expect.any(String) });
        // STORE_TIMEOUT_MS 1.5 s: the server's statement bound plus the client's margin, and the pool's connect bound.
        expect(outcome.ms).toBeLessThan(8000);
      }
      expect((await timedRequest(api.baseUrl, 'GET', '/health', actors.tokens.approvers[0])).status).toBe(200);
      proxy.restore();
      let status = 0;
      // Connection attempts begun while frozen fail as they time out; a client that waits a moment succeeds.
      for (let i = 0; i < 15 && status !== 201; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 1000));
        status = (await timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(4))).status;
      }
      expect(status).toBe(201);
      expect(await Promise.race([api.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 100))])).toBe('running');
    } finally {
      await api.stop();
      await proxy.close();
    }
  }, 180_000);
});

/** A tmpfs of `megabytes`, or null where this process may not mount one. */
function smallFileSystem(megabytes: number): { path: string; fill(leaveKb: number): void; unfill(): void; readOnly(on: boolean): void; unmount(): void } | null {
  const path = mkdtempSync(join(tmpdir(), 'atlauja-fs-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', path], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return null;
  }
  const filler = join(path, 'filler');
  return {
    path,
    fill(leaveKb) {
      const free = Number(spawnSync('df', ['-k', '--output=avail', path], { encoding: 'utf8' }).stdout.trim().split('\n').pop());
      spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1k', `count=${Math.max(0, free - leaveKb)}`], { encoding: 'utf8' });
    },
    unfill: () => rmSync(filler, { force: true }),
    readOnly: (on) => void spawnSync('mount', ['-o', `remount,${on ? 'ro' : 'rw'}`, path]),
    unmount() {
      spawnSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

const canMount = (() => {
  const probe = smallFileSystem(1);
  probe?.unmount();
  return probe !== null;
})();
if (!canMount) console.warn('faults.spec: the full-disk cases are skipped: this process may not mount a tmpfs');

(canMount ? describe : describe.skip)('a full file system under the embedded store (a real tmpfs)', () => {
  it('commands answer 503 naming the data directory while it is full, and succeed once space is freed; the process lives on', async () => {
    const fs = smallFileSystem(64)!;
    let api: ServerProcess | undefined;
    try {
      const dataDir = join(fs.path, 'data');
      mkdirSync(dataDir);
      const actors = await prepareActors(dataDir);
      api = await startServer({ env: { DATA_DIR: dataDir, MODE: 'local', LOG_LEVEL: 'warn', STORE_TIMEOUT_MS: '5000' }, startTimeoutMs: 120_000 });
      expect((await timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(1))).status).toBe(201);
      fs.fill(100);
      const outcomes: Outcome[] = [];
      for (let i = 0; i < 400 && !outcomes.some((o) => o.code === 'STORAGE_FULL'); i++) {
        outcomes.push(await timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(i)));
      }
      const full = outcomes.find((o) => o.code === 'STORAGE_FULL');
      expect(full).toMatchObject({ status: 503, retryAfter: expect.any(String) });
      const body = await (await fetch(`${api.baseUrl}/applications`, { method: 'POST', headers: { authorization: `Bearer ${actors.tokens.representative}`, 'content-type': 'application/json' }, body: JSON.stringify(draft(9)) })).json() as { status: number; detail: string };
      expect(body).toMatchObject({ status: 503, detail: expect.stringContaining(join(dataDir, 'event-store')) });
      expectOnlySuccessesAnd503s(outcomes, 15_000);
      fs.unfill();
      let status = 0;
      for (let i = 0; i < 5 && status !== 201; i++) status = (await timedRequest(api.baseUrl, 'POST', '/applications', actors.tokens.representative, draft(i))).status;
      expect(status).toBe(201);
      expect(await Promise.race([api.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 100))])).toBe('running');
    } finally {
      await api?.stop();
      fs.unmount();
    }
  }, 300_000);

  it('a full or read-only DATA_DIR stops the api at start with a message naming it', () => {
    const fs = smallFileSystem(2)!;
    try {
      const run = () => spawnSync(process.execPath, [apiMain], { env: { PATH: process.env.PATH ?? '', DATA_DIR: join(fs.path, 'data'), MODE: 'local', PORT: '0' }, encoding: 'utf8', timeout: 60_000 });
      fs.fill(0);
      const full = run();
      expect(full.status).toBe(1);
      expect(full.stderr).toContain(`atlauja api cannot start: DATA_DIR ${join(fs.path, 'data')}`);
      expect(full.stderr).toMatch(/no space left/);
      fs.unfill();
      fs.readOnly(true);
      const readOnly = run();
      expect(readOnly.status).toBe(1);
      expect(readOnly.stderr).toMatch(new RegExp(`DATA_DIR ${join(fs.path, 'data').replace(/[/.]/g, '\\$&')}: the storage of .* is read-only`));
      expect(readOnly.stderr).not.toMatch(/ENOENT|undefined/);
    } finally {
      fs.readOnly(false);
      fs.unmount();
    }
  }, 120_000);
});

const canUnshare = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status === 0;
if (!canUnshare) console.warn('faults.spec: the PID-1 case is skipped: unshare --pid is not permitted here');

(canUnshare ? describe : describe.skip)('an api that is PID 1 of its namespace (a container entrypoint)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-pid1-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  async function startAsPid1(port: number): Promise<ChildProcess> {
    const child = spawn('unshare', ['--pid', '--fork', '--mount-proc', process.execPath, apiMain], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, MODE: 'local', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout!.on('data', (c) => (output += c));
    child.stderr!.on('data', (c) => (output += c));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && child.exitCode === null) {
      // Ready, not only live: the api listens before its store has opened.
      const ok = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
      if (ok) return child;
      await new Promise((r) => setTimeout(r, 200));
    }
    process.kill(-child.pid!, 'SIGKILL');
    throw new Error(`the api as PID 1 did not start: ${output.slice(-2000)}`);
  }

  it('starts again after a SIGKILL left its lock naming PID 1', async () => {
    const port = await freePort();
    const first = await startAsPid1(port);
    const lock = JSON.parse(readFileSync(join(dataDir, 'event-store.lock'), 'utf8')) as { pid: number; startTime?: string };
    expect(lock.pid).toBe(1);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(existsSync(join(dataDir, 'event-store.lock'))).toBe(true); // left behind by the killed process
    const second = await startAsPid1(port);
    try {
      const now = JSON.parse(readFileSync(join(dataDir, 'event-store.lock'), 'utf8')) as { pid: number; startTime?: string };
      expect(now.pid).toBe(1);
      expect(now.startTime).not.toBe(lock.startTime);
    } finally {
      process.kill(-second.pid!, 'SIGKILL');
      await new Promise((r) => second.once('exit', r));
    }
  }, 300_000);
});

describe('the start behind the listen (the api listens before its embedded store has opened)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = { DATA_DIR: dataDir, MODE: 'local', LOG_LEVEL: 'warn' };

  it('a SIGTERM while the store is still opening stops the api by the signal, with no start failure reported', async () => {
    // A new directory: PGlite creates it for seconds after the api listens.
    const api = await startServer({ env, startTimeoutMs: 120_000 });
    expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(503);
    await api.stop(30_000);
    expect(await api.exited).toBeNull(); // ended by SIGTERM, not by exit(1)
    expect(api.output()).not.toMatch(/cannot start|closed/);
  }, 180_000);

  it('a store that cannot open still stops the api, saying why, although it listened', async () => {
    const owner = await startServer({ env, startTimeoutMs: 120_000 });
    try {
      const second = spawnSync(process.execPath, [apiMain], { env: { PATH: process.env.PATH ?? '', ...env, PORT: '0' }, encoding: 'utf8', timeout: 60_000 });
      expect(second.status).toBe(1);
      expect(second.stderr).toMatch(/^atlauja api cannot start: the embedded event store is already open \(lock .* held by process \d+\)/m);
    } finally {
      await owner.stop();
    }
  }, 180_000);
});
