/**
 * The registry's clock-driven steps, with the clock moved: a campaign's deadline passes and its
 * unconfirmed users lose their rights without anyone pressing a button; an institution deactivated
 * six months ago is deleted. Each happens once, however often the timer ticks.
 */
import { rigaDateOf, rigaMidnight } from '@atlauja/projections';
import type { Principal } from '@atlauja/auth';
import { LocalTokenIssuer } from '@atlauja/auth';
import { TOKEN_VERIFIER } from '../../apps/api/src/auth/bearer.guard';
import { ProcessesHost } from '../../apps/api/src/processes/processes.host';
import { bearer, Harness, startHarness } from '../support/api-harness';
import { approvedApplication } from '../support/approved-application';

const DAY = 86_400_000;
const MUNICIPALITY = '90000000301';
const ANOTHER = '90000000302';
const REPRESENTATIVE = '329999-30001';
const KEPT = '329999-30002';
const FORGOTTEN = '329999-30003';

describe('the registry timers', () => {
  let h: Harness;
  let now = Date.now();
  const t0 = now;
  const admin = () => bearer(h.tokens.admin);
  const timers = () => h.app.get(ProcessesHost).processes.registryTimers;
  const at = (days: number) => (now = t0 + days * DAY);

  beforeAll(async () => {
    h = await startHarness({ clock: { now: () => new Date(now) } });
    for (const reg of [MUNICIPALITY, ANOTHER]) {
      await h.http().post('/institutions').set(admin()).send({ registrationNumber: reg, officialName: `Izdomātā pašvaldība ${reg.slice(-1)}`, type: 'municipality', coordinationVariant: 2 }).expect(201);
    }
    await h.http().post(`/institutions/${MUNICIPALITY}/representatives`).set(admin()).send({ personalCode: REPRESENTATIVE }).expect(200);
  });
  afterAll(() => h.close());

  it('closes a campaign the day after its deadline: the forgotten user loses the rights, the confirmed one keeps them; once', async () => {
    const kept = await approvedApplication(h, MUNICIPALITY, KEPT, 'approved', new Date(now).toISOString());
    const forgotten = await approvedApplication(h, MUNICIPALITY, FORGOTTEN, 'approved', new Date(now).toISOString());
    const deadline = rigaDateOf(new Date(t0 + 10 * DAY));
    const campaign = (await h.http().post('/recertifications').set(admin()).send({ institution: MUNICIPALITY, deadline }).expect(201)).body.id;
    const verifier = h.app.get<symbol, LocalTokenIssuer>(TOKEN_VERIFIER, { strict: false });
    const rep = await verifier.mint({ subject: REPRESENTATIVE, roles: ['representative'], institutions: [MUNICIPALITY] } as Principal);
    await h.http().post(`/recertifications/${campaign}/confirm`).set(bearer(rep)).send({ personalCode: KEPT }).expect(200);

    at(10); // the deadline day still belongs to the representative
    expect((await timers().tick(new Date(now))).campaignsClosed).toEqual([]);
    at(11);
    expect((await timers().tick(new Date(now))).campaignsClosed).toEqual([campaign]);
    expect((await timers().tick(new Date(now))).campaignsClosed).toEqual([]);

    const view = await h.http().get(`/recertifications/${campaign}`).set(admin()).expect(200);
    expect(view.body.status).toBe('lapsed');
    const status = async (id: string) => (await h.http().get(`/applications/${id}`).set(bearer(h.tokens.auditor)).expect(200)).body.status;
    expect(await status(forgotten)).toBe('ended');
    expect(await status(kept)).toBe('approved');
  });

  it('deletes an institution six months after its deactivation, not a day earlier, and keeps its history', async () => {
    await h.http().post(`/institutions/${ANOTHER}/deactivate`).set(admin()).send({ reason: 'Reorganised' }).expect(200);
    const due = (await h.http().get(`/institutions/${ANOTHER}`).set(admin()).expect(200)).body.deletionDue as string;
    // Noon in Riga on the day before the due day, and on the day after it: Riga's date, whatever the
    // time of day the test runs at and whichever side of a summer-time change the due day is.
    const dueStarts = Date.parse(rigaMidnight(due));
    now = dueStarts - DAY / 2;
    expect(rigaDateOf(new Date(now)) < due).toBe(true);
    expect((await timers().tick(new Date(now))).institutionsDeleted).toEqual([]);
    now = dueStarts + DAY + DAY / 2;
    expect((await timers().tick(new Date(now))).institutionsDeleted).toEqual([ANOTHER]);
    expect((await timers().tick(new Date(now))).institutionsDeleted).toEqual([]);
    const after = await h.http().get(`/institutions/${ANOTHER}`).set(admin()).expect(200);
    expect(after.body.status).toBe('deleted');
  });
});
