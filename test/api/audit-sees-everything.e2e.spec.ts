/**
 * The auditor sees everything: an institution's history holds its own registry stream and its
 * campaigns beside its applications (over HTTP and in an exported bundle), and a time changed in
 * the database is a named finding in the auditor's answers, never a 500.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportBundle, trustHistoryOf } from '@atlauja/audit';
import type { PostgresEventStore } from '@atlauja/event-store';
import { bearer, Harness, startHarness } from '../support/api-harness';
import { approvedApplication, REP_A } from '../support/approved-application';

const MUNICIPALITY = '90000000301';
const OTHER = '90000000302';
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('the auditor sees everything', () => {
  let h: Harness;
  let application: string;
  let otherApplication: string;
  let campaign: string;
  const auditor = () => bearer(h.tokens.auditor);

  beforeAll(async () => {
    h = await startHarness();
    const admin = bearer(h.tokens.admin);
    // Given an institution in the registry with a representative, an approved application and an open campaign,
    for (const reg of [MUNICIPALITY, OTHER]) {
      await h.http().post('/institutions').set(admin).send({ registrationNumber: reg, officialName: `Izdomātā pašvaldība ${reg.slice(-1)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
    }
    await h.http().post(`/institutions/${MUNICIPALITY}/representatives`).set(admin).send({ personalCode: REP_A }).expect(200);
    application = await approvedApplication(h, MUNICIPALITY, '320001-00001');
    otherApplication = await approvedApplication(h, OTHER, '320001-00002');
    campaign = (await h.http().post('/recertifications').set(admin).send({ institution: MUNICIPALITY, deadline: inDays(30) }).expect(201)).body.campaignId;
  }, 120_000);
  afterAll(() => h?.close());

  it("when the auditor asks for the institution's history, then it holds its registry stream, its campaign and its applications, and nothing of another institution", async () => {
    const res = await h.http().get(`/audit/institutions/${MUNICIPALITY}/history`).set(auditor()).expect(200);
    expect(res.body.institution).toBe(MUNICIPALITY);
    expect(res.body.applications.map((a: { applicationId: string }) => a.applicationId)).toEqual([application]);
    expect(res.body.streams.map((s: { stream: string; type: string }) => `${s.type} ${s.stream}`)).toEqual([
      `institution institution-${MUNICIPALITY}`,
      `recertification recertification-${campaign}`,
    ]);
    const [registry, opened] = res.body.streams;
    expect(registry.who.map((w: { type: string }) => w.type)).toEqual(expect.arrayContaining(['InstitutionRegistered', 'RepresentativeAdded']));
    expect(registry.who.find((w: { type: string }) => w.type === 'RepresentativeAdded').actor).toMatch(/^\d{6}-\d{5}$/);
    expect(opened.who[0].type).toBe('RecertificationOpened');
    expect([...registry.findings, ...opened.findings]).toEqual([]);
    expect(JSON.stringify(res.body)).not.toContain(otherApplication);
  });

  it('when the institution is exported, then the bundle holds the same streams', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlauja-institution-bundle-'));
    try {
      const { manifest } = await exportBundle(h.store, join(dir, 'bundle'), { selection: { institution: MUNICIPALITY }, trust: trustHistoryOf([], []) });
      expect(manifest.streams.map((s) => s.stream).sort()).toEqual([`application-${application}`, `institution-${MUNICIPALITY}`, `recertification-${campaign}`].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('given a time changed to garbage in the database, then the history names it (TIME_INVALID) and the state at an instant says why it cannot answer (422), never a 500', async () => {
    const sql = (h.store as PostgresEventStore).sql;
    await sql.query(`update event_store.events set metadata = jsonb_set(metadata, '{occurredAt}', '"garbage"') where stream = $1 and revision = 2`, [`application-${otherApplication}`]);
    await sql.query(`update event_store.events set data = jsonb_set(data, '{approvedAt}', '"31.02.2026"') where stream = $1 and revision = 5`, [`application-${otherApplication}`]);
    const history = await h.http().get(`/audit/applications/${otherApplication}/history`).set(auditor()).expect(200);
    expect(history.body.findings.map((f: { code: string; revision: string }) => `${f.code}@${f.revision}`)).toEqual(
      expect.arrayContaining(['HASH_MISMATCH@2', 'TIME_INVALID@2', 'HASH_MISMATCH@5', 'TIME_INVALID@5']),
    );
    const state = await h.http().get(`/audit/applications/${otherApplication}/state`).query({ at: new Date().toISOString() }).set(auditor()).expect(422);
    expect(state.body).toMatchObject({ code: 'EVENT_TIME_INVALID' });
    await h.http().get(`/audit/applications/${otherApplication}/state`).query({ revision: '5' }).set(auditor()).expect(200);
    await h.http().get(`/audit/institutions/${OTHER}/history`).set(auditor()).expect(200);
  });

  it('a representative of the institution is not an auditor: 403', async () => {
    const rep = await h.mint({ subject: REP_A, roles: ['representative'], institutions: [MUNICIPALITY] });
    expect((await h.http().get(`/audit/institutions/${MUNICIPALITY}/history`).set(bearer(rep)).expect(403)).body.code).toBe('ROLE_REQUIRED');
  });
});
