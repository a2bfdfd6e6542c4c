/**
 * `npm run bench`: every figure beside its limit, measured in one run on this machine; prints the
 * tables and writes bench/results/latest.json. Figures, not assertions: the targets are reported.
 *
 *   BENCH_SCALE=quick (default) | full   sizes of the scale/rebuild figures: 10k, 100k (+ 1M in full);
 *                                         `npm run bench -- --full` is the same as BENCH_SCALE=full
 *   DATABASE_URL=postgres://...           adds the PostgreSQL rows (each run in schemas of its own, dropped after)
 *   BENCH_SECONDS=15                      length of each HTTP measurement
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runLongTermSignatureBench, runSignatureBench, runSignatureFormatBench } from './signatures.bench';
import { runAppendBench, AppendRow, CorrectnessRow } from './store-appends';
import { runTokenBench } from './tokens';
import { BareRow, HttpRow, runBareFastify, runHttpBench } from './http-commands';
import { runScaleBench, scaleSizes, ScaleRow } from './scale';
import { MemoryRow, runStartBench } from './memory';
import { PortalRow, runPortalBench } from './portal';
import { databaseUrl, openBenchStore, storeKinds } from './support/stores';
import { round } from './support/stats';
import { draftedPayload, realLifecycle } from './support/template';
import { REPO_ROOT } from './support/build';
import { createPgDriver } from '@atlauja/event-store';

interface Target {
  figure: string;
  target: string;
  value: number | string;
  met: boolean | 'not measured';
}

async function postgresVersion(): Promise<string | undefined> {
  const url = databaseUrl();
  if (!url) return undefined;
  const driver = createPgDriver({ connectionString: url, connectionTimeoutMs: 5000, max: 1 });
  try {
    return (await driver.query<{ v: string }>("select current_setting('server_version') as v"))[0].v;
  } finally {
    await driver.close();
  }
}

const failures: string[] = [];

/** One figure's failure (e.g. the server does not start) is reported and the other figures still run. */
async function attempt<T>(figure: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    const message = `${figure}: ${(error as Error).message.split('\n').filter((l) => !l.startsWith('{"level":30')).join(' | ').slice(0, 400)}`;
    failures.push(message);
    console.error(`FAILED ${message}`);
    return undefined;
  }
}

function section(title: string, rows: object[]): void {
  console.log(`\n## ${title}`);
  console.table(rows);
}

async function main(): Promise<void> {
  const started = Date.now();
  const { mode, sizes } = scaleSizes();
  const seconds = Number(process.env.BENCH_SECONDS ?? 15);
  const http = { workers: 8, warmupMs: 3000, durationMs: seconds * 1000 };
  const kinds = storeKinds();
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    postgres: await postgresVersion(),
  };
  console.log(`Atļauja bench, ${new Date().toISOString()}, scale ${mode} (${sizes.join(', ')} events), stores: ${kinds.join(', ')}`);
  console.log(machine);

  const signatures = runSignatureBench({ millisecondsPerCase: 1000 });
  section('5. Signature verifications/s beside raw crypto.verify', signatures.map((r) => ({ ...r, ratio: round(r.verificationsPerSecond / r.rawVerifiesPerSecond, 3) })));
  const signatureFormats = await runSignatureFormatBench({ millisecondsPerCase: 1000 });
  section(
    '5b. Verifications/s per format (CAdES, XAdES in an EDOC, PAdES) beside raw crypto.verify of the same chain',
    signatureFormats.map(({ stepsMs: _steps, ...r }) => ({ ...r, ratio: round(r.verificationsPerSecond / r.rawChainVerifiesPerSecond, 3) })),
  );
  const longTermSignatures = runLongTermSignatureBench({ millisecondsPerCase: 1000 });
  section('5d. Verifications/s at levels B, T, LT (timestamp and OCSP checked) beside raw crypto.verify of every signature checked', longTermSignatures.map((r) => ({ ...r, ratio: round(r.verificationsPerSecond / r.rawVerifiesPerSecond, 3) })));
  section('5c. Library cost per verification (ms)', signatureFormats.flatMap((r) => Object.entries(r.stepsMs).map(([step, ms]) => ({ format: r.format, step, ms }))));

  const tokens = await runTokenBench();
  section('Token check per request (verifications/s)', tokens);

  const template = await realLifecycle();
  const payload = draftedPayload(template);
  const appends: AppendRow[] = [];
  const correctness: CorrectnessRow[] = [];
  for (const kind of kinds) {
    const s = await openBenchStore(kind, 'bench_appends');
    try {
      const measured = await runAppendBench(s, payload, { ms: 2500, rounds: 3 });
      appends.push(...measured.rows);
      correctness.push(...measured.correctness);
    } finally {
      await s.cleanup();
    }
  }
  section(`2. Store appends beside a raw single-row INSERT through the same driver at the same concurrency, and Emmett (payload: a real ApplicationDrafted, ${JSON.stringify(payload.data).length + JSON.stringify(payload.metadata).length} B)`, appends);
  if (correctness.length > 0) section('2b. Reading back a log written by 8 concurrent writers, while they write', correctness);

  const bare: BareRow = (await attempt('bare Fastify', () => runBareFastify(http))) ?? { requestsPerSecond: NaN, p50Ms: NaN, p99Ms: NaN };
  const httpRows: (HttpRow & { rawInsertPerSecond: number; vsRawInsert: number; storeAppendsPerSecond: number; vsStoreAppend: number; vsBareFastify: number })[] = [];
  for (const kind of kinds) {
    const row = await attempt(`HTTP commands (${kind})`, () => runHttpBench(kind, http));
    if (!row) continue;
    const single = appends.find((a) => a.store === kind && a.writers === http.workers && a.case.startsWith('single'))!;
    httpRows.push({
      ...row,
      rawInsertPerSecond: single.rawInsertEventsPerSecond,
      vsRawInsert: round(row.commandsPerSecond / single.rawInsertEventsPerSecond, 2),
      storeAppendsPerSecond: single.eventsPerSecond,
      vsStoreAppend: round(row.commandsPerSecond / single.eventsPerSecond, 2),
      vsBareFastify: round(row.commandsPerSecond / bare.requestsPerSecond, 3),
    });
  }
  section(`1. Commands over HTTP (${http.workers} connections, server in its own process; bare Fastify: ${bare.requestsPerSecond} req/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms)`, httpRows);

  const scale: ScaleRow[] = [];
  for (const kind of kinds) scale.push(...(await runScaleBench(kind, template, sizes)));
  section('3./4. Scale: append latency, raw read, rebuild and queue query by stored events', scale);

  const memory: MemoryRow[] = (await attempt('start-up and memory', () => runStartBench(template, sizes, 5000))) ?? [];
  const emptyRun = httpRows.find((r) => r.store === 'embedded');
  section('6. Start-up and memory of the local-mode server (embedded store; read models current; medians of the starts)', [
    ...(emptyRun ? [{ storedEvents: 0, starts: 1, listenMs: emptyRun.listenMs, readyMs: emptyRun.readyMs, firstCommandMs: NaN, startEventLoopP99Ms: NaN, loadEventLoopP99Ms: emptyRun.eventLoopDelayP99Ms, rssAtRestMb: emptyRun.rssAtRestMb, afterLoadEvents: emptyRun.events, rssAfterLoadMb: emptyRun.rssAfterMb, rssPeakMb: NaN }] : []),
    ...memory,
  ]);

  const portalEvents = Number(process.env.BENCH_PORTAL_EVENTS ?? 100_000);
  const portal: PortalRow | undefined = await attempt('portal', () => runPortalBench(template, portalEvents));
  if (portal) section(`7. The portal: JavaScript sent and the approvers' queue's first screen in Chromium (${portalEvents} events stored)`, [portal]);

  const targets: Target[] = [];
  const at8 = (kind: string) => appends.find((a) => a.store === kind && a.writers === 8 && a.case.startsWith('single'));
  for (const kind of kinds) {
    const row = at8(kind);
    if (row) targets.push({ figure: `store append at 8 writers vs raw INSERT (${kind})`, target: '>= 0.60', value: row.ratio, met: row.ratio >= 0.6 });
    if (row?.vsEmmett !== undefined) targets.push({ figure: `store append at 8 writers vs Emmett (${kind})`, target: '> 1.00', value: row.vsEmmett, met: row.vsEmmett > 1 });
  }
  for (const row of correctness) {
    targets.push({ figure: `gaps + duplicates reading back 8 concurrent writers (${row.store})`, target: row.store === 'ours' ? '0' : '(reported)', value: row.gaps + row.duplicates, met: row.store === 'ours' ? row.gaps + row.duplicates === 0 : 'not measured' });
  }
  for (const row of httpRows) {
    targets.push({ figure: `HTTP commands/s vs raw INSERT at 8 (${row.store})`, target: row.store === 'postgres' ? '>= 0.25' : '(reported)', value: row.vsRawInsert, met: row.store === 'postgres' ? row.vsRawInsert >= 0.25 : 'not measured' });
  }
  const smallest = memory[0];
  for (const row of memory) {
    if (row !== smallest) targets.push({ figure: `first command after a start at ${row.storedEvents} / at ${smallest.storedEvents} events (medians of ${row.starts} starts)`, target: '<= 1.00 (no more)', value: round(row.firstCommandMs / smallest.firstCommandMs, 2), met: row.firstCommandMs <= smallest.firstCommandMs });
    targets.push({ figure: `event loop delay p99 during start-up and load at ${row.storedEvents} events`, target: '< 50 ms', value: Math.max(row.startEventLoopP99Ms, row.loadEventLoopP99Ms), met: Math.max(row.startEventLoopP99Ms, row.loadEventLoopP99Ms) < 50 });
  }
  for (const row of memory.filter((r) => r.storedEvents >= 100_000)) {
    targets.push({ figure: `api listening after launch at ${row.storedEvents} events`, target: '<= 2000 ms', value: row.listenMs, met: row.listenMs <= 2000 });
    const limit = row.storedEvents >= 1_000_000 ? 400 : 300;
    targets.push({ figure: `local RSS at rest at ${row.storedEvents} events`, target: `<= ${limit} MB`, value: row.rssAtRestMb, met: row.rssAtRestMb <= limit });
  }
  for (const kind of kinds) {
    const rows = scale.filter((r) => r.store === kind);
    for (const row of rows.filter((r) => r.events >= 100_000)) {
      const ratio = row.rebuildVsRawRead;
      targets.push({ figure: `rebuild vs raw read at ${row.events} events (${kind})`, target: '>= 0.50', value: ratio, met: typeof ratio === 'number' ? ratio >= 0.5 : 'not measured' });
    }
    const [first, last] = [rows[0], rows[rows.length - 1]];
    if (first && last && last !== first) {
      const ratios: [string, number | string, number | string][] = [
        ['new-stream append p99', first.newStreamAppendP99Ms, last.newStreamAppendP99Ms],
        ['read+append p99', first.readAndAppendP99Ms, last.readAndAppendP99Ms],
        ['queue query p99', first.queueQueryP99Ms, last.queueQueryP99Ms],
      ];
      for (const [name, a, b] of ratios) {
        const value = typeof a === 'number' && typeof b === 'number' ? round(b / a, 2) : 'n/a';
        targets.push({ figure: `${name} at ${last.events} / at ${first.events} (${kind})`, target: '<= 1.25', value, met: typeof value === 'number' ? value <= 1.25 : 'not measured' });
      }
    }
  }
  if (portal) {
    targets.push({ figure: `portal queue first screen at ${portal.storedEvents} events`, target: '< 1000 ms', value: portal.queueFirstScreenMs, met: portal.queueFirstScreenMs < 1000 });
    targets.push({ figure: 'portal JavaScript gzipped', target: '< 250 KB', value: portal.jsGzipKb, met: portal.jsGzipKb < 250 });
  }
  section('Targets (reported, not asserted)', targets);

  if (failures.length > 0) section('Figures that could not be measured', failures.map((f) => ({ failure: f })));
  const result = { failures, date: new Date().toISOString(), scale: mode, sizes, machine, durationSeconds: round((Date.now() - started) / 1000), httpOptions: http, signatures, signatureFormats, longTermSignatures, tokens, appends, correctness, bareFastify: bare, http: httpRows, scaleRows: scale, memory, portal, targets };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten bench/results/latest.json (${result.durationSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
