import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './server';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * axe-core over the page as it stands, WCAG 2.1 A and AA rules. Evaluated through the DevTools
 * protocol, so the page's own Content-Security-Policy stays as it is (nothing is loosened for it).
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    // Runs in the page: its globals are the browser's.
    const page = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } };
    const result = await page.axe.run(page.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Every page the suite visits is checked; the failures name the page, the rule and the element. */
export class AccessibilityLog {
  readonly failures: string[] = [];
  readonly checked: string[] = [];

  async check(page: Page, name: string): Promise<void> {
    const found = await seriousViolations(page);
    this.checked.push(name);
    for (const v of found) this.failures.push(`${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
}

/** CSP violations show up in the console; none may happen. */
export function watchConsole(page: Page, into: string[]): void {
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) into.push(message.text());
  });
  page.on('pageerror', (error) => into.push(`page error: ${error.message}`));
}

/** `npm run screenshots` sets SCREENSHOTS=1: the runs write the README's pictures. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!process.env.SCREENSHOTS) return;
  const dir = join(ROOT, 'docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The demo signer's detached CAdES signature, made by OpenSSL, as the README's walk-through makes it. */
export function signWithDemoSigner(dataDir: string, documentPath: string, outPath: string): void {
  execFileSync('openssl', [
    'cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-outform', 'DER',
    '-in', documentPath, '-out', outPath,
    '-signer', join(dataDir, 'demo-pki/signer/demo-signer.crt'),
    '-inkey', join(dataDir, 'demo-pki/private/demo-signer.key'),
  ]);
}

/** Tab until the focused element matches (keyboard only: no pointer involved). */
export async function tabTo(page: Page, matches: (text: string, tag: string) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const { text, tag } = await page.evaluate(() => {
      const focused = (globalThis as unknown as { document: { activeElement: { innerText?: string; tagName?: string } | null } }).document.activeElement;
      return { text: focused?.innerText ?? '', tag: focused?.tagName ?? '' };
    });
    if (matches(text, tag)) return;
  }
  throw new Error('no focusable element matched after pressing Tab');
}
