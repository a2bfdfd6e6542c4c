/**
 * Figure 1: commands over real HTTP. The API runs as its own process (compiled, as `npm start` runs
 * it; local mode's tokens and demo PKI), on the embedded store or on PostgreSQL. The load generator
 * is this process: `workers` connections (keep-alive), each walking applications from draft to
 * approved (6 commands and 1 query each, see support/lifecycle.ts); it also signs the documents,
 * which costs it CPU on the same 2-core machine. Beside it, in the same run, with the same client:
 *  (a) a bare Fastify endpoint in its own process (support/bare-fastify.ts);
 *  (b) the store's single-event append rate through the same driver (store-appends.ts).
 * Also recorded: the server's CPU use during the run and its RSS (figure 6).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { databaseUrl, dropSchema, StoreKind, uniqueSchema } from './support/stores';
import { forDuration, percentile, perSecond, round } from './support/stats';
import { draftBody } from './support/actors';
import { REPO_ROOT } from './support/build';

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
  if (kind === 'postgres') Object.assign(env, { EVENT_STORE: 'postgres', DATABASE_URL: databaseUrl()!, EVENT_STORE_SCHEMA: schema! });
  return env;
}

export async function runHttpBench(kind: StoreKind, options: HttpOptions): Promise<HttpRow> {
  const dataDir = mkdtempSync(join(tmpdir(), `atlauja-http-${kind}-`));
  const schema = kind === 'postgres' ? uniqueSchema('bench_http') : undefined;
  const actors = await prepareActors(dataDir);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let client: HttpClient | undefined;
  try {
    server = await startServer({ env: serverEnv(kind, dataDir, schema), captureOutput: false });
    client = new HttpClient(server.baseUrl, options.workers);
    await new Promise((r) => setTimeout(r, 1000));
    const rssAtRest = server.rssBytes();
    await runLifecycleLoad({ client, actors, workers: options.workers, durationMs: options.warmupMs });
    const cpu0 = cpuSeconds(server.pid);
    const load = await runLifecycleLoad({ client, actors, workers: options.workers, durationMs: options.durationMs });
    const serverCpu = (cpuSeconds(server.pid) - cpu0) / (load.elapsedMs / 1000);
    const ready = await client.send('GET', '/ready');
    if (load.errors > 0) console.warn(`http ${kind}: ${load.errors} errors, e.g. ${load.errorSamples.join(' | ')}`);
    return {
      store: kind,
      commandsPerSecond: round(perSecond(load.commands, load.elapsedMs)),
      p50Ms: round(percentile(load.latenciesMs, 50), 2),
      p99Ms: round(percentile(load.latenciesMs, 99), 2),
      errors: load.errors,
      serverCpu: round(serverCpu, 2),
      events: Number((ready.json as { headPosition: string }).headPosition),
      rssAtRestMb: mb(rssAtRest),
      rssAfterMb: mb(server.rssBytes()),
    };
  } finally {
    client?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) await dropSchema(schema);
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
