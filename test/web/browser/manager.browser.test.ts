// A manager's and an admin's pages in Chromium: Maria's Oversight shows the numbers of
// `GET /api/v1/users/{id}/oversight`, links each to the accounts behind it and shows what the health score
// weighs in the book; the playbook page shows treated against held out with the lift's 95 % interval, and
// by risk band; Accounts, Tasks, Outbox and Settings load clean, and an admin sees the whole company.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewPolicy } from '../../../src/api/message-preview-routes.js';
import { type AppScenario, checkIn, people, startAppScenario } from '../../support/app-scenario.js';
import { launchChromium, rowCells, Window, withoutChromium } from '../../support/browser.js';
import { advance, group, send } from '../../support/scenario.js';

// The app formats in the browser's language (en-GB here): the same formats, to compare with the API.
const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-GB');
const points = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const share = (value: number | null) => (value === null ? '—' : percent.format(value));
const lift = (value: number) => `${points.format(value * 100)} points`;

interface RepRow {
  repEmail: string;
  accountsOwned: number;
  withinCadenceShare: number | null;
  neglected: { accountId: string; name: string | null }[];
  neglectedAccounts: number;
  asyncOnlyShare: number | null;
  signalsPastDeadline: number;
  revenueAtRiskMinor: number;
  revenueAtRisk: { currency: string | null; amountMinor: number }[];
}

interface BandRow {
  band: 'high-risk' | 'middle' | 'low-risk' | 'unscored';
  treated: { entered: number; retained: number };
  holdout: { entered: number; retained: number };
  retention: { lift: { absolute: number } } | null;
  verdict: 'too-few-to-judge' | 'helps' | 'no-effect-shown' | 'harms';
}

/** Oversight names the reps. */
const nameOf = (email: string) => Object.values(people).find((person) => person.email === email)!.name;

describe.skipIf(withoutChromium)("a manager's and an admin's pages", () => {
  let scenario: AppScenario;
  let browser: Browser;
  let maria: Window;
  let ada: Window;

  beforeAll(async () => {
    browser = await launchChromium();
    scenario = await startAppScenario();
    maria = await Window.open(browser, scenario.tend.url, scenario.maria.cookie);
    ada = await Window.open(browser, scenario.tend.url, scenario.ada.cookie);
  });
  afterAll(async () => {
    await maria?.close();
    await ada?.close();
    await browser?.close();
    await scenario?.stop();
  });

  it("shows on Maria's Oversight the numbers the API gives for her team, with the coverage chart", async () => {
    const answer = await scenario.maria.get(`/api/v1/users/${scenario.maria.id}/oversight`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const reps = answer.body.reps as RepRow[];
    expect(reps.map((rep) => rep.repEmail)).toEqual(['rita@tend.example', 'sam@tend.example']);
    const page = await maria.visit('/oversight', { heading: 'Oversight' });
    const table = page.getByRole('table', { name: /Maria Keller's team/ });
    for (const rep of reps) {
      const shown = await rowCells(table, nameOf(rep.repEmail));
      const neglected = rep.neglectedAccounts === 0 ? 'none' : `${rep.neglectedAccounts} neglected`;
      expect(shown[1], rep.repEmail).toBe(plain.format(rep.accountsOwned));
      expect(shown[2], rep.repEmail).toBe(share(rep.withinCadenceShare));
      expect(shown[3], rep.repEmail).toContain(neglected);
      for (const account of rep.neglected.slice(0, 3)) expect(shown[3]).toContain(account.name ?? account.accountId);
      expect(shown[4], rep.repEmail).toBe(share(rep.asyncOnlyShare));
      expect(shown[6], rep.repEmail).toBe(plain.format(rep.signalsPastDeadline));
      // Money at risk per currency, each amount on its own.
      if (rep.revenueAtRisk.length === 0) expect(shown[7], rep.repEmail).toBe('0');
      for (const money of rep.revenueAtRisk)
        expect(shown[7], rep.repEmail).toContain(plain.format(money.amountMinor / 100));
    }
    await page.locator('.chart-canvas canvas').first().waitFor();
    await maria.check('oversight');
  });

  it('shows on Oversight what the health score weighs in the book, and why the configured weights are kept', async () => {
    const answer = await scenario.maria.get('/api/v1/health/model');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const model = answer.body as {
      source: 'learned' | 'hand';
      reason: string | null;
      weights: Record<string, number>;
      handWeights: Record<string, number>;
    };
    // A fresh book has lost too few accounts to learn from: the configured weights are kept, and it says why.
    expect(model.source).toBe('hand');
    const page = await maria.visit('/oversight', { heading: 'Oversight' });
    const section = page.getByRole('region', { name: 'What the health score weighs in this book' });
    await section.getByRole('heading', { name: 'What the health score weighs in this book' }).waitFor();
    const reason = model.reason ?? '';
    const why = `The score uses the configured weights. ${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
    await section.getByText(why, { exact: false }).waitFor();
    const table = section.getByRole('table', { name: "Each part's weight in the health score, heaviest first" });
    const shown = await rowCells(table, 'Use of the product');
    expect(shown.slice(1)).toEqual([share(model.weights.engagement!), share(model.handWeights.engagement!)]);
    const heaviestFirst = Object.values(model.weights)
      .sort((a, b) => b - a)
      .map(share);
    expect(await table.locator('tbody td:nth-child(2)').allInnerTexts()).toEqual(heaviestFirst);
    await maria.check('oversight-health-weights');
  });

  it('links a number of Oversight to the accounts behind it', async () => {
    const rita = (await scenario.maria.get('/api/v1/oversight')).body.reps[0] as RepRow;
    const page = maria.page;
    await page.getByRole('link', { name: `${rita.accountsOwned} accounts of ${nameOf(rita.repEmail)}` }).click();
    await maria.settled('Accounts');
    const rows = page.getByRole('table', { name: 'Accounts that match' }).locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(rita.accountsOwned);
    expect(new Set(await rows.locator('td:nth-child(2)').allInnerTexts())).toEqual(new Set(['Rita Novak']));
    await maria.check('accounts');
  });

  it('shows a playbook treated against held out, with the lift and its 95 % interval', async () => {
    const results = (await scenario.maria.get(`/api/v1/playbooks/${checkIn.id}/results`)).body;
    expect(results.treated.entered).toBeGreaterThan(0);
    expect(results.holdout.entered).toBeGreaterThan(0);
    const page = await maria.visit('/playbooks', { heading: 'Playbooks' });
    await maria.check('playbooks');
    await page.getByRole('link', { name: checkIn.name }).click();
    await maria.settled(checkIn.name);
    const groups = page.getByRole('table', { name: 'Customers in each group, and how many did each thing' });
    const entered = await rowCells(groups, /^Entered/);
    expect(entered.slice(1)).toEqual([plain.format(results.treated.entered), plain.format(results.holdout.entered)]);
    await page.getByRole('heading', { name: 'Lift, with its 95 % interval' }).waitFor();
    await page.locator('.chart-canvas canvas').first().waitFor();
    await page.getByText('The numbers behind this chart').click();
    const intervals = page.getByRole('table', { name: 'Lift of each rate with its 95 % interval' });
    const retained = await rowCells(intervals, 'Retained');
    expect(retained[4]).toBe(`${lift(results.retained.lift.lower)} to ${lift(results.retained.lift.upper)}`);
    // By risk band: each band's retained in both groups, its lift and verdict, in plain words.
    await page.getByRole('heading', { name: 'Lift by risk band' }).waitFor();
    const bands = page.getByRole('table', { name: 'Retained, treated against held out, in each risk band' });
    const names = { 'high-risk': /^High risk/, middle: /^Middle/, 'low-risk': /^Low risk/, unscored: /^Not scored/ };
    const verdicts = {
      'too-few-to-judge': 'Too few to judge',
      helps: 'Helps',
      'no-effect-shown': 'No effect shown',
      harms: 'Harms',
    };
    const retainedOf = (group: { entered: number; retained: number }) =>
      group.entered === 0
        ? 'no runs'
        : `${plain.format(group.retained)} of ${plain.format(group.entered)} (${share(group.retained / group.entered)})`;
    expect(results.byRiskBand.some((band: BandRow) => band.treated.entered + band.holdout.entered > 0)).toBe(true);
    for (const band of results.byRiskBand as BandRow[]) {
      const shown = await rowCells(bands, names[band.band]);
      expect(shown.slice(1, 3), band.band).toEqual([retainedOf(band.treated), retainedOf(band.holdout)]);
      expect(shown[3], band.band).toBe(band.retention === null ? '—' : lift(band.retention.lift.absolute));
      expect(shown[6], band.band).toBe(verdicts[band.verdict]);
    }
    await maria.check('playbook');
  });

  it('shows Maria the tasks escalated to her, her Today and the Outbox', async () => {
    const page = await maria.visit('/tasks?show=escalated', { heading: 'Tasks' });
    await page.getByRole('list', { name: 'Escalated to me' }).getByText(checkIn.objective).first().waitFor();
    await maria.check('tasks-escalated');
    await maria.visit('/today', { heading: 'Today' });
    await maria.page.getByRole('combobox', { name: 'Whose list' }).selectOption('rita@tend.example');
    await maria.settled('Today for Rita Novak');
    await maria.page.getByRole('listitem', { name: /Northwind Traders/ }).waitFor();
    await maria.check('today-manager');
    await maria.visit('/outbox', { heading: 'Outbox' });
    await maria.check('outbox');
  });

  it('shows an e-mail of the Outbox as its customer sees it, in a frame where nothing runs', async () => {
    const page = maria.page;
    const subject = 'Nina, what are your plans for spring?';
    await page.getByRole('table', { name: 'Messages' }).getByRole('link', { name: subject }).click();
    const frame = page.getByTitle(`The e-mail "${subject}" as sent`);
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    await page.frameLocator('iframe.email-preview').getByText('Hi Nina,').waitFor();
    await maria.check('outbox-message');
    // The frame's page: under its own policy, and only for the people whose book holds the message.
    const address = `${scenario.tend.url}${await frame.getAttribute('src')}`;
    const asMaria = await fetch(address, { headers: { cookie: scenario.maria.cookie } });
    expect(asMaria.status).toBe(200);
    expect(asMaria.headers.get('content-type')).toMatch(/^text\/html/);
    expect(asMaria.headers.get('content-security-policy')).toBe(previewPolicy);
    expect(await asMaria.text()).not.toContain('fonts.googleapis.com');
    expect((await fetch(address, { headers: { cookie: scenario.sam.cookie } })).status).toBe(404);
  });

  it('shows an admin the settings and the whole company on Oversight', async () => {
    const page = await ada.visit('/settings', { heading: 'Settings' });
    await page.getByRole('heading', { name: 'People' }).waitFor();
    await ada.check('settings');
    // An account the CRM sent without an owner: the company's Oversight names it, nobody else would.
    await send(scenario.tend, [group('olga', 'orphan-goods', { name: 'Orphan Goods', profit: 90_000 })]);
    await advance(scenario.tend, 'PT1M');
    await ada.visit('/oversight', { heading: 'Oversight' });
    await ada.page.getByRole('table', { name: /The whole company/ }).waitFor();
    const unowned = ada.page.getByRole('region', { name: 'Accounts nobody owns' });
    await unowned.getByText(/1 account has no owner/).waitFor();
    await unowned
      .getByRole('list', { name: 'The most valuable accounts nobody owns' })
      .getByRole('link', {
        name: 'Orphan Goods',
      })
      .waitFor();
    await ada.check('oversight-company');
  });
});
