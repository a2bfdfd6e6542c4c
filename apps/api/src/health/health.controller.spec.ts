import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryEventStore } from '@atlauja/event-store';
import request from 'supertest';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/configuration';

describe('GET /health', () => {
  let app: NestFastifyApplication;
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-health-'));
  beforeAll(async () => {
    ({ app } = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { eventStore: new InMemoryEventStore() }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 200 with status ok', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document at /docs-json', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/health');
  });

  it('answers an unknown path with problem+json that does not echo the path', async () => {
    const res = await request(app.getHttpServer()).get('/users/010190-12345').expect(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, title: 'Not found' });
    expect(JSON.stringify(res.body)).not.toContain('010190');
  });

  it('answers a malformed JSON body with a 400 problem', async () => {
    const res = await request(app.getHttpServer()).post('/health').set('content-type', 'application/json').send('{"a":').expect(400);
    expect(res.body.title).toBe('Malformed request');
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
