/**
 * The API as a separate process (`node <compiled main.js>`), as `npm start` runs it: its own event
 * loop and core, its stdout kept (for the secrets check), its RSS readable, and killable with
 * SIGKILL. Every child is started in its own process group and killed by that group's id.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { compiledApi } from './build';

export interface ServerProcess {
  pid: number;
  /** From the spawn to the first answer of /health (NaN when not waited for). */
  listenMs: number;
  /** performance.now() at the spawn: later instants of the start are measured from it. */
  spawnedAt: number;
  port: number;
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr. */
  output(): string;
  /** Resident set size in bytes (Linux /proc). */
  rssBytes(): number;
  /** SIGKILL to the process group; resolves when the process has exited (and been reaped). */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  exited: Promise<number | null>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  env: Record<string, string>;
  /** How long to wait for /health (the embedded store takes seconds to create a data dir). */
  startTimeoutMs?: number;
  /** A different script to run (the bare Fastify server). */
  script?: string;
  nodeArgs?: string[];
  /** Keep all of stdout/stderr for output() (default); false keeps only the last 8 KB (benchmarks: for a start-up failure). */
  captureOutput?: boolean;
  /** false: a process without HTTP (the worker): return once spawned. */
  waitForHealth?: boolean;
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const script = options.script ?? compiledApi();
  const port = Number(options.env.PORT ?? (await freePort()));
  const chunks: string[] = [];
  const spawned = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', ...options.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: killed by group id
  });
  live.add(child);
  const keep = (c: string) => {
    chunks.push(c);
    if (options.captureOutput === false && chunks.length > 64) chunks.splice(0, chunks.length - 8);
  };
  child.stdout!.setEncoding('utf8').on('data', keep);
  child.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child);
    resolve(code);
  }));
  const handle: ServerProcess = {
    pid: child.pid!,
    listenMs: NaN,
    spawnedAt: spawned,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => chunks.join(''),
    rssBytes: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
      return kb * 1024;
    },
    kill: async () => {
      killGroup(child, 'SIGKILL');
      await exited;
    },
    stop: async (graceMs = 5000) => {
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    exited,
  };

  if (options.waitForHealth === false) return handle;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      const res = await fetch(`${handle.baseUrl}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) {
        handle.listenMs = performance.now() - spawned;
        return handle;
      }
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  // Say why before killing it: after the kill it has always exited.
  const reason = gone ? `it exited with code ${String(child.exitCode)}` : `no answer within ${options.startTimeoutMs ?? 60_000} ms`;
  await handle.kill();
  throw new Error(`the server did not become healthy (${reason}); output:\n${handle.output().slice(-3000)}`);
}
