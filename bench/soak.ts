/**
 * `npm run soak` (not in CI): the local-mode server (embedded store, its own process) under 80% of
 * its measured peak for SOAK_MINUTES (default 5). Reports errors and RSS growth from the first
 * minute's average to the last minute's (targets: no error, < 20%). Paced by a per-worker pause that
 * is adjusted every few seconds to hold the rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverEnv } from './http-commands';
import { prepareActors } from './support/actors';
import { HttpClient } from './support/http-client';
import { runLifecycleLoad } from './support/lifecycle';
import { startServer } from './support/server-process';
import { perSecond, round } from './support/stats';

async function main(): Promise<void> {
  const minutes = Number(process.env.SOAK_MINUTES ?? 5);
  const workers = 8;
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-soak-'));
  const actors = await prepareActors(dataDir);
  const server = await startServer({ env: serverEnv('embedded', dataDir), captureOutput: false });
  const client = new HttpClient(server.baseUrl, workers);
  try {
    await runLifecycleLoad({ client, actors, workers, durationMs: 3000 });
    const peakRun = await runLifecycleLoad({ client, actors, workers, durationMs: 10_000 });
    const peak = perSecond(peakRun.commands, peakRun.elapsedMs);
    const target = 0.8 * peak;
    console.log(`peak ${round(peak)} commands/s; holding ${round(target)} for ${minutes} min`);

    // Per-worker pause between commands, tuned every 5 s towards the target rate.
    let pauseMs = Math.max(0, (workers * 1000) / target - peakRun.elapsedMs / Math.max(1, peakRun.commands) * workers);
    const samples: { at: number; rssMb: number }[] = [];
    const started = performance.now();
    let commands = 0;
    let errors = 0;
    const errorSamples: string[] = [];
    const end = started + minutes * 60_000;
    const sampler = setInterval(() => samples.push({ at: (performance.now() - started) / 1000, rssMb: server.rssBytes() / 1024 / 1024 }), 10_000);
    try {
      while (performance.now() < end) {
        const slice = await runLifecycleLoad({ client, actors, workers, durationMs: Math.min(5000, end - performance.now()), pauseMs: () => pauseMs });
        commands += slice.commands;
        errors += slice.errors;
        errorSamples.push(...slice.errorSamples.slice(0, 5 - errorSamples.length));
        const rate = perSecond(slice.commands, slice.elapsedMs);
        pauseMs = Math.max(0, pauseMs * (rate / target));
        if (rate < target * 0.9 && pauseMs < 0.5) pauseMs = 0;
        else if (pauseMs === 0 && rate > target * 1.1) pauseMs = 1;
      }
    } finally {
      clearInterval(sampler);
    }
    const elapsed = performance.now() - started;
    const first = samples.filter((s) => s.at <= 60);
    const last = samples.filter((s) => s.at >= elapsed / 1000 - 60);
    const avg = (xs: { rssMb: number }[]) => xs.reduce((a, s) => a + s.rssMb, 0) / Math.max(1, xs.length);
    const growth = avg(last) / avg(first) - 1;
    const report = {
      minutes,
      peakCommandsPerSecond: round(peak),
      heldCommandsPerSecond: round(perSecond(commands, elapsed)),
      commands,
      errors,
      errorSamples,
      rssFirstMinuteMb: round(avg(first)),
      rssLastMinuteMb: round(avg(last)),
      rssGrowth: `${round(growth * 100, 1)}%`,
      targets: { noErrors: errors === 0, rssGrowthBelow20Percent: growth < 0.2 },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
