/**
 * Figure 6: RSS of the local-mode server (embedded store), in its own process: on an empty data
 * directory at rest, and on a data directory that already holds `stored` events (filled before
 * the start, see support/template.ts) at rest and after a short command load.
 * (The empty-store figures after a load come from the HTTP figure's run.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { serverEnv } from './http-commands';
import { prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { round } from './support/stats';
import { fillTo, Template } from './support/template';

export interface MemoryRow {
  storedEvents: number;
  rssAtRestMb: number;
  afterLoadEvents: number;
  rssAfterLoadMb: number;
  startMs: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

export async function runMemoryBench(template: Template, stored: number, loadMs: number): Promise<MemoryRow> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-memory-'));
  try {
    const store = await openEmbeddedEventStore(dataDir);
    const storedEvents = await fillTo(store, 'event_store', template, stored);
    await store.close();
    const actors = await prepareActors(dataDir);
    const t0 = performance.now();
    // A data folder with a long history takes longer to open and catch up than the default minute.
    const server = await startServer({ env: serverEnv('embedded', dataDir), captureOutput: false, startTimeoutMs: 300_000 });
    const startMs = performance.now() - t0;
    const client = new HttpClient(server.baseUrl, 8);
    try {
      await new Promise((r) => setTimeout(r, 2000));
      const rssAtRest = server.rssBytes();
      await runLifecycleLoad({ client, actors, workers: 8, durationMs: loadMs });
      const ready = await client.send('GET', '/ready');
      return {
        storedEvents,
        rssAtRestMb: mb(rssAtRest),
        afterLoadEvents: Number((ready.json as { headPosition: string }).headPosition),
        rssAfterLoadMb: mb(server.rssBytes()),
        startMs: round(startMs),
      };
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
