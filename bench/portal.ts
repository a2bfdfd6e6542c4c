/**
 * The portal's figures: the JavaScript it sends (gzipped, as served from the precompressed files)
 * and the first screen of the approvers' queue in Debian's Chromium with `stored` events in the
 * store (filled before the start, see support/template.ts): from the navigation's start to the
 * first queue row painted, by the page's own clock (performance.now()), the median of 5 loads.
 *
 *   npm run bench:portal            (BENCH_PORTAL_EVENTS=100000 by default)
 * bench/main.ts may call runPortalBench(template, stored) beside its other figures.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LocalTokenIssuer } from '@atlauja/auth';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { launchBrowser } from '../test/browser/support/browser';
import { serverEnv } from './http-commands';
import { REPO_ROOT } from './support/build';
import { startServer } from './support/server-process';
import { round } from './support/stats';
import { BATCH_TIMEOUT_MS } from './support/stores';
import { fillTo, realLifecycle, type Template } from './support/template';

export interface PortalRow {
  storedEvents: number;
  queueFirstScreenMs: number;
  queueFirstScreenMaxMs: number;
  jsGzipKb: number;
  jsRawKb: number;
  cssGzipKb: number;
}

const PORTAL = join(REPO_ROOT, 'dist', 'portal');

/** The built portal (built here when missing, as `npm run build` builds it). */
function portalAssets(): { js: Buffer[]; css: Buffer[] } {
  if (!existsSync(join(PORTAL, 'index.html'))) {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/portal/vite.config.mts', '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  const files = readdirSync(join(PORTAL, 'assets'));
  const read = (ext: string) => files.filter((f) => f.endsWith(ext)).map((f) => readFileSync(join(PORTAL, 'assets', f)));
  return { js: read('.js'), css: read('.css') };
}

const kb = (bytes: number) => round(bytes / 1024, 1);
const gzipped = (files: Buffer[]) => files.reduce((sum, f) => sum + gzipSync(f, { level: 9 }).length, 0);

export async function runPortalBench(template: Template, stored: number): Promise<PortalRow> {
  const assets = portalAssets();
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-portal-bench-'));
  const browser = await launchBrowser();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const store = await openEmbeddedEventStore(dataDir, { timeoutMs: BATCH_TIMEOUT_MS });
    const storedEvents = await fillTo(store, 'event_store', template, stored);
    await store.close();
    server = await startServer({ env: { ...serverEnv('embedded', dataDir), PORTAL_DIR: PORTAL, LOG_LEVEL: 'warn' }, captureOutput: false, startTimeoutMs: 300_000 });
    await caughtUp(server.baseUrl, dataDir);

    const page = await browser.context.newPage();
    await page.goto(`${server.baseUrl}/ienakt`);
    await page.getByRole('button', { name: /Jānis Bērziņš/ }).click();
    await page.getByRole('heading', { name: 'Apstiprināšanas rinda' }).waitFor();
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      await page.goto(`${server.baseUrl}/rinda`);
      await page.locator('table.queue tbody tr').first().waitFor({ timeout: 60_000 });
      const ms = await page.evaluate(() => performance.now());
      if (i > 0) times.push(ms); // the first load warms the server's and the browser's caches
    }
    times.sort((a, b) => a - b);
    return {
      storedEvents,
      queueFirstScreenMs: round(times[Math.floor(times.length / 2)]),
      queueFirstScreenMaxMs: round(times[times.length - 1]),
      jsGzipKb: kb(gzipped(assets.js)),
      jsRawKb: kb(assets.js.reduce((s, f) => s + f.length, 0)),
      cssGzipKb: kb(gzipped(assets.css)),
    };
  } finally {
    await browser.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The queue's first screen is measured once the read models include every stored event. */
async function caughtUp(url: string, dataDir: string): Promise<void> {
  const token = await (await LocalTokenIssuer.open(dataDir)).mint({ subject: '329999-00005', roles: ['auditor'], institutions: [] });
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/read-models/status`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) {
      const { projections } = (await response.json()) as { projections: { lag: string; state: string }[] };
      if (projections.every((p) => p.lag === '0')) return;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the read models did not catch up in 10 minutes');
}

if (require.main === module) {
  void (async () => {
    const stored = Number(process.env.BENCH_PORTAL_EVENTS ?? 100_000);
    const row = await runPortalBench(await realLifecycle(), stored);
    console.table([row]);
    console.log(`first screen of the queue at ${row.storedEvents} events: ${row.queueFirstScreenMs} ms (target < 1000: ${row.queueFirstScreenMs < 1000 ? 'met' : 'missed'}); JavaScript sent: ${row.jsGzipKb} KB gzipped (target < 250: ${row.jsGzipKb < 250 ? 'met' : 'missed'})`);
    process.exit(0);
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
