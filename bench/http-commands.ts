/**
 * Figure 1: commands over real HTTP. The API runs as its own process (compiled, as `npm start` runs
 * it; local mode's tokens and demo PKI), on the embedded store or on PostgreSQL. The load generator
 * is this process: `workers` connections (keep-alive), each walking applications from draft to
 * approved (6 commands and 1 query each, see support/lifecycle.ts); it also signs the documents,
 * which costs it CPU on the same 2-core machine. Beside it, in the same run, with the same client:
 *  (a) a bare Fastify endpoint in its own process (support/bare-fastify.ts);
 *  (b) the store's single-event append rate through the same driver (store-appends.ts).
 * Also recorded: the server's CPU use during the run and its RSS (figure 6); the SQL statements per
 * request counted at the server's drivers (support/instrument.js, preloaded into the server by the
 * bench only), split into those of the requests and those of the projection runner; the event
 * loop's delay (p99) under the load; the time from the spawn to listening and to /ready.
 *
 * On PostgreSQL the api runs as a server-mode replica does: RUN_PROJECTIONS=false, the projections
 * in a worker process of their own (apps/worker) beside it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { databaseUrl, dropSchema, StoreKind, uniqueSchema } from './support/stores';
import { forDuration, percentile, perSecond, round } from './support/stats';
import { draftBody } from './support/actors';
import { compiledApi, REPO_ROOT } from './support/build';

export interface HttpOptions {
  workers: number;
  warmupMs: number;
  durationMs: number;
}

export interface HttpRow {
  store: StoreKind;
  commandsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** SQL statements sent while handling a request (commands and the document query), per request. */
  statementsPerRequest: number;
  /** Statements of the projection runner (in the api on the embedded store; in the worker on PostgreSQL: not counted) per command. */
  backgroundStatementsPerCommand: number | string;
  eventLoopDelayP99Ms: number;
  listenMs: number;
  readyMs: number;
  /** Share of one core the server used during the measurement. */
  serverCpu: number;
  events: number;
  rssAtRestMb: number;
  rssAfterMb: number;
}

export interface BareRow {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** utime + stime of a process, in seconds (Linux /proc, 100 ticks per second). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

export function serverEnv(kind: StoreKind, dataDir: string, schema?: string): Record<string, string> {
  const env: Record<string, string> = { DATA_DIR: dataDir, MODE: 'local', LOG_LEVEL: 'info' };
  if (kind === 'postgres') {
    Object.assign(env, { EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl()!, EVENT_STORE_SCHEMA: schema!, READ_MODEL_SCHEMA: `${schema}_rm`, RUN_PROJECTIONS: 'false' });
  }
  return env;
}

export const INSTRUMENT = join(REPO_ROOT, 'bench', 'support', 'instrument.js');

/** What support/instrument.js counted in the server since the last reading (and starts again). */
export async function instrumentReading(pid: number, file: string): Promise<{ request: number; background: number; requests: number; eventLoopDelayMs: { p99: number } }> {
  rmSync(file, { force: true });
  try {
    process.kill(pid, 'SIGWINCH');
  } catch (error) {
    throw new Error(`the server (pid ${pid}) is gone: ${(error as Error).message}`);
  }
  for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 10));
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The log's head from /ready's answer (its store check's details). */
export const headPositionOf = (ready: unknown): number => Number((ready as { details?: { store?: { headPosition?: string } } }).details?.store?.headPosition ?? NaN);

/** From the spawn, when /ready first answers 200 (polled every 20 ms), in ms. */
export async function readyAfter(baseUrl: string, spawnedAt: number, timeoutMs = 600_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const res = await fetch(`${baseUrl}/ready`).catch(() => undefined);
    if (res?.status === 200) return performance.now() - spawnedAt;
    await new Promise((r) => setTimeout(r, 20));
  }
  return NaN;
}

export async function runHttpBench(kind: StoreKind, options: HttpOptions): Promise<HttpRow> {
  const dataDir = mkdtempSync(join(tmpdir(), `atlauja-http-${kind}-`));
  const schema = kind === 'postgres' ? uniqueSchema('bench_http') : undefined;
  const instrumentFile = join(dataDir, 'instrument.json');
  const actors = await prepareActors(dataDir);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let worker: Awaited<ReturnType<typeof startServer>> | undefined;
  let client: HttpClient | undefined;
  try {
    const env = { ...serverEnv(kind, dataDir, schema), BENCH_INSTRUMENT_FILE: instrumentFile };
    server = await startServer({ env, captureOutput: false, nodeArgs: ['-r', INSTRUMENT] });
    const readyMs = await readyAfter(server.baseUrl, server.spawnedAt);
    if (kind === 'postgres') {
      // The read models of a server deployment: one worker process beside the api replica.
      const script = compiledApi().replace(join('apps', 'api', 'src', 'main.js'), join('apps', 'worker', 'src', 'main.js'));
      worker = await startServer({ env: { ...env, LOG_LEVEL: 'warn', EXPIRY_INTERVAL_SECONDS: '60' }, script, captureOutput: false, waitForHealth: false });
    }
    client = new HttpClient(server.baseUrl, options.workers);
    await new Promise((r) => setTimeout(r, 1000));
    const rssAtRest = server.rssBytes();
    await runLifecycleLoad({ client, actors, workers: options.workers, durationMs: options.warmupMs });
    const cpu0 = cpuSeconds(server.pid);
    await instrumentReading(server.pid, instrumentFile);
    const load = await runLifecycleLoad({ client, actors, workers: options.workers, durationMs: options.durationMs });
    const counted = await instrumentReading(server.pid, instrumentFile);
    const serverCpu = (cpuSeconds(server.pid) - cpu0) / (load.elapsedMs / 1000);
    const ready = await client.send('GET', '/ready');
    if (load.errors > 0) console.warn(`http ${kind}: ${load.errors} errors, e.g. ${load.errorSamples.join(' | ')}`);
    return {
      store: kind,
      commandsPerSecond: round(perSecond(load.commands, load.elapsedMs)),
      p50Ms: round(percentile(load.latenciesMs, 50), 2),
      p99Ms: round(percentile(load.latenciesMs, 99), 2),
      errors: load.errors,
      statementsPerRequest: round(counted.request / Math.max(1, counted.requests), 2),
      backgroundStatementsPerCommand: kind === 'postgres' ? 'in the worker' : round(counted.background / Math.max(1, load.commands), 2),
      eventLoopDelayP99Ms: round(counted.eventLoopDelayMs.p99, 1),
      listenMs: round(server.listenMs),
      readyMs: round(readyMs),
      serverCpu: round(serverCpu, 2),
      events: headPositionOf(ready.json),
      rssAtRestMb: mb(rssAtRest),
      rssAfterMb: mb(server.rssBytes()),
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}; the server's last output: ${server?.output().slice(-1500) ?? ''}`);
  } finally {
    client?.close();
    await worker?.stop();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      await dropSchema(schema);
      await dropSchema(`${schema}_rm`);
    }
  }
}

export async function runBareFastify(options: HttpOptions): Promise<BareRow> {
  const server = await startServer({
    env: {},
    script: join(REPO_ROOT, 'bench', 'support', 'bare-fastify.ts'),
    nodeArgs: ['-r', 'ts-node/register/transpile-only'],
    captureOutput: false,
  });
  const client = new HttpClient(server.baseUrl, options.workers);
  try {
    const body = draftBody();
    const post = async () => {
      const res = await client.send('POST', '/applications', { body, headers: { authorization: 'Bearer x' } });
      if (res.status !== 201) throw new Error(`bare fastify answered ${res.status}`);
    };
    await forDuration(options.workers, options.warmupMs, post);
    const started = performance.now();
    const latencies = await forDuration(options.workers, options.durationMs, post);
    return { requestsPerSecond: round(perSecond(latencies.length, performance.now() - started)), p50Ms: round(percentile(latencies, 50), 2), p99Ms: round(percentile(latencies, 99), 2) };
  } finally {
    client.close();
    await server.stop();
  }
}
