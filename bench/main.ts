/**
 * `npm run bench`: every figure beside its limit, measured in one run on this machine; prints the
 * tables and writes bench/results/latest.json. Figures, not assertions: the targets are reported.
 *
 *   BENCH_SCALE=quick (default) | full   sizes of the scale/rebuild figures: 10k, 100k (+ 1M in full)
 *   DATABASE_URL=postgres://...           adds the PostgreSQL rows (each run in schemas of its own, dropped after)
 *   BENCH_SECONDS=15                      length of each HTTP measurement
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSignatureBench, runSignatureFormatBench } from './signatures.bench';
import { runAppendBench, AppendRow } from './store-appends';
import { BareRow, HttpRow, runBareFastify, runHttpBench } from './http-commands';
import { runScaleBench, scaleSizes, ScaleRow } from './scale';
import { MemoryRow, runMemoryBench } from './memory';
import { databaseUrl, openBenchStore, storeKinds } from './support/stores';
import { round } from './support/stats';
import { realLifecycle } from './support/template';
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
  section('5c. Library cost per verification (ms)', signatureFormats.flatMap((r) => Object.entries(r.stepsMs).map(([step, ms]) => ({ format: r.format, step, ms }))));

  const appends: AppendRow[] = [];
  for (const kind of kinds) {
    const s = await openBenchStore(kind, 'bench_appends');
    try {
      appends.push(...(await runAppendBench(s, { appends: 3000, concurrency: 8, maxMs: 8000 })));
    } finally {
      await s.cleanup();
    }
  }
  section('2. Store appends (8 concurrent writers) beside a raw INSERT through the same driver', appends);

  const bare: BareRow = (await attempt('bare Fastify', () => runBareFastify(http))) ?? { requestsPerSecond: NaN, p50Ms: NaN, p99Ms: NaN };
  const httpRows: (HttpRow & { rawSingleAppendsPerSecond: number; vsRawAppend: number; vsBareFastify: number })[] = [];
  for (const kind of kinds) {
    const row = await attempt(`HTTP commands (${kind})`, () => runHttpBench(kind, http));
    if (!row) continue;
    const raw = appends.find((a) => a.store === kind && a.case === 'single event')!.eventsPerSecond;
    httpRows.push({ ...row, rawSingleAppendsPerSecond: raw, vsRawAppend: round(row.commandsPerSecond / raw, 2), vsBareFastify: round(row.commandsPerSecond / bare.requestsPerSecond, 3) });
  }
  section(`1. Commands over HTTP (${http.workers} connections, server in its own process; bare Fastify: ${bare.requestsPerSecond} req/s, p50 ${bare.p50Ms} ms, p99 ${bare.p99Ms} ms)`, httpRows);

  const template = await realLifecycle();
  const scale: ScaleRow[] = [];
  for (const kind of kinds) {
    const s = await openBenchStore(kind, 'bench_scale');
    try {
      scale.push(...(await runScaleBench(s, template, sizes)));
    } finally {
      await s.cleanup();
    }
  }
  section('3./4. Scale: append latency, raw read, rebuild and queue query by stored events', scale);

  const stored = await attempt('memory', () => runMemoryBench(template, sizes[sizes.length - 1], 5000));
  const memory: MemoryRow[] = stored ? [stored] : [];
  const emptyRun = httpRows.find((r) => r.store === 'embedded');
  section('6. Memory of the local-mode server (embedded store)', [
    ...(emptyRun ? [{ storedEvents: 0, rssAtRestMb: emptyRun.rssAtRestMb, afterLoadEvents: emptyRun.events, rssAfterLoadMb: emptyRun.rssAfterMb, startMs: NaN }] : []),
    ...memory,
  ]);

  const targets: Target[] = [];
  for (const row of httpRows) {
    targets.push({ figure: `HTTP commands/s vs raw single appends/s (${row.store})`, target: '>= 0.60', value: row.vsRawAppend, met: row.vsRawAppend >= 0.6 });
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
  section('Targets (reported, not asserted)', targets);

  if (failures.length > 0) section('Figures that could not be measured', failures.map((f) => ({ failure: f })));
  const result = { failures, date: new Date().toISOString(), scale: mode, sizes, machine, durationSeconds: round((Date.now() - started) / 1000), httpOptions: http, signatures, signatureFormats, appends, bareFastify: bare, http: httpRows, scaleRows: scale, memory, targets };
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nwritten bench/results/latest.json (${result.durationSeconds} s)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
