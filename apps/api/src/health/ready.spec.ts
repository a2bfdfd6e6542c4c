/**
 * /ready in local mode: the api listens at once and its read models catch up behind /ready, which
 * answers 503 READ_MODELS_CATCHING_UP until they are within READY_LAG_BOUND of the log's head, then
 * 200, and stays 200 when later appends put them behind again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { PostgresEventStore, SqlDriver } from '@atlauja/event-store';
import { ev, LogWriter, VIEW_MINISTRY } from '../../../../libs/projections/src/testing/applications';
import { openPglite, type ReadModelDatabase } from '../../../../libs/projections/src/testing/databases';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/configuration';
import { READY_LAG_BOUND } from '../read-models/read-models.host';

describe('GET /ready while the read models catch up (local mode, PGlite)', () => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let app: NestFastifyApplication;
  let dir: string;
  let held: { promise: Promise<void>; release: () => void } | null = null;

  /** The read-model connection, whose transactions (the runner's batches) wait while `held` is set. */
  const gated = (sql: SqlDriver): SqlDriver => ({
    query: (text, params) => sql.query(text, params),
    transaction: async (work) => {
      while (held) await held.promise;
      return sql.transaction(work);
    },
    close: () => Promise.resolve(),
  });
  const hold = (): void => {
    let release = (): void => undefined;
    const promise = new Promise<void>((resolve) => (release = resolve));
    held = { promise, release: () => { held = null; release(); } };
  };
  const appendBeyondTheBound = async (prefix: string): Promise<void> => {
    const log = new LogWriter(store);
    for (let i = 0; i <= Number(READY_LAG_BOUND) / 2; i++) await log.append(`${prefix}-${i}`, ev.drafted(`${prefix}-${i}`), ev.rightsSet(VIEW_MINISTRY));
  };

  beforeAll(async () => {
    db = await openPglite();
    ({ store } = await db.fresh());
    dir = mkdtempSync(join(tmpdir(), 'atlauja-ready-'));
    ({ app } = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', REGISTRY_TIMER_SECONDS: '0' }), {
      eventStore: store,
      readModelSql: gated(db.sql),
      trust: { anchors: [], crls: [], demo: false },
    }));
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  }, 60_000);

  afterAll(async () => {
    held?.release();
    await app.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('503 with Retry-After while they are behind, 200 once caught up, and still 200 when they fall behind later', async () => {
    hold();
    await appendBeyondTheBound('first');
    const behind = await request(app.getHttpServer()).get('/ready').expect(503);
    expect(behind.headers['retry-after']).toBe('1');
    expect(behind.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(behind.body).toMatchObject({ status: 503, code: 'READ_MODELS_CATCHING_UP' });

    held!.release();
    let status = 503;
    for (let i = 0; i < 300 && status !== 200; i++) {
      status = (await request(app.getHttpServer()).get('/ready')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);

    hold();
    await appendBeyondTheBound('later');
    const ready = await request(app.getHttpServer()).get('/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ready', headPosition: (await store.headPosition()).toString() });
  }, 120_000);
});
