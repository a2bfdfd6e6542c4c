/**
 * A re-certification campaign locks the demo ministry and its completion unlocks it, through the
 * administrator's wizard, the approver's refusal and the representative's seed-000 wizard; then an
 * approver decides the waiting application with the keyboard alone.
 */
import type { Page } from 'playwright-core';
import { signedApplication } from './support/api-setup';
import { launchBrowser, type RunningBrowser } from './support/browser';
import { AccessibilityLog, screenshot, tabTo, watchConsole } from './support/pages';
import { startServer, type RunningServer } from './support/server';

let server: RunningServer;
let browser: RunningBrowser;
let page: Page;
const a11y = new AccessibilityLog();
const consoleProblems: string[] = [];
const USER = { givenName: 'Kārlis', surname: 'Liepa', personalCode: '329999-00007' };
let applicationId: string;

beforeAll(async () => {
  // Started one after the other, so a server that fails to start leaves no browser behind.
  browser = await launchBrowser();
  server = await startServer();
  page = await browser.context.newPage();
  watchConsole(page, consoleProblems);
  applicationId = await signedApplication(server.url, server.dataDir, USER);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signInAs(name: RegExp): Promise<void> {
  await browser.context.clearCookies();
  await page.goto(`${server.url}/ienakt`);
  await page.getByRole('button', { name }).click();
  await page.getByText(/Pieslēdzies|Signed in/).waitFor();
}

function inDays(days: number): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga' }).format(new Date(Date.now() + days * 86400_000));
}

describe('a re-certification campaign', () => {
  it('the administrator sees the registry and opens a campaign with the wizard', async () => {
    await signInAs(/Inese Kļava/);
    await page.getByRole('heading', { name: 'Iestāžu reģistrs' }).waitFor();
    await page.getByRole('button', { name: 'Demo ministrija', exact: true }).click();
    await page.getByRole('heading', { name: 'Demo ministrija', exact: true }).waitFor();
    await page.getByText('329999-00001').waitFor();
    await a11y.check(page, 'registry');
    await screenshot(page, 'registry');

    await page.getByRole('link', { name: 'Aktualizācija' }).click();
    await page.getByLabel('Izvēlieties iestādi').selectOption('90000000001');
    await a11y.check(page, 'campaign wizard');
    await page.getByRole('button', { name: 'Tālāk' }).click();
    await page.getByLabel('Termiņš (pēdējā diena)').fill(inDays(7));
    await page.getByRole('button', { name: 'Tālāk' }).click();
    await page.getByText(/Iestāde Demo ministrija, termiņš/).waitFor();
    await screenshot(page, 'campaign-wizard');
    await page.getByRole('button', { name: 'Atvērt aktualizāciju' }).click();
    await page.getByText(/Aktualizācija atvērta līdz/).waitFor();
  });

  it('while it is open, an approver is told so before any button, and the API refuses the claim', async () => {
    await signInAs(/Jānis Bērziņš/);
    await page.getByRole('link', { name: `${USER.givenName} ${USER.surname}` }).click();
    await page.getByRole('alert').getByText('Iestādē notiek lietotāju aktualizācija').waitFor();
    expect(await page.getByRole('button', { name: 'Paņemt' }).count()).toBe(0);
    // The page only reflects the API's own refusal: the claim itself is refused (423).
    const claim = await page.evaluate(async (id) => {
      const session = (await (await fetch('/session')).json()) as { csrfToken: string };
      const response = await fetch(`/applications/${id}/claim`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
      return { status: response.status, code: ((await response.json()) as { code: string }).code };
    }, applicationId);
    expect(claim).toEqual({ status: 423, code: 'INSTITUTION_LOCKED_FOR_RECERTIFICATION' });
    await a11y.check(page, 'review refused while locked');
  });

  it("the representative sees the lockout banner and completes seed 000's wizard, which unlocks", async () => {
    await signInAs(/Anna Kalniņa/);
    const banner = page.getByRole('region', { name: /jāveic lietotāju aktualizācija/ });
    await banner.waitFor();
    await a11y.check(page, 'lockout banner');
    await screenshot(page, 'lockout-banner');
    await banner.getByRole('button', { name: 'Aktualizēt iestādi' }).click();
    await page.getByRole('heading', { name: '1. Iestādes profils' }).waitFor();
    await a11y.check(page, 'recertification wizard');
    await page.getByRole('button', { name: 'Tālāk' }).click();
    await page.getByRole('heading', { name: '2. Administratora informācija' }).waitFor();
    await page.getByRole('button', { name: 'Tālāk' }).click();
    await page.getByRole('heading', { name: '3. Lietotāju saraksts' }).waitFor();
    await page.getByRole('button', { name: 'Tālāk' }).click();
    await page.getByRole('button', { name: 'Saglabāt un pabeigt aktualizāciju' }).click();
    await page.getByText('Aktualizācija ir veiksmīgi noslēgusies').waitFor();
    await page.getByRole('link', { name: 'Lietotāji' }).click();
    await page.getByRole('heading', { name: 'Lietotāji' }).waitFor();
    // The notice is gone once the registry says the campaign is completed.
    await page.getByRole('region', { name: /jāveic lietotāju aktualizācija/ }).waitFor({ state: 'detached' });
  });
});

describe("the approver's flow by keyboard alone", () => {
  it('signs in, opens the queue row, claims with C, approves with Enter', async () => {
    await browser.context.clearCookies();
    await page.goto(`${server.url}/ienakt`);
    await page.getByRole('heading', { name: 'Pieslēgšanās' }).waitFor();
    await tabTo(page, (text) => text.includes('Marta Liepiņa'));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Apstiprināšanas rinda' }).waitFor();
    await tabTo(page, (text, tag) => tag === 'A' && text.includes(`${USER.givenName} ${USER.surname}`));
    await page.keyboard.press('c');
    await page.getByText('Jūs esat paņēmis šo pieteikumu').waitFor();
    // After the claim the decision is at hand: the focus is on Approve.
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { innerText?: string } | null } }).document.activeElement?.innerText === 'Apstiprināt');
    await page.keyboard.press('Enter');
    await page.getByText('Pieteikums apstiprināts').waitFor();
    const status = await page.evaluate(async (id) => ((await (await fetch(`/applications/${id}`)).json()) as { status: string }).status, applicationId);
    expect(status).toBe('approved');
  });

  it('no page had a serious or critical accessibility violation, and no CSP violation happened', () => {
    expect(a11y.checked.length).toBeGreaterThanOrEqual(5);
    expect(a11y.failures).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
