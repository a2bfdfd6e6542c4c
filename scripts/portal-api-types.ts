/**
 * `npm run portal:api-types`: boots the API in-process (local mode, an in-memory store, a scratch
 * data folder), reads its OpenAPI document from /docs-json, writes it beside the portal and
 * generates the portal's TypeScript types from it with openapi-typescript. Run it after an API
 * change; the generated files are committed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InMemoryEventStore } from '@atlauja/event-store';
import { createApp } from '../apps/api/src/app.factory';
import { loadConfig } from '../apps/api/src/config/configuration';

const OUT = resolve(__dirname, '../apps/portal/src/api');

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-openapi-'));
  try {
    const config = loadConfig({ MODE: 'local', DATA_DIR: dataDir, LOG_LEVEL: 'silent', REGISTRY_TIMER_SECONDS: '0', EXPIRY_INTERVAL_SECONDS: '0' });
    const { app } = await createApp(config, { eventStore: new InMemoryEventStore() });
    await app.init();
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    await app.close();
    if (response.statusCode !== 200) throw new Error(`/docs-json answered ${response.statusCode}`);
    const document = JSON.stringify(JSON.parse(response.body), null, 2) + '\n';
    writeFileSync(join(OUT, 'openapi.json'), document);
    execFileSync(process.execPath, [resolve(__dirname, '../node_modules/openapi-typescript/bin/cli.js'), join(OUT, 'openapi.json'), '-o', join(OUT, 'schema.d.ts')], { stdio: 'inherit' });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
