/**
 * The OpenAPI document as the API serves it at /docs-json: boots the API in-process (local mode,
 * an in-memory store, a scratch data folder) and asks. `npm run portal:api-types` and the contract
 * tests read it from here, so they judge the served document, not a copy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '@atlauja/event-store';
import { createApp } from '../apps/api/src/app.factory';
import { loadConfig } from '../apps/api/src/config/configuration';

export async function servedOpenApi(): Promise<Record<string, any>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-openapi-'));
  try {
    const config = loadConfig({ MODE: 'local', DATA_DIR: dataDir, LOG_LEVEL: 'silent', REGISTRY_TIMER_SECONDS: '0', EXPIRY_INTERVAL_SECONDS: '0' });
    const { app } = await createApp(config, { eventStore: new InMemoryEventStore() });
    await app.init();
    const response = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    await app.close();
    if (response.statusCode !== 200) throw new Error(`/docs-json answered ${response.statusCode}`);
    return JSON.parse(response.body) as Record<string, any>;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
