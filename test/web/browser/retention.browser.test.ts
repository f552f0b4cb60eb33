// Retention by acquisition in Chromium: Maria opens it from her Oversight, which names the seller whose
// customers leave faster; the page shows each seller's figures as the API gives them, "too few to judge"
// in words, a grouping picked with the keyboard, and a rep who won nothing yet learns what to send.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, rowCells, Window, withoutChromium } from '../../support/browser.js';
import { type Person, signIn } from '../../support/people.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';
import { importWonBook } from '../../support/won-book.js';

const now = new Date('2026-07-01T09:00:00Z');
const sellers = [
  { email: 'ann@tend.example', name: 'Ann Lee', monthlyChurn: 0.02, accounts: 200 },
  { email: 'sam@tend.example', name: 'Sam Ortiz', monthlyChurn: 0.1, accounts: 200 },
] as const;
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 });

describe.skipIf(withoutChromium)('retention by acquisition in the app', () => {
  let tend: TestTend;
  let browser: Browser;
  let maria: Person;
  let rita: Person;
  let mariasWindow: Window;
  let ritasWindow: Window;

  beforeAll(async () => {
    tend = await startTestTend({ clock: { kind: 'manual', start: now } });
    maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager', name: 'Maria Keller' });
    for (const seller of sellers)
      await signIn(tend, { email: seller.email, role: 'rep', name: seller.name, managerEmail: maria.email });
    rita = await signIn(tend, { email: 'rita@tend.example', role: 'rep', name: 'Rita', managerEmail: maria.email });
    await importWonBook(tend, sellers, now);
    browser = await launchChromium();
    mariasWindow = await Window.open(browser, tend.url, maria.cookie);
    ritasWindow = await Window.open(browser, tend.url, rita.cookie);
  }, 120_000);
  afterAll(async () => {
    await mariasWindow?.close();
    await ritasWindow?.close();
    await browser?.close();
    await tend?.stop();
  });

  it('names the seller whose customers leave faster on Oversight, and links to the report', async () => {
    const page = await mariasWindow.visit('/oversight', { heading: 'Oversight' });
    const flagged = page.getByRole('region', { name: 'Customers leaving faster' });
    await expect(flagged.innerText()).resolves.toMatch(/Customers won by Sam Ortiz leave faster/);
    await expect(flagged.innerText()).resolves.not.toMatch(/Ann Lee/);
    await mariasWindow.check('oversight-sellers-losing-customers');
    await page.getByRole('link', { name: 'Retention by acquisition' }).click();
    await mariasWindow.settled('Retention by acquisition');
    expect(new URL(page.url()).pathname).toBe('/oversight/retention');
  });

  it("shows each seller's figures as the API gives them, and the flag in words", async () => {
    const report = (await maria.get('/api/v1/reports/retention?by=seller')).body;
    const page = await mariasWindow.visit('/oversight/retention', { heading: 'Retention by acquisition' });
    const table = page.getByRole('table', { name: /Customers still with us after 3, 6 and 12 months/ });
    for (const seller of sellers) {
      const group = report.groups.find((candidate: { key: string }) => candidate.key === seller.email);
      const six = group.retention[1].judgement;
      expect(six.kind).toBe('judged');
      const cells = await rowCells(table, seller.name);
      expect(cells[1]).toBe(String(seller.accounts));
      expect(cells[3]).toContain(percent.format(six.share));
      expect(cells[3]).toContain(`(${percent.format(six.lower)}–${percent.format(six.upper)})`);
    }
    expect((await rowCells(table, 'The whole company'))[1]).toBe('400');
    const flagged = page.getByRole('region', { name: 'Customers leaving faster' });
    await expect(flagged.innerText()).resolves.toContain(report.sellersLosingCustomers[0].words.split(':')[0]);
    await mariasWindow.check('retention-by-seller');
  });

  it('picks another grouping with the keyboard; a quarter too young says so in words', async () => {
    const page = await mariasWindow.visit('/oversight/retention', { heading: 'Retention by acquisition' });
    const picker = page.getByRole('combobox', { name: 'Group customers by' });
    await picker.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(/by=quarter/);
    await mariasWindow.settled('Retention by acquisition');
    const table = page.getByRole('table', { name: /Customers still with us/ });
    await table.getByRole('columnheader', { name: 'Quarter won' }).waitFor();
    const latest = await rowCells(table, '2026-Q2');
    expect(latest[3]).toBe('too few accounts to judge: 0');
    await mariasWindow.check('retention-by-quarter');
  });

  it('teaches a rep who won nothing yet what to send', async () => {
    const page = await ritasWindow.visit('/oversight/retention', { heading: 'Retention by acquisition' });
    const teaching = page.getByRole('region', { name: 'Tell Tend how each customer was won' });
    await expect(teaching.innerText()).resolves.toContain('acquiredBy');
    await expect(teaching.innerText()).resolves.toContain('acquired_at, acquired_by, acquisition_channel, campaign');
    await ritasWindow.check('retention-teaching');
  });
});
