/**
 * The api listens before its embedded store has opened: liveness answers at once, readiness says
 * 503 until the start is over, and every other request waits for it and then gets the answer it
 * would have had (a command is recorded, not refused). A store that cannot open fails the start,
 * and the requests that waited get 503, never a 500 or a hang.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { LocalTokenIssuer } from '@atlauja/auth';
import { openEmbeddedEventStore, OpeningEventStore, StoreUnavailable, type PostgresEventStore } from '@atlauja/event-store';
import { draftBody } from '../../../../test/support/api-harness';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/configuration';
import { DEMO_INSTITUTIONS } from '../institutions/institution-directory';
import { DEMO_REPRESENTATIVE_CODE } from '../store/trust-material';

const MINISTRY = DEMO_INSTITUTIONS[0].registrationNumber;

async function startWithOpening(opening: Promise<PostgresEventStore>) {
  const dir = mkdtempSync(join(tmpdir(), 'atlauja-startup-'));
  const issuer = await LocalTokenIssuer.open(dir);
  const { app, startup } = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', REGISTRY_TIMER_SECONDS: '0', EXPIRY_INTERVAL_SECONDS: '0' }), {
    openingStore: new OpeningEventStore(opening),
    tokenVerifier: issuer,
    trust: { anchors: [], crls: [], demo: false },
  });
  await app.init(); // what listen does first: it must not wait for the store
  await app.getHttpAdapter().getInstance().ready();
  const token = await issuer.mint({ subject: DEMO_REPRESENTATIVE_CODE, roles: ['representative'], institutions: [MINISTRY] });
  const dispose = async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { app, startup, token, dispose };
}

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true, () => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the start behind the listen', () => {
  it('answers liveness at once, readiness 503, and holds a command until the store is open, then records it', async () => {
    let open!: (store: PostgresEventStore) => void;
    const { app, startup, token, dispose } = await startWithOpening(new Promise((resolve) => (open = resolve)));
    try {
      await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
      const ready = await request(app.getHttpServer()).get('/ready').expect(503);
      expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(ready.headers['retry-after']).toBe('1');
      expect(ready.body).toMatchObject({ code: 'NOT_READY', status: 503 });

      const draft = request(app.getHttpServer()).post('/applications').set({ authorization: `Bearer ${token}` }).send(draftBody({ institution: MINISTRY })).then((r) => r);
      expect(await settledWithin(draft, 300)).toBe(false);
      expect(startup.isDone).toBe(false);

      open(await openEmbeddedEventStore(':memory:'));
      const drafted = await draft;
      expect(drafted.status).toBe(201);
      await startup.done;
      const events = await request(app.getHttpServer()).get(`/applications/${drafted.body.applicationId}/events`).set({ authorization: `Bearer ${token}` }).expect(200);
      expect(events.body.events.map((e: { type: string }) => e.type)).toEqual(['ApplicationDrafted']);
      await request(app.getHttpServer()).get('/ready').expect(200);
    } finally {
      await dispose();
    }
  }, 60_000);

  it('fails the start when the store cannot open, and the requests that waited get 503', async () => {
    let fail!: (error: Error) => void;
    const { app, startup, token, dispose } = await startWithOpening(new Promise((_, reject) => (fail = reject)));
    try {
      const draft = request(app.getHttpServer()).post('/applications').set({ authorization: `Bearer ${token}` }).send(draftBody({ institution: MINISTRY })).then((r) => r);
      expect(await settledWithin(draft, 200)).toBe(false);
      fail(new StoreUnavailable('DATA_DIR /x is held by another process'));
      await expect(startup.done).rejects.toThrow(StoreUnavailable);
      const refused = await draft;
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ code: 'NOT_READY' });
      await request(app.getHttpServer()).get('/health').expect(200);
    } finally {
      await dispose();
    }
  }, 60_000);
});
