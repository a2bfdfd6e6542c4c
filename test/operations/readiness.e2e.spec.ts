/**
 * /ready tells the truth: the store, the read-model database, the token keys and the projections.
 * A failed projection, projections too far behind, a read-model database that does not answer, and
 * an issuer whose keys cannot be fetched each make it 503 naming what is down; and a JWKS outage
 * turns a valid token into a 503 with a log line, never a 401 "token malformed".
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWK } from 'jose';
import { newKeyPair } from '@atlauja/signatures';
import { OidcTokenVerifier } from '@atlauja/auth';
import { createPgDriver, openEmbeddedEventStore, type PostgresEventStore } from '@atlauja/event-store';
import { dropSchema, uniqueSchema } from '../../bench/support/stores';
import { describeWhen } from '../../libs/event-store/test/subjects';
import { bearer, draftBody, startHarness, type Harness } from '../support/api-harness';
import { startTcpProxy } from '../support/tcp-proxy';

const DATABASE_URL = process.env.DATABASE_URL || undefined;

describe('/ready', () => {
  it('is 200 with every check up on a healthy local service', async () => {
    const h = await startHarness();
    try {
      const res = await h.http().get('/ready').expect(200);
      expect(res.body.status).toBe('ok');
      for (const check of ['store', 'readModels', 'tokenKeys', 'projections']) expect(res.body.info[check].status).toBe('up');
    } finally {
      await h.close();
    }
  }, 300_000);

  describe('on a replica that reads the worker\'s checkpoints', () => {
    let h: Harness;
    let store: PostgresEventStore;
    beforeAll(async () => {
      store = await openEmbeddedEventStore(':memory:');
      h = await startHarness({ eventStore: store }, { RUN_PROJECTIONS: 'false', READY_MAX_LAG_EVENTS: '2' });
    }, 300_000);
    afterAll(async () => {
      await h.close();
    });

    it('is 503 with Retry-After when the projections are further behind than READY_MAX_LAG_EVENTS', async () => {
      await h.http().get('/ready').expect(200);
      for (let i = 0; i < 3; i++) await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
      const res = await h.http().get('/ready').expect(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'NOT_READY', checks: { projections: { status: 'down' }, store: { status: 'up' } } });
      expect(res.body.detail).toMatch(/projections: .* is 3 events behind \(bound 2\)/);
    });

    it('is 503 naming the projection that failed', async () => {
      await store.sql.query(`update read_models.projection_checkpoints set state = 'failed', failed_position = 1, error = 'cannot apply' where name = 'approval_queue'`);
      const res = await h.http().get('/ready').expect(503);
      expect(res.body.detail).toMatch(/approval_queue failed at position 1/);
    });
  });

  describeWhen(DATABASE_URL, 'the read-model database check needs DATABASE_URL')('with the read models on PostgreSQL', () => {
    it('is 503 while the read-model database does not answer, and 200 again when it does', async () => {
      const target = new URL(DATABASE_URL!);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const schema = uniqueSchema('ready_rm');
      const readModelSql = createPgDriver({ connectionString: proxy.via(DATABASE_URL!), connectionTimeoutMs: 5000, statementTimeoutMs: 5000 });
      const h = await startHarness({ readModelSql }, { READ_MODEL_SCHEMA: schema });
      try {
        await h.http().get('/ready').expect(200);
        proxy.cut();
        const res = await h.http().get('/ready').expect(503);
        expect(res.body.checks.readModels).toMatchObject({ status: 'down', message: expect.stringMatching(/PostgreSQL database .* unavailable/) });
        expect(res.body.checks.store.status).toBe('up');
        // A query on the read models is a 503 with Retry-After too, not a 500.
        const query = await h.http().get('/queue').set(bearer(h.tokens.approver)).expect(503);
        expect(query.headers['retry-after']).toBeDefined();
        proxy.restore();
        let status = 0;
        for (let i = 0; i < 10 && status !== 200; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, 1000));
          status = (await h.http().get('/ready')).status;
        }
        expect(status).toBe(200);
      } finally {
        await h.close();
        await readModelSql.close();
        await proxy.close();
        await dropSchema(schema);
      }
    }, 300_000);
  });
});

describe('the token issuer\'s keys (JWKS)', () => {
  let jwks: Server;
  let up = true;
  let keys: { publicJwk: JWK; sign(claims: Record<string, unknown>): Promise<string> };
  let issuer: string;
  let h: Harness;

  beforeAll(async () => {
    const { privateKey, publicKey } = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    keys = {
      publicJwk,
      sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience('atlauja').setSubject('329999-00002').setIssuedAt().setExpirationTime('1h').sign(privateKey),
    };
    jwks = createServer((req, res) => {
      if (!up) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [keys.publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
    h = await startHarness({ tokenVerifier: new OidcTokenVerifier(issuer, 'atlauja', { jwksUri: `${issuer}/jwks`, maxAgeSeconds: 1, timeoutMs: 1000 }) });
  }, 300_000);
  afterAll(async () => {
    await h.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  it('accepts a valid token while the keys are reachable, and refuses a forged one with 401', async () => {
    const token = await keys.sign({ roles: ['approver'], institutions: [] });
    await h.http().get('/queue').set(bearer(token)).expect(200);
    const { privateKey: other } = newKeyPair({ type: 'ec', namedCurve: 'P-256' });
    const forged = await new SignJWT({ roles: ['approver'], institutions: [] }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(issuer).setAudience('atlauja').setSubject('x').setIssuedAt().setExpirationTime('1h').sign(other);
    await h.http().get('/queue').set(bearer(forged)).expect(401);
    await h.http().get('/ready').expect(200);
  });

  it('answers 503 with Retry-After and a log line when the keys cannot be fetched and none fresh are cached; /ready says so', async () => {
    up = false;
    await new Promise((r) => setTimeout(r, 1100)); // the cached keys are no longer fresh
    const token = await keys.sign({ roles: ['approver'], institutions: [] });
    const logged = h.logLines.length;
    const res = await h.http().get('/queue').set(bearer(token)).expect(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toMatchObject({ status: 503, code: 'TOKEN_KEYS_UNAVAILABLE' });
    expect(h.logLines.slice(logged).join('')).toMatch(/Token keys unavailable/);
    const ready = await h.http().get('/ready').expect(503);
    expect(ready.body.checks.tokenKeys).toMatchObject({ status: 'down', message: expect.stringMatching(/keys \(http:\/\/127\.0\.0\.1:\d+\/jwks\) are unavailable/) });
    up = true;
    await h.http().get('/queue').set(bearer(token)).expect(200);
    await h.http().get('/ready').expect(200);
  });
});
