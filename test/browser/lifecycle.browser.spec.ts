/**
 * The whole lifecycle across roles, through the pages only, in Debian's Chromium against the
 * built service on a fresh data folder: a representative drafts (the personal code checked as
 * typed), sets rights and meets a rule's refusal at its field (in Latvian, then in English),
 * submits, signs with the demo signer's file (made by OpenSSL from the downloaded document), an
 * approver claims and approves, the representative revokes, and an auditor sees the history, the
 * state before the revocation and downloads the bundle. axe-core checks every page.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type RunningBrowser } from './support/browser';
import { AccessibilityLog, screenshot, signWithDemoSigner, watchConsole } from './support/pages';
import { startServer, type RunningServer } from './support/server';

let server: RunningServer;
let browser: RunningBrowser;
let page: Page;
let work: string;
const a11y = new AccessibilityLog();
const consoleProblems: string[] = [];

beforeAll(async () => {
  // Started one after the other, so a server that fails to start leaves no browser behind.
  browser = await launchBrowser();
  server = await startServer();
  page = await browser.context.newPage();
  watchConsole(page, consoleProblems);
  work = mkdtempSync(join(tmpdir(), 'atlauja-signing-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function signInAs(name: RegExp): Promise<void> {
  await page.goto(`${server.url}/`);
  // The page asks the API who is signed in after it has loaded: wait for its answer, whichever it is.
  const signOut = page.getByRole('button', { name: /^(Iziet|Sign out)$/ });
  const signInHeading = page.getByRole('heading', { name: /Pieslēgšanās|Sign in/ });
  await signOut.or(signInHeading).first().waitFor();
  if (await signOut.isVisible()) await signOut.click();
  await signInHeading.waitFor();
  await page.getByRole('button', { name }).click();
  await page.getByText(/Pieslēdzies|Signed in/).waitFor();
}

const USER = { givenName: 'Līga', surname: 'Ozoliņa', personalCode: '329999-00003' };
let applicationId = '';
let approvedAt = 0;

describe('the portal, across roles', () => {
  it('greets with the sign-in page in Latvian, with its CSP, and never shadows the API', async () => {
    const response = await page.goto(`${server.url}/`);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    await page.getByRole('heading', { name: 'Pieslēgšanās' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('lv');
    await a11y.check(page, 'sign-in');
    await screenshot(page, 'sign-in');
    // The API's own routes answer as before: JSON, not the portal's page.
    const health = await page.request.get(`${server.url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const docs = await page.request.get(`${server.url}/docs-json`);
    expect((await docs.json()).openapi).toMatch(/^3\./);
  });

  it('a representative drafts a new user, the personal code checked as typed', async () => {
    await signInAs(/Anna Kalniņa/);
    await page.getByRole('heading', { name: 'Lietotāji' }).waitFor();
    await a11y.check(page, 'users (empty)');
    await page.getByRole('link', { name: 'Pievienot jaunu' }).click();
    await page.getByLabel('Vārds', { exact: true }).fill(USER.givenName);
    await page.getByLabel('Uzvārds', { exact: true }).fill(USER.surname);
    // An old-format code with a wrong check digit is caught while typing.
    await page.getByLabel('Personas kods', { exact: true }).fill('010190-12340');
    await page.getByText('Personas koda kontrolcipars nesakrīt').waitFor();
    await page.getByLabel('Personas kods', { exact: true }).fill(USER.personalCode);
    await page.getByText('Jaunā formāta personas kods').waitFor();
    await page.getByLabel('E-pasts', { exact: true }).fill('liga.ozolina@ministrija.example');
    expect(await page.getByRole('radio', { name: /18 mēneši/ }).isChecked()).toBe(true);
    await page.getByLabel('Pamatojums', { exact: true }).fill('Gatavo ministrijas tāmi un uzrauga padotības iestāžu tāmes.');
    await a11y.check(page, 'new user');
    await screenshot(page, 'new-user');
    await page.getByRole('button', { name: 'Saglabāt sagatavi' }).click();
    await page.getByRole('heading', { name: `Pieteikums: ${USER.givenName} ${USER.surname}` }).waitFor();
    applicationId = page.url().split('/').pop()!;
    expect(applicationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sets rights, meets a rule's refusal at the scope it names, in Latvian and in English", async () => {
    const scope = page.getByRole('group', { name: /iestāde 90000000001/ });
    await scope.getByLabel('Saskaņot MIN', { exact: true }).check();
    await page.getByRole('button', { name: 'Saglabāt tiesības' }).click();
    const refusal = scope.getByRole('alert');
    await refusal.getByText('“Saskaņot MIN” piešķir tikai uz visu resoru').waitFor();
    await a11y.check(page, 'rights editor with a refusal');
    await screenshot(page, 'rights-refusal');

    await page.getByRole('button', { name: 'Switch to English' }).click();
    const scopeEn = page.getByRole('group', { name: /institution 90000000001/ });
    await scopeEn.getByRole('alert').getByText('“Coordinate (ministry)” is granted only on a whole resort').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('button', { name: 'Pārslēgt uz latviešu valodu' }).click();

    await scope.getByLabel('Saskaņot MIN', { exact: true }).uncheck();
    await scope.getByLabel('Vadīt', { exact: true }).check();
    await page.getByLabel('Reģistrācijas numurs', { exact: true }).fill('90000000001');
    await page.getByRole('button', { name: 'Pievienot visu resoru' }).click();
    await page.getByRole('group', { name: /viss resors 90000000001/ }).getByLabel('Skatīt', { exact: true }).check();
    await page.getByRole('button', { name: 'Saglabāt tiesības' }).click();
    await page.getByText('Tiesības saglabātas.').waitFor();
    await expect(scope.getByRole('alert').count()).resolves.toBe(0);
  });

  it('submits, downloads the document, signs it with OpenSSL and uploads the .p7s', async () => {
    await page.getByRole('button', { name: 'Nodot apstiprināšanai' }).click();
    await page.getByText('Pieteikums nodots apstiprināšanai').waitFor();
    await page.getByRole('heading', { name: 'Kā parakstīt ar eParakstu' }).waitFor();
    await a11y.check(page, 'signing');
    await screenshot(page, 'signing');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lejupielādēt parakstāmo dokumentu' }).click()]);
    const documentPath = join(work, 'document.json');
    await download.saveAs(documentPath);
    expect(JSON.parse(readFileSync(documentPath, 'utf8'))).toBeTruthy();

    // A file that is not a signature is refused, each failed check in words.
    const junk = join(work, 'junk.p7s');
    writeFileSync(junk, 'not a signature');
    await page.getByLabel('Parakstītā datne', { exact: true }).setInputFiles(junk);
    await page.getByRole('button', { name: 'Augšupielādēt parakstu' }).click();
    await page.getByText('Paraksts netika pieņemts').waitFor();
    await page.getByText('Datne nav nolasāms paraksts').waitFor();

    const signature = join(work, 'document.p7s');
    signWithDemoSigner(server.dataDir, documentPath, signature);
    await page.getByLabel('Parakstītā datne', { exact: true }).setInputFiles(signature);
    await page.getByRole('button', { name: 'Augšupielādēt parakstu' }).click();
    await page.getByText('Paraksts pieņemts').waitFor();
    await page.locator('.meta').getByText('Parakstīts, gaida lēmumu').waitFor();
  });

  it('the institution sees its applications by status', async () => {
    await page.getByRole('link', { name: 'Pieteikumi', exact: true }).click();
    await page.getByRole('heading', { name: 'Pieteikumi', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Parakstīts, gaida lēmumu' }).click();
    await page.getByRole('link', { name: `${USER.givenName} ${USER.surname}` }).waitFor();
    await a11y.check(page, 'applications');
    await screenshot(page, 'applications');
  });

  it('an approver finds it in the queue, sees the signature verdict, claims and approves', async () => {
    await signInAs(/Jānis Bērziņš/);
    await page.getByRole('heading', { name: 'Apstiprināšanas rinda' }).waitFor();
    await a11y.check(page, 'queue');
    await screenshot(page, 'queue');
    await page.getByRole('link', { name: `${USER.givenName} ${USER.surname}` }).click();
    await page.getByText('Paraksts derīgs').waitFor();
    await page.getByText('DEMO', { exact: false }).first().waitFor();
    await a11y.check(page, 'review');
    await page.getByRole('button', { name: 'Paņemt' }).click();
    await page.getByText('Pieteikums ir jūsu.').waitFor();
    await page.getByRole('button', { name: 'Apstiprināt' }).waitFor();
    await screenshot(page, 'review');
    await page.getByRole('button', { name: 'Apstiprināt' }).click();
    await page.getByText('Pieteikums apstiprināts').waitFor();
    approvedAt = Date.now();
    await page.getByRole('link', { name: 'Mani lēmumi' }).click();
    await page.getByRole('cell', { name: 'Apstiprināts' }).waitFor();
    await a11y.check(page, 'my decisions');
  });

  it('the representative sees the user in force and revokes the rights, confirmed', async () => {
    // The state before the revocation is at least a second older than it.
    await new Promise((r) => setTimeout(r, Math.max(0, approvedAt + 2500 - Date.now())));
    await signInAs(/Anna Kalniņa/);
    const row = page.getByRole('row', { name: new RegExp(`${USER.givenName} ${USER.surname}`) });
    await row.getByText('18 mēneši pēc pēdējās pieslēgšanās').waitFor();
    await row.getByText('viss resors 90000000001: Skatīt').waitFor();
    await a11y.check(page, 'users');
    await screenshot(page, 'users');
    await row.getByRole('button', { name: /Atsaukt tiesības/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Iemesls', { exact: true }).fill('Darba attiecības beigušās.');
    expect(await dialog.getByRole('button', { name: 'Atsaukt tiesības' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Apstiprinu lietotāja tiesību atsaukšanu', { exact: true }).check();
    await a11y.check(page, 'revoke dialog');
    await dialog.getByRole('button', { name: 'Atsaukt tiesības' }).click();
    await page.getByText('Tiesības atceltas.').waitFor();
    await page.getByText('Nevienam lietotājam tiesības nav spēkā.').waitFor();
  });

  it('an auditor finds the user by personal code (never in the URL), sees the history, the state before the revocation, and downloads the bundle', async () => {
    await signInAs(/Pēteris Ozols/);
    await page.getByRole('heading', { name: 'Audits' }).waitFor();
    await a11y.check(page, 'audit search');
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByLabel('Personas kods', { exact: true }).fill(USER.personalCode);
    await page.getByRole('form', { name: 'Atrast lietotāju' }).getByRole('button', { name: 'Meklēt' }).click();
    await page.getByRole('link', { name: `${USER.givenName} ${USER.surname}` }).click();
    expect(requests.some((url) => url.includes('329999') || url.includes('32999900003'))).toBe(false);
    expect(page.url()).not.toContain('329999');

    await page.getByText('Jaucējķēde nepārtraukta').waitFor();
    const timeline = page.locator('ol.timeline');
    for (const step of ['Sagatave izveidota', 'Tiesības norādītas', 'Nodots apstiprināšanai', 'Parakstīts', 'Paņemts izskatīšanai', 'Apstiprināts', 'Tiesības atceltas']) {
      await timeline.getByText(step, { exact: false }).first().waitFor();
    }
    await page.getByText('Pārbaudīts tagad').first().waitFor();

    // The instant right after the approval, in Riga wall-clock time: the state before the revocation.
    const riga = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Riga', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(approvedAt + 1000));
    await page.getByLabel('Brīdis (Rīgas laiks)', { exact: true }).fill(riga.replace(' ', 'T'));
    await page.getByRole('button', { name: 'Rādīt stāvokli' }).click();
    const state = page.locator('.state');
    await state.getByText('Spēkā').waitFor();
    await state.getByText('iestāde 90000000001: Vadīt').waitFor();
    await a11y.check(page, 'audit application');
    await screenshot(page, 'audit');

    const [bundle] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /eksporta paketi/ }).click()]);
    const zipPath = join(work, 'bundle.zip');
    await bundle.saveAs(zipPath);
    const zip = readFileSync(zipPath);
    expect(zip.subarray(0, 2).toString()).toBe('PK');
    expect(zip.includes(Buffer.from('manifest.json'))).toBe(true);
    expect(zip.includes(Buffer.from('SHA256SUMS'))).toBe(true);
  });

  it('no page had a serious or critical accessibility violation, and no CSP violation happened', () => {
    expect(a11y.checked.length).toBeGreaterThan(10);
    expect(a11y.failures).toEqual([]);
    expect(consoleProblems).toEqual([]);
  });
});
