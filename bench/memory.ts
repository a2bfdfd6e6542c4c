/**
 * Figure 6 (and the start-up figures): the local-mode server (embedded store) in its own process, on
 * a data directory that already holds `stored` events, as a long-running installation has it: the
 * demo registry seeded by a first start, the events filled in (support/template.ts), the read models
 * current (rebuilt before the start). Measured: the time from the spawn to listening and to /ready,
 * the first command sent the moment it listens (a draft: nothing folded from the whole log may stand
 * before it), the event loop's delay p99 from listening to /ready (the catch-up) and during the load
 * (the bench's preload, support/instrument.js), RSS at rest, after a short command load, and its peak (VmHWM).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { DEFAULT_READ_MODEL_SCHEMA, markNoticesDelivered, READ_MODELS, rebuildReadModels } from '@atlauja/projections';
import { markReactorCurrent } from '@atlauja/processes';
import { headPositionOf, INSTRUMENT, instrumentReading, readyAfter, serverEnv } from './http-commands';
import { draftBody, freshApplicantCode, prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { round } from './support/stats';
import { BATCH_TIMEOUT_MS } from './support/stores';
import { fillTo, Template } from './support/template';

export interface MemoryRow {
  storedEvents: number;
  listenMs: number;
  readyMs: number;
  firstCommandMs: number;
  startEventLoopP99Ms: number;
  loadEventLoopP99Ms: number;
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
    const store = await openEmbeddedEventStore(dataDir, { timeoutMs: BATCH_TIMEOUT_MS });
    const storedEvents = await fillTo(store, 'event_store', template, stored);
    await rebuildReadModels({ store, sql: store.sql, projections: READ_MODELS });
    // The copies' consequences (grant streams) stand as an installation's reactor would have recorded them.
    await markReactorCurrent(store.sql, DEFAULT_READ_MODEL_SCHEMA, await store.headPosition());
    // And their notices stand delivered, as an installation's executor would have sent them.
    await markNoticesDelivered(store.sql, DEFAULT_READ_MODEL_SCHEMA, new Date());
    await store.close();
    const instrumentFile = join(dataDir, 'instrument.json');
    const env = { ...serverEnv('embedded', dataDir), BENCH_INSTRUMENT_FILE: instrumentFile };
    const server = await startServer({ env, captureOutput: false, startTimeoutMs: 300_000, nodeArgs: ['-r', INSTRUMENT] });
    const client = new HttpClient(server.baseUrl, 8);
    try {
      // From the first answer on: the modules' loading before it is one synchronous block that serves nobody.
      await instrumentReading(server.pid, instrumentFile);
      // Readiness is polled while the first command waits: the api listens before its store has opened.
      const readiness = readyAfter(server.baseUrl, server.spawnedAt);
      const sent = performance.now();
      const first = await client.send('POST', '/applications', { headers: { authorization: `Bearer ${actors.tokens.representative}` }, body: draftBody(freshApplicantCode()) });
      const firstCommandMs = performance.now() - sent;
      if (first.status !== 201) throw new Error(`the first command after the start answered ${first.status}: ${first.text.slice(0, 200)}`);
      const readyMs = await readiness;
      const atStart = await instrumentReading(server.pid, instrumentFile);
      await new Promise((r) => setTimeout(r, 2000));
      const rssAtRest = server.rssBytes();
      await instrumentReading(server.pid, instrumentFile);
      await runLifecycleLoad({ client, actors, workers: 8, durationMs: loadMs });
      const underLoad = await instrumentReading(server.pid, instrumentFile);
      const ready = await client.send('GET', '/ready');
      const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN);
      return {
        storedEvents,
        listenMs: round(server.listenMs),
        readyMs: round(readyMs),
        firstCommandMs: round(firstCommandMs, 1),
        startEventLoopP99Ms: round(atStart.eventLoopDelayMs.p99, 1),
        loadEventLoopP99Ms: round(underLoad.eventLoopDelayMs.p99, 1),
        rssAtRestMb: mb(rssAtRest),
        afterLoadEvents: headPositionOf(ready.json),
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
