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
import { inTurn, percentile, round } from './support/stats';
import { BATCH_TIMEOUT_MS } from './support/stores';
import { fillTo, Template } from './support/template';

export interface MemoryRow {
  storedEvents: number;
  /** Starts measured at this size; the figures below are their medians, the loop delay their worst. */
  starts: number;
  listenMs: number;
  readyMs: number;
  firstCommandMs: number;
  firstCommandSamplesMs: number[];
  startEventLoopP99Ms: number;
  loadEventLoopP99Ms: number;
  rssAtRestMb: number;
  afterLoadEvents: number;
  rssAfterLoadMb: number;
  rssPeakMb: number;
}

const mb = (bytes: number) => round(bytes / 1024 / 1024);

interface Installation {
  dataDir: string;
  actors: Awaited<ReturnType<typeof prepareActors>>;
  storedEvents: number;
}

/** A data directory as a long-running installation has it, holding `stored` events (see above). */
async function prepareInstallation(template: Template, stored: number): Promise<Installation> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-memory-'));
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
  return { dataDir, actors, storedEvents };
}

interface StartReading {
  listenMs: number;
  readyMs: number;
  firstCommandMs: number;
  startEventLoopP99Ms: number;
  rssAtRestMb: number;
  load?: { loadEventLoopP99Ms: number; afterLoadEvents: number; rssAfterLoadMb: number; rssPeakMb: number };
}

/** One start of the server on an installation: the start's figures, and with `loadMs` the load's. */
async function measureStart(installation: Installation, loadMs?: number): Promise<StartReading> {
  const { dataDir, actors } = installation;
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
    const reading: StartReading = {
      listenMs: server.listenMs, readyMs, firstCommandMs, startEventLoopP99Ms: atStart.eventLoopDelayMs.p99, rssAtRestMb: mb(server.rssBytes()),
    };
    if (loadMs === undefined) return reading;
    await instrumentReading(server.pid, instrumentFile);
    await runLifecycleLoad({ client, actors, workers: 8, durationMs: loadMs });
    const underLoad = await instrumentReading(server.pid, instrumentFile);
    const ready = await client.send('GET', '/ready');
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? NaN);
    reading.load = { loadEventLoopP99Ms: underLoad.eventLoopDelayMs.p99, afterLoadEvents: headPositionOf(ready.json), rssAfterLoadMb: mb(server.rssBytes()), rssPeakMb: mb(peakKb * 1024) };
    return reading;
  } finally {
    client.close();
    await server.stop();
  }
}

/**
 * One installation per size, each started `starts` times in rounds that visit every size in turn
 * (the order alternating), so the sizes share the machine's slow and fast moments: a single start
 * per size, minutes apart, compared the VM's moments (1.8 s first commands in one run, 0.8 s in
 * another, for the same code). The last round's starts also carry a `loadMs` command load.
 */
export async function runStartBench(template: Template, sizes: number[], loadMs: number, starts = 5): Promise<MemoryRow[]> {
  const installations: Installation[] = [];
  try {
    for (const size of sizes) installations.push(await prepareInstallation(template, size));
    const readings = installations.map((): StartReading[] => []);
    for (let r = 0; r < starts; r += 1) {
      for (const i of inTurn([...installations.keys()], r)) readings[i].push(await measureStart(installations[i], r === starts - 1 ? loadMs : undefined));
    }
    return installations.map((installation, i) => {
      const all = readings[i];
      const median = (pick: (reading: StartReading) => number): number => percentile(all.map(pick), 50);
      const load = all[all.length - 1].load!;
      return {
        storedEvents: installation.storedEvents,
        starts: all.length,
        listenMs: round(median((x) => x.listenMs)),
        readyMs: round(median((x) => x.readyMs)),
        firstCommandMs: round(median((x) => x.firstCommandMs), 1),
        firstCommandSamplesMs: all.map((x) => round(x.firstCommandMs)),
        startEventLoopP99Ms: round(Math.max(...all.map((x) => x.startEventLoopP99Ms)), 1),
        loadEventLoopP99Ms: round(load.loadEventLoopP99Ms, 1),
        rssAtRestMb: median((x) => x.rssAtRestMb),
        afterLoadEvents: load.afterLoadEvents,
        rssAfterLoadMb: load.rssAfterLoadMb,
        rssPeakMb: load.rssPeakMb,
      };
    });
  } finally {
    for (const { dataDir } of installations) rmSync(dataDir, { recursive: true, force: true });
  }
}
