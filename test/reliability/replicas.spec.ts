/**
 * Two api processes on one PostgreSQL, as two replicas behind a load balancer: every Idempotency-Key
 * sent to both at the same moment has one effect, and both callers get the same answer. Nothing is
 * shared between the processes but the database: the key travels in the appended events' metadata,
 * the draft's id derives from it, and the stream's expected revision decides which append is first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTokenIssuer } from '@atlauja/auth';
import { createPgDriver, PostgresEventStore } from '@atlauja/event-store';
import { compiledApi } from '../../bench/support/build';
import { startServer, type ServerProcess } from '../../bench/support/server-process';
import { dropSchema, uniqueSchema } from '../../bench/support/stores';
import { DATABASE_URL } from './support/stores';

const KEYS = 50;
const MINISTRY = '90000000001';
/** Local mode's demo representative (the demo registry lists them at the ministry). */
const REPRESENTATIVE = '329999-00001';

const draft = (i: number) => ({
  kind: 'new-user',
  institution: MINISTRY,
  user: { givenName: 'Līga', surname: `Ozoliņa ${i}`, personalCode: `329999-${50000 + i}`, email: `liga${i}@ministrija.example` },
  term: { kind: 'after-last-login', months: 18 },
  justification: 'Prepares the ministry estimate.',
});

(DATABASE_URL ? describe : describe.skip)('two replicas, one PostgreSQL: one key, one effect', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atlauja-replicas-'));
  const schema = uniqueSchema('replicas');
  const readModels = uniqueSchema('replicas_rm');
  const env = { DATA_DIR: dataDir, MODE: 'local', EVENT_STORE: 'postgres', DATABASE_URL: DATABASE_URL!, EVENT_STORE_SCHEMA: schema, READ_MODEL_SCHEMA: readModels, EXPIRY_INTERVAL_SECONDS: '0', REGISTRY_TIMER_SECONDS: '0' };
  let a: ServerProcess;
  let b: ServerProcess;
  let token: string;

  beforeAll(async () => {
    compiledApi();
    // The first seeds the demo registry and writes the token key; the second finds both.
    a = await startServer({ env: { ...env, RUN_PROJECTIONS: 'true' }, startTimeoutMs: 120_000 });
    b = await startServer({ env: { ...env, RUN_PROJECTIONS: 'false' }, startTimeoutMs: 120_000 });
    token = await (await LocalTokenIssuer.open(dataDir)).mint({ subject: REPRESENTATIVE, roles: ['representative'], institutions: [MINISTRY] });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropSchema(schema);
    await dropSchema(readModels);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const post = (server: ServerProcess, path: string, key: string, body?: object) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': key, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

  it(`${KEYS} keys, each sent to both replicas at once: ${KEYS} applications, identical answers`, async () => {
    const pairs = await Promise.all(
      Array.from({ length: KEYS }, async (_, i) => {
        const key = `replica-draft-${i.toString().padStart(4, '0')}`;
        return Promise.all([post(a, '/applications', key, draft(i)), post(b, '/applications', key, draft(i))]);
      }),
    );
    for (const [first, second] of pairs) {
      expect(first.status).toBe(201);
      expect(second).toEqual(first);
    }
    const ids = new Set(pairs.map(([first]) => first.body.applicationId));
    expect(ids.size).toBe(KEYS);

    const driver = createPgDriver({ connectionString: DATABASE_URL!, connectionTimeoutMs: 5000, max: 2 });
    const store = await PostgresEventStore.open(driver, { schema });
    try {
      for (const id of ids) {
        const stream = await store.readStream(`application-${String(id)}`);
        expect(stream.found && stream.events.map((e) => e.type)).toEqual(['ApplicationDrafted']);
      }
    } finally {
      await store.close();
    }
  }, 300_000);

  it('a keyed submit sent to both replicas at once submits once; both hear the same', async () => {
    const drafted = await post(a, '/applications', 'replica-submit-draft', draft(99));
    const id = String(drafted.body.applicationId);
    const rights = await fetch(`${a.baseUrl}/applications/${id}/rights`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ rights: [{ kind: 'institution', institution: MINISTRY, groups: ['MANAGE'] }] }),
    });
    expect(rights.status).toBe(200);
    const [first, second] = await Promise.all([post(a, `/applications/${id}/submit`, 'replica-submit'), post(b, `/applications/${id}/submit`, 'replica-submit')]);
    expect(first.status).toBe(200);
    expect(second).toEqual(first);
  }, 120_000);
});
