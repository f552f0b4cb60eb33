// Real Chromium for the app's tests (playwright-core driving the system's chromium, never a downloaded one),
// and the checks every page gets: no console errors, no serious or critical axe-core violations, a name
// for every control, and a screenshot under test-output/screenshots/<database>/.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { usingPostgres } from './test-tend.js';

const candidates = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** TEND_CHROMIUM, else the usual places of a system Chromium; null when there is none. */
function findChromium(): string | null {
  const chosen = process.env.TEND_CHROMIUM;
  if (chosen !== undefined && chosen !== '') return existsSync(chosen) ? chosen : null;
  return candidates.find((path) => existsSync(path)) ?? null;
}

const executable = findChromium();
const required = process.env.TEND_REQUIRE_CHROMIUM === '1';

/** True when the browser tests should be skipped: no Chromium, and CI did not ask for it (TEND_REQUIRE_CHROMIUM=1). */
export const withoutChromium = executable === null && !required;
if (executable === null) {
  const chosen = process.env.TEND_CHROMIUM;
  const where = chosen ? `TEND_CHROMIUM=${chosen} does not exist` : `none of ${candidates.join(', ')}`;
  const outcome = required ? 'FAIL (TEND_REQUIRE_CHROMIUM=1)' : 'are SKIPPED';
  console.warn(
    `The app's browser tests ${outcome}: no Chromium found (${where}). ` +
      'Install it (apt-get install chromium) or set TEND_CHROMIUM.',
  );
}

const databaseName = (): string => (usingPostgres() ? 'postgres' : 'pglite');
const screenshots = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Chromium launched once per test file; each person gets their own window (a browser context). */
export async function launchChromium(): Promise<Browser> {
  if (executable === null) {
    throw new Error('No Chromium to run the browser tests with: install chromium, or set TEND_CHROMIUM.');
  }
  return chromium.launch({ executablePath: executable, args: ['--no-sandbox'] });
}

export interface VisitOptions {
  /** The page's heading (its h1) once it has loaded. */
  readonly heading: string | RegExp;
  /** API answers the page is expected to get and show (a 404 for "not found"): not console errors. */
  readonly expectedStatuses?: readonly number[];
}

/** A person's browser window on Tend, with the page's console errors collected as they happen. */
export class Window {
  readonly errors: string[] = [];
  private expectedStatuses: readonly number[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly url: string,
  ) {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const failed = /status of (\d{3})/.exec(message.text());
      if (failed !== null && this.expectedStatuses.includes(Number(failed[1]))) return;
      this.errors.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.errors.push(`page error: ${error.message}`));
  }

  /** A new window; signed in when given a session cookie (`tend_session=…`). */
  static async open(browser: Browser, url: string, cookie: string | null = null): Promise<Window> {
    const viewport = { width: 1280, height: 800 };
    const context = await browser.newContext({ viewport, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    if (cookie !== null) {
      const [name, value] = cookie.split('=', 2) as [string, string];
      await context.addCookies([{ name, value, url }]);
    }
    return new Window(context, await context.newPage(), url);
  }

  /** Goes to a page of the app and waits until it has loaded and its data are shown. */
  async visit(path: string, options: VisitOptions): Promise<Page> {
    this.expectedStatuses = options.expectedStatuses ?? [];
    await this.page.goto(`${this.url}${path}`);
    await this.settled(options.heading);
    return this.page;
  }

  /** Waits for the heading, then for every "Loading …" to be gone. */
  async settled(heading: string | RegExp): Promise<void> {
    await this.page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await this.page.locator('.loading').first().waitFor({ state: 'detached' });
  }

  /** The checks every page passes: no console errors, no serious or critical axe findings, named controls. */
  async check(name: string): Promise<void> {
    expect(this.errors, `console errors on ${name}`).toEqual([]);
    const findings = await this.accessibility();
    const serious = findings.violations.filter(({ impact }) => impact === 'serious' || impact === 'critical');
    expect(serious.map(describeViolation), `serious or critical accessibility violations on ${name}`).toEqual([]);
    expect(findings.unnamed, `controls without an accessible name on ${name}`).toEqual([]);
    const folder = join(screenshots, databaseName());
    mkdirSync(folder, { recursive: true });
    await this.page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
  }

  private async accessibility(): Promise<{ violations: Violation[]; unnamed: string[] }> {
    // The app's policy allows no injected <script>; the DevTools protocol's evaluation is outside it.
    if (!(await this.page.evaluate('"axe" in window'))) await this.page.evaluate(axeSource);
    return this.page.evaluate(audit);
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** The cells of a table's row, found by its row header, as shown. */
export async function rowCells(table: Locator, header: string | RegExp): Promise<string[]> {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: header }) });
  return (await row.locator('th, td').allInnerTexts()).map((text) => text.trim());
}

/** Waits until the page has told screen readers this message (its status region). */
export async function announced(page: Page, message: string): Promise<void> {
  await page.getByRole('status').filter({ hasText: message }).waitFor({ state: 'attached' });
}

/**
 * Runs in the page (as text: the tests' TypeScript has no DOM): axe's violations, and the visible
 * controls a keyboard reaches that have no accessible name.
 */
const audit = `(async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  const selector =
    'a[href], button, input, select, textarea, summary, [role="button"], [tabindex]:not([tabindex="-1"])';
  axe.setup(document);
  const nameOf = (control) => axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(control));
  const unnamed = [...document.querySelectorAll(selector)]
    .filter((control) => control.getClientRects().length > 0 && nameOf(control).trim() === '')
    .map((control) => control.outerHTML.slice(0, 160));
  axe.teardown();
  const violations = result.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
  }));
  return { violations, unnamed };
})()`;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; failureSummary?: string }[];
}

function describeViolation(violation: Violation): string {
  const where = violation.nodes
    .slice(0, 3)
    .map((node) => `${JSON.stringify(node.target)}: ${node.failureSummary ?? ''}`);
  return `${violation.impact} ${violation.id} (${violation.help}) at ${where.join(' | ')}`;
}
