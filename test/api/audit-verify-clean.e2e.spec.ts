/**
 * `npm run cli -- audit verify` on a healthy store that went through everything the registry and
 * time do to rights: supersession by an approved change, expiry at an end date, a merge that ends
 * rights, a campaign completed by the representative and one lapsed at its deadline (with their
 * locks and unlocks). Built over HTTP and by the processes, then verified by the CLI itself on the
 * same data directory: every chain, every transition (the registry's and the campaigns' too), every
 * signature and every read model against a replay. Exit 0, no finding.
 */
import { copyEmbeddedTemplate } from '../../libs/event-store/src/testing';
import { openEmbeddedEventStore } from '@atlauja/event-store';
import { run } from '../../apps/cli/src/commands/audit';
import { captureIo, trustFolders } from '../../libs/audit/test/support/audit-env';
import { testPki } from '../../libs/signatures/src/testing/test-pki';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { ProcessesHost } from '../../apps/api/src/processes/processes.host';
import { ReadModelsHost } from '../../apps/api/src/read-models/read-models.host';
import { bearer, draftBody, Harness, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

const DAY = 86_400_000;
const MERGED = '90000000401';
const TAKING_OVER = '90000000402';
const RECERTIFIED = '90000000403';
const LAPSING = '90000000404';
const REP_CODE = '329999-40001';

describe('audit verify on a store after merges, campaigns, expiries and supersessions', () => {
  const t0 = Date.now();
  let now = new Date(t0);
  let h: Harness;
  let template: Awaited<ReturnType<typeof copyEmbeddedTemplate>>;

  beforeAll(async () => {
    template = await copyEmbeddedTemplate();
    const store = await openEmbeddedEventStore(template.dataDir);
    h = await startHarness({ eventStore: store, readModelSql: store.sql, clock: { now: () => now } }, { EXPIRY_INTERVAL_SECONDS: '0', REGISTRY_TIMER_SECONDS: '0' });
  }, 120_000);
  afterAll(() => template.remove());

  const rep = () => bearer(h.tokens.representative);
  const admin = () => bearer(h.tokens.admin);
  const processes = () => h.app.get(ProcessesHost).processes;
  async function settled(): Promise<void> {
    expect(await h.app.get(ReadModelsHost).progress.waitForPosition(await h.store.headPosition(), 30_000)).toBe('reached');
  }

  /** Drafted, rights set, submitted, signed by the representative, claimed and approved, over HTTP. */
  async function approved(body: Record<string, unknown>, as = rep(), rights: object = MINISTRY_USER_RIGHTS): Promise<string> {
    const id = (await h.http().post('/applications').set(as).send(draftBody(body)).expect(201)).body.applicationId as string;
    await h.http().put(`/applications/${id}/rights`).set(as).send(rights).expect(200);
    await signAndApprove(id, as);
    return id;
  }

  async function signAndApprove(id: string, as = rep()): Promise<void> {
    await h.http().post(`/applications/${id}/submit`).set(as).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(as).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(as).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64, now) }).expect(200);
    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
    await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200);
  }

  it('builds the history, and the CLI finds nothing wrong in it', async () => {
    // Supersession: an approved grant, replaced by an approved change; the process records it.
    const original = await approved({ user: { givenName: 'Anna', surname: 'Bērziņa', personalCode: oldFormatPersonalCode('121288', 1, 555), email: 'anna@ministrija.gov.lv' } });
    const change = (await h.http().post(`/applications/${original}/changes`).set(rep()).send({ kind: 'change', justification: 'Now also approves.' }).expect(201)).body.applicationId as string;
    await signAndApprove(change);
    await settled();
    expect((await processes().rightsOverTime.tick(now)).performed.length).toBeGreaterThan(0);

    // Expiry: rights until a date, and the clock moved past it.
    const until = new Date(t0 + 20 * DAY).toISOString().slice(0, 10);
    await approved({ user: { givenName: 'Pēteris', surname: 'Kalniņš', personalCode: oldFormatPersonalCode('030370', 1, 808), email: 'peteris@ministrija.gov.lv' }, term: { kind: 'until', date: until } });

    // The registry: a merge, a completed campaign and a lapsed one.
    for (const reg of [MERGED, TAKING_OVER, RECERTIFIED, LAPSING]) {
      await h.http().post('/institutions').set(admin()).send({ registrationNumber: reg, officialName: `Izdomātā pašvaldība ${reg.slice(-1)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
    }
    await h.http().post(`/institutions/${RECERTIFIED}/representatives`).set(admin()).send({ personalCode: REP_CODE }).expect(200);
    // The signing representative represents the three municipalities too, in the registry and the token.
    const signer = h.representativeChain.personalCode;
    for (const reg of [MERGED, RECERTIFIED, LAPSING]) await h.http().post(`/institutions/${reg}/representatives`).set(admin()).send({ personalCode: signer }).expect(200);
    const municipal = bearer(await h.mint({ subject: signer, roles: ['representative'], institutions: [MERGED, RECERTIFIED, LAPSING] }));
    const holders = async (institution: string, n: number) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const user = { givenName: 'Jānis', surname: `Izdomātais ${i}`, personalCode: `329999-${41000 + Number(institution.slice(-1)) * 10 + i}`, email: 'janis@pasvaldiba.example' };
        ids.push(await approved({ institution, user }, municipal, { rights: [{ kind: 'institution', institution, groups: ['MANAGE'] }] }));
      }
      return ids;
    };
    await holders(MERGED, 3);
    const atRecertified = await holders(RECERTIFIED, 3);
    await holders(LAPSING, 2);
    await settled();
    const merge = await h.http().post(`/institutions/${MERGED}/merge`).set(admin()).send({ into: TAKING_OVER, effectiveDate: new Date(t0).toISOString().slice(0, 10) }).expect(200);
    expect(merge.body.rightsEnded.ended).toHaveLength(3);

    const deadline = new Date(t0 + 10 * DAY).toISOString().slice(0, 10);
    const completed = (await h.http().post('/recertifications').set(admin()).send({ institution: RECERTIFIED, deadline }).expect(201)).body.campaignId as string;
    const repToken = await h.mint({ subject: REP_CODE, roles: ['representative'], institutions: [RECERTIFIED] });
    // The representative reads the users to confirm (the disclosure rule shows them their users' codes; the administrator sees them masked).
    const users = (await h.http().get(`/recertifications/${completed}`).set(bearer(repToken)).expect(200)).body.users as { personalCode: string }[];
    expect(users).toHaveLength(atRecertified.length);
    await h.http().post(`/recertifications/${completed}/confirm`).set(bearer(repToken)).send({ personalCode: users[0].personalCode }).expect(200);
    const done = await h.http().post(`/recertifications/${completed}/complete`).set(bearer(repToken)).expect(200);
    expect(done.body.rightsEnded.ended).toHaveLength(2);
    const lapsing = (await h.http().post('/recertifications').set(admin()).send({ institution: LAPSING, deadline }).expect(201)).body.campaignId as string;

    // Time passes: the campaign lapses at its deadline, the dated rights expire.
    now = new Date(t0 + 25 * DAY);
    expect((await processes().registryTimers.tick(now)).campaignsClosed).toEqual([lapsing]);
    await settled();
    expect((await processes().rightsOverTime.tick(now)).performed.length).toBeGreaterThan(0);
    await settled();
    const unlocked = await h.http().get(`/institutions/${LAPSING}`).set(admin()).expect(200);
    expect(unlocked.body.openCampaign).toBeNull();

    await h.close();
    const pki = testPki();
    const trust = trustFolders([pki.ec, pki.rsa]);
    try {
      const cli = captureIo({ EVENT_STORE: 'embedded', DATA_DIR: template.dataDir, ...trust.env });
      const exit = await run(['verify'], cli.io);
      expect(cli.out()).not.toContain('FAIL');
      expect(exit).toBe(0);
    } finally {
      trust.remove();
    }
  }, 600_000);
});
