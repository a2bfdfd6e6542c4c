/**
 * Figure 6 (and the start-up figures): the local-mode server (embedded store) in its own process, on
 * a data directory that already holds `stored` events, as a long-running installation has it: the
 * demo registry seeded by a first start, the events filled in (support/template.ts), the read models
 * current (rebuilt before the start). Measured: the time from the spawn to listening and to /ready,
 * RSS at rest, after a short command load, and its peak (VmHWM).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { READ_MODELS, rebuildReadModels } from '@atlauja/projections';
import { readyAfter, serverEnv } from './http-commands';
import { prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { round } from './support/stats';
import { fillTo, Template } from './support/template';

export interface MemoryRow {
  storedEvents: number;
  listenMs: number;
  readyMs: number;
  rssAtRestMb: number;
  afterLoadEvents: number;
  rssAfterLoadMb: number;
  rssPeakMb: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

export async function runMemoryBench(template: Template, stored: number, loadMs: number): Promise<MemoryRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-memory-'));
  try {
    const actors = await prepareActors(dataDir);
    const first = await startServer({ env: serverEnv('embedded', dataDir), captureOutput: false, startTimeoutMs: 300_000 });
    await first.stop(); // the demo registry is seeded, as on any installation after its first start
    const store = await openEmbeddedEventStore(dataDir);
    const storedEvents = await fillTo(store, 'event_store', template, stored);
    await rebuildReadModels({ store, sql: store.sql, projections: READ_MODELS });
    await store.close();
    const server = await startServer({ env: serverEnv('embedded', dataDir), captureOutput: false, startTimeoutMs: 300_000 });
    const client = new HttpClient(server.baseUrl, 8);
    try {
      const readyMs = await readyAfter(server.baseUrl, server.listenMs);
      await new Promise((r) => setTimeout(r, 2000));
      const rssAtRest = server.rssBytes();
      await runLifecycleLoad({ client, actors, workers: 8, durationMs: loadMs });
      const ready = await client.send('GET', '/ready');
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN);
      return {
        storedEvents,
        listenMs: round(server.listenMs),
        readyMs: round(readyMs),
        rssAtRestMb: mb(rssAtRest),
        afterLoadEvents: Number((ready.json as { headPosition: string }).headPosition),
        rssAfterLoadMb: mb(server.rssBytes()),
        rssPeakMb: mb(peakKb * 1024),
      };
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
