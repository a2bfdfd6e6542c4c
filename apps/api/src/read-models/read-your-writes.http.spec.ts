/**
 * The read models over HTTP, in local mode (the runner inside the api process, on the embedded
 * store's one PGlite connection): an append followed at once by a query carrying its position sees
 * the effect; a position never reached gives 503 with Retry-After; each endpoint's authorization.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { LocalTokenIssuer, type Principal } from '@atlauja/auth';
import type { PostgresEventStore } from '@atlauja/event-store';
import { READ_MODEL_NAMES } from '@atlauja/projections';
import { APPROVER, ev, LogWriter, MINISTRY, REPRESENTATIVE, SUBORDINATE, USER_ANNA, VIEW_MINISTRY } from '../../../../libs/projections/src/testing/applications';
import { openPglite, type ReadModelDatabase } from '../../../../libs/projections/src/testing/databases';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/configuration';
import type { Startup } from '../health/startup';

const AUDITOR = '040492-13039';

describe('read models over HTTP (local mode, PGlite)', () => {
  let db: ReadModelDatabase;
  let store: PostgresEventStore;
  let app: NestFastifyApplication;
  let startup: Startup;
  let dir: string;
  let log: LogWriter;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};
  const http = () => request(app.getHttpServer());
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    db = await openPglite();
    ({ store } = await db.fresh());
    log = new LogWriter(store);
    dir = mkdtempSync(join(tmpdir(), 'atlauja-read-models-'));
    const issuer = await LocalTokenIssuer.open(dir);
    ({ app, startup } = await createApp(loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'info', READ_YOUR_WRITES_TIMEOUT_MS: '300' }), {
      eventStore: store,
      readModelSql: db.sql,
      tokenVerifier: issuer,
      trust: { anchors: [], crls: [], demo: false },
      logSink: { write: (line) => void logLines.push(line) },
    }));
    await app.init();
    await startup.done;
    await app.getHttpAdapter().getInstance().ready();
    const mint = async (name: string, principal: Principal) => (tokens[name] = await issuer.mint(principal));
    await mint('representative', { subject: REPRESENTATIVE, roles: ['representative'], institutions: [MINISTRY] });
    await mint('subordinateRepresentative', { subject: '150385-14175', roles: ['representative'], institutions: [SUBORDINATE] });
    await mint('approver', { subject: APPROVER, roles: ['approver'], institutions: [] });
    await mint('auditor', { subject: AUDITOR, roles: ['auditor'], institutions: [] });
  }, 30_000);

  afterAll(async () => {
    await app.close(); // stops the runner before the store closes
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a query carrying the position of an append just made sees its effect, in every read model', async () => {
    const position = (await log.append('rw', ev.drafted('rw'), ev.rightsSet(VIEW_MINISTRY), ev.submitted(), ev.signed())).toString();

    const list = await http().get(`/institutions/${MINISTRY}/applications`).query({ minPosition: position }).set(as('representative')).expect(200);
    expect(list.body.items.map((i: { applicationId: string; status: string }) => [i.applicationId, i.status])).toContainEqual(['rw', 'signed']);

    const queue = await http().get('/queue').query({ minPosition: position, institution: MINISTRY }).set(as('approver')).expect(200);
    expect(queue.body.items.map((i: { applicationId: string }) => i.applicationId)).toContain('rw');

    const approvedAt = (await log.append('rw', ev.claimed(), ev.approved())).toString();
    const rights = await http().post('/rights/search').send({ personalCode: USER_ANNA.personalCode, minPosition: approvedAt }).set(as('approver')).expect(200);
    expect(rights.body.items).toEqual([expect.objectContaining({ scope: { kind: 'institution', institution: MINISTRY }, groups: ['VIEW'], user: expect.objectContaining({ personalCode: `${USER_ANNA.personalCode.slice(0, 6)}-*****` }) })]);
    const forAuditor = await http().post('/rights/search').send({ personalCode: USER_ANNA.personalCode.replace('-', '') }).set(as('auditor')).expect(200);
    expect(forAuditor.body.items[0].user.personalCode).toBe(USER_ANNA.personalCode);

    const audit = await http().get('/audit-log').query({ minPosition: approvedAt, stream: 'application-rw', order: 'asc' }).set(as('auditor')).expect(200);
    expect(audit.body.items.map((e: { type: string }) => e.type)).toEqual(['ApplicationDrafted', 'RightsSet', 'ApplicationSubmitted', 'ApplicationSigned', 'ApplicationClaimed', 'ApplicationApproved']);
    const byActor = await http().post('/audit-log/search').send({ actor: APPROVER, stream: 'application-rw' }).set(as('auditor')).expect(200);
    expect(byActor.body.items.map((e: { type: string }) => e.type)).toEqual(['ApplicationApproved', 'ApplicationClaimed']);

    const status = await http().get('/read-models/status').set(as('auditor')).expect(200);
    // Every read model, the registry's included.
    expect(status.body.projections.map((p: { name: string; state: string }) => p.state)).toEqual(READ_MODEL_NAMES.map(() => 'live'));
  });

  it('answers 503 with Retry-After when the read model does not reach the position in time', async () => {
    const beyond = ((await store.headPosition()) + 1000n).toString();
    const started = Date.now();
    const response = await http().get('/queue').query({ minPosition: beyond }).set(as('approver')).expect(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ status: 503, code: 'READ_MODEL_BEHIND' });
  });

  it('applies the authorization rules of each endpoint', async () => {
    await http().get('/queue').expect(401);
    await http().get('/queue').set(as('representative')).expect(403);
    await http().get(`/institutions/${MINISTRY}/applications`).set(as('subordinateRepresentative')).expect(403);
    await http().get(`/institutions/${MINISTRY}/applications`).set(as('approver')).expect(403);
    await http().get(`/institutions/${SUBORDINATE}/applications`).set(as('subordinateRepresentative')).expect(200);
    await http().post('/rights/search').send({}).set(as('representative')).expect(403);
    await http().post('/rights/search').send({ employer: SUBORDINATE }).set(as('representative')).expect(403);
    await http().post('/rights/search').send({ employer: MINISTRY }).set(as('representative')).expect(200);
    await http().get('/audit-log').set(as('approver')).expect(403);
    await http().get('/read-models/status').set(as('approver')).expect(403);
  });

  it('refuses bad query parameters by name, without echoing a personal code', async () => {
    const bad = await http().get('/queue').query({ claimed: 'maybe', limit: '0', minPosition: '-1', extra: 'x' }).set(as('approver')).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['claimed', 'extra', 'limit', 'minPosition']);
    await http().get('/queue').query({ cursor: 'not-ours' }).set(as('approver')).expect(400);
    const code = await http().post('/rights/search').send({ personalCode: '010180-10100' }).set(as('approver')).expect(400);
    expect(JSON.stringify(code.body)).not.toContain('010180-10100');
    expect(logLines.join('\n')).not.toContain(USER_ANNA.personalCode);
  });
});
