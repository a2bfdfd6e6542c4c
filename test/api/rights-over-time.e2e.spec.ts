/**
 * Issue 8, done when: the rights register shows exactly the rights in force after simulated months
 * of logins, changes and expiries. Over HTTP against the real application (PGlite in memory, the
 * projections and the process inside it), with the clock injected and moved by the test; the
 * process's timer is off (EXPIRY_INTERVAL_SECONDS=0) and the test ticks it as the timer would.
 */
import { readFileSync } from 'node:fs';
import { ReadModelsHost } from '../../apps/api/src/read-models/read-models.host';
import { ProcessesHost } from '../../apps/api/src/processes/processes.host';
import { oldFormatPersonalCode } from '../../libs/signatures/src/testing/personal-codes';
import { bearer, draftBody, Harness, MINISTRY, MINISTRY_USER_RIGHTS, signDocument, startHarness } from '../support/api-harness';

const DAY = 86_400_000;
const ANNA = oldFormatPersonalCode('121288', 1, 555); // draftBody's user
const JANIS = oldFormatPersonalCode('210785', 1, 404);
const PETERIS = oldFormatPersonalCode('030370', 1, 808);
const userOf = (personalCode: string, givenName: string) => ({ givenName, surname: 'Kalniņš', personalCode, email: `${givenName.toLowerCase()}@ministrija.gov.lv` });

describe('rights over time, walked month by month over HTTP', () => {
  let h: Harness;
  let portal: string;
  const t0 = Date.now();
  let now = new Date(t0);
  const day = (d: number) => (now = new Date(t0 + d * DAY));
  const rigaDay = (d: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Riga' }).format(new Date(t0 + d * DAY));

  beforeAll(async () => {
    h = await startHarness({ clock: { now: () => now } }, { EXPIRY_INTERVAL_SECONDS: '0' });
    portal = await h.mint({ subject: 'budzets-portal', roles: [], institutions: [], service: 'budzets-portal' });
  }, 180_000);
  afterAll(() => h.close());

  /** One timer tick at the test's time, then every read model has read the log. */
  async function tick() {
    const report = await h.app.get(ProcessesHost).processes.rightsOverTime.tick(now);
    const head = await h.store.headPosition();
    expect(await h.app.get(ReadModelsHost).progress.waitForPosition(head, 5000)).toBe('reached');
    return report;
  }

  async function approve(id: string) {
    await h.http().post(`/applications/${id}/submit`).set(bearer(h.tokens.representative)).expect(200);
    const doc = await h.http().get(`/applications/${id}/document`).set(bearer(h.tokens.representative)).expect(200);
    await h.http().post(`/applications/${id}/signature`).set(bearer(h.tokens.representative)).send({ signature: signDocument(h.representativeChain, doc.body.contentBase64) }).expect(200);
    await h.http().post(`/applications/${id}/claim`).set(bearer(h.tokens.approver)).expect(200);
    await h.http().post(`/applications/${id}/approve`).set(bearer(h.tokens.approver)).expect(200);
  }

  async function grant(body: Record<string, unknown>): Promise<string> {
    const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody(body)).expect(201);
    await h.http().put(`/applications/${drafted.body.applicationId}/rights`).set(bearer(h.tokens.representative)).send(MINISTRY_USER_RIGHTS).expect(200);
    await approve(drafted.body.applicationId);
    return drafted.body.applicationId;
  }

  /** What the register shows in force for a user: application and scope, sorted. */
  async function inForce(personalCode: string): Promise<string[]> {
    const res = await h.http().post('/rights/search').set(bearer(h.tokens.approver)).send({ personalCode }).expect(200);
    return res.body.items.map((i: { grantedBy: { applicationId: string }; scope: { kind: string; institution?: string; resort?: string }; groups: string[] }) => `${i.grantedBy.applicationId} ${i.scope.kind}:${i.scope.institution ?? i.scope.resort} ${i.groups.join('+')}`).sort();
  }

  async function typesOf(id: string): Promise<string[]> {
    const read = await h.store.readStream(`application-${id}`);
    return read.found ? read.events.map((e) => e.type) : [];
  }

  const login = (personalCode: string) => h.http().post('/portal/logins').set(bearer(portal)).send({ personalCode });

  it('logins, a change, an end date and the 18 months without a login, over three years', async () => {
    // Day 0: Anna (sliding term), Jānis (until day 60), Pēteris (sliding, never logs in).
    const anna = await grant({});
    const janis = await grant({ user: userOf(JANIS, 'Jānis'), term: { kind: 'until', date: rigaDay(60) } });
    const peteris = await grant({ user: userOf(PETERIS, 'Pēteris') });
    await tick();
    expect(await inForce(ANNA)).toEqual([`${anna} institution:${MINISTRY} MANAGE`, `${anna} resort:${MINISTRY} VIEW`]);

    // Day 2: Mainīt. The change is drafted from Anna's grant (prefilled), narrowed to VIEW on the ministry, approved.
    day(2);
    const drafted = await h.http().post(`/applications/${anna}/changes`).set(bearer(h.tokens.representative)).send({ kind: 'change', justification: 'Now only reads the estimate.' }).expect(201);
    const change: string = drafted.body.applicationId;
    const prefilled = await h.http().get(`/applications/${change}`).set(bearer(h.tokens.representative)).expect(200);
    expect(prefilled.body).toMatchObject({ kind: 'change', replaces: anna, status: 'draft', term: { kind: 'after-last-login', months: 18 } });
    expect(prefilled.body.rights).toHaveLength(2);
    await h.http().put(`/applications/${change}/rights`).set(bearer(h.tokens.representative)).send({ rights: [{ kind: 'institution', institution: MINISTRY, groups: ['VIEW'] }] }).expect(200);
    await approve(change);
    expect((await tick()).performed).toEqual([`supersede:${anna}`]);
    expect(await inForce(ANNA)).toEqual([`${change} institution:${MINISTRY} VIEW`]);
    expect((await h.http().get(`/applications/${anna}`).set(bearer(h.tokens.representative)).expect(200)).body.status).toBe('superseded');

    // Every 10 days for three years; Anna logs in on days 300 and 520. Nobody else does.
    const seen: Record<number, { anna: string[]; janis: string[]; peteris: string[] }> = {};
    for (let d = 10; d <= 1100; d += 10) {
      day(d);
      if (d === 300 || d === 520) await login(ANNA).expect(202);
      await tick();
      if ([50, 70, 540, 560, 1060, 1080].includes(d)) seen[d] = { anna: await inForce(ANNA), janis: await inForce(JANIS), peteris: await inForce(PETERIS) };
    }
    const view = [`${change} institution:${MINISTRY} VIEW`];
    const granted = (id: string) => [`${id} institution:${MINISTRY} MANAGE`, `${id} resort:${MINISTRY} VIEW`];
    expect(seen[50]).toEqual({ anna: view, janis: granted(janis), peteris: granted(peteris) });
    expect(seen[70]).toEqual({ anna: view, janis: [], peteris: granted(peteris) }); // Jānis's end date (day 60) passed
    expect(seen[540]).toEqual({ anna: view, janis: [], peteris: granted(peteris) });
    expect(seen[560]).toEqual({ anna: view, janis: [], peteris: [] }); // 18 months since Pēteris's approval, no login
    expect(seen[1060]).toEqual({ anna: view, janis: [], peteris: [] }); // Anna's login on day 520 carries her to ~day 1069
    expect(seen[1080]).toEqual({ anna: [], janis: [], peteris: [] });

    // Each effect exactly once, and by the process.
    expect((await typesOf(anna)).filter((t) => t === 'ApplicationSuperseded')).toHaveLength(1);
    for (const id of [janis, peteris, change]) expect((await typesOf(id)).filter((t) => t === 'ApplicationExpired')).toHaveLength(1);
    const expiredBy = (await h.store.readStream(`application-${peteris}`)) as { found: true; events: { type: string; data: { expiredBy?: string; reason?: string } }[] };
    expect(expiredBy.events.at(-1)!.data).toMatchObject({ expiredBy: 'system:rights-over-time', reason: 'no-login-18-months' });

    // The notices went to the file, masked: never a personal code in it.
    const lines = readFileSync(`${(h.app.get(ProcessesHost) as unknown as { config: { dataDir: string } }).config.dataDir}/notices.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((n) => n.applicationId === janis).map((n) => `${n.kind} ${n.recipient.kind}`)).toEqual(
      expect.arrayContaining(['approved institution', 'approved user', 'expiry-in-30-days institution', 'expiry-in-7-days user', 'expired institution', 'expired user']),
    );
    for (const code of [ANNA, JANIS, PETERIS]) expect(JSON.stringify(lines)).not.toContain(code);
  }, 120_000);

  it('the login intake takes a service credential only, and never echoes the personal code', async () => {
    await h.http().post('/portal/logins').set(bearer(h.tokens.approver)).send({ personalCode: ANNA }).expect(403);
    await h.http().post('/portal/logins').set(bearer(h.tokens.representative)).send({ personalCode: ANNA }).expect(403);
    await h.http().post('/portal/logins').send({ personalCode: ANNA }).expect(401);
    const bad = await h.http().post('/portal/logins').set(bearer(portal)).send({ personalCode: '121288-15556' }).expect(422);
    expect(JSON.stringify(bad.body)).not.toContain('121288');
    const future = await h.http().post('/portal/logins').set(bearer(portal)).send({ personalCode: ANNA, authenticatedAt: new Date(now.getTime() + DAY).toISOString() }).expect(422);
    expect(future.body.code).toBe('AUTHENTICATED_AT_INVALID');
    // The stream is named by the day, not by the person.
    const ok = await login(ANNA).expect(202);
    const recorded = await h.store.readAll(BigInt(ok.body.position) - 1n, 1);
    expect(recorded[0].stream).toMatch(/^logins-\d{4}-\d{2}-\d{2}$/);
    expect(h.logLines.join('\n')).not.toContain(ANNA);
  });

  it('a change of an application not in force is refused', async () => {
    const drafted = await h.http().post('/applications').set(bearer(h.tokens.representative)).send(draftBody()).expect(201);
    const refused = await h.http().post(`/applications/${drafted.body.applicationId}/changes`).set(bearer(h.tokens.representative)).send({ kind: 'termination', justification: 'Left.' }).expect(422);
    expect(refused.body.code).toBe('APPLICATION_NOT_IN_FORCE');
    await h.http().post(`/applications/${drafted.body.applicationId}/changes`).set(bearer(h.tokens.subordinateRepresentative)).send({ kind: 'termination', justification: 'Left.' }).expect(403);
  });

});
