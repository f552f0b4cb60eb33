// A rep's day in Chromium: Rita opens Today and sees her neglected account with the reasons, logs a call
// from the page, and the entry leaves the list while Tend clears the signal (checked through the API);
// her account's page draws its health chart and timeline; she completes a task with an outcome; and
// Sam's account is "not found" to her, in the page and in the API.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, type AppScenario, checkIn, startAppScenario } from '../../support/app-scenario.js';
import { announced, launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { advance, openKinds } from '../../support/scenario.js';

describe.skipIf(withoutChromium)("a rep's day in the app", () => {
  let scenario: AppScenario;
  let browser: Browser;
  let rita: Window;
  const today = () => scenario.rita.get('/api/v1/users/rita@tend.example/today');

  beforeAll(async () => {
    browser = await launchChromium();
    scenario = await startAppScenario();
    rita = await Window.open(browser, scenario.tend.url, scenario.rita.cookie);
  });
  afterAll(async () => {
    await rita?.close();
    await browser?.close();
    await scenario?.stop();
  });

  it('shows Rita her accounts that need her today, in the order of the API, with the reasons', async () => {
    const list = (await today()).body;
    expect(list.entries.map((entry: { accountId: string }) => entry.accountId)).toContain('northwind');
    const page = await rita.visit('/today', { heading: 'Today' });
    const shown = page.getByRole('list', { name: /Whom to contact/ });
    const headings = await shown.getByRole('heading', { level: 2 }).allInnerTexts();
    const ranked = list.entries.map((entry: { name: string }, index: number) => `${index + 1}. ${entry.name}`);
    expect(headings).toEqual(ranked);
    const northwind = page.getByRole('listitem', { name: /Northwind Traders/ });
    await northwind.getByText('Neglected', { exact: true }).waitFor();
    const entry = list.entries.find((candidate: { accountId: string }) => candidate.accountId === 'northwind');
    for (const reason of entry.why as string[]) await northwind.getByText(reason).waitFor();
    await northwind
      .getByText(/Nina Berg/)
      .first()
      .waitFor();
    await rita.check('today');
  });

  it('logs a call from Today: the entry leaves the list and the neglected signal clears', async () => {
    const page = rita.page;
    const northwind = page.getByRole('listitem', { name: /Northwind Traders/ });
    await northwind.getByRole('button', { name: 'Log a call' }).click();
    const form = page.getByRole('form', { name: 'Log a call with Northwind Traders' });
    await form.getByLabel('Reached them').check();
    await form.getByLabel('Note (optional)').fill('Nina wants a review of their plan in April');
    await form.getByRole('button', { name: 'Save the call' }).click();
    await announced(page, 'The call with Northwind Traders is logged (reached them).');
    await northwind.waitFor({ state: 'detached' });
    // The list is evaluated as it is read; the stored signal clears in the engine's next round.
    await advance(scenario.tend, 'PT1S');
    expect(await openKinds(scenario.tend, 'northwind')).not.toContain('neglected');
    const entries = (await today()).body.entries.map((entry: { accountId: string }) => entry.accountId);
    expect(entries).not.toContain('northwind');
    const audit = (await scenario.rita.get('/api/v1/accounts/northwind/audit')).body;
    expect(audit.windows[0]).toMatchObject({ days: 30, byChannel: { phone: 1 } });
    await rita.check('today-after-a-call');
  });

  it("draws the account's health chart and its timeline, newest first, with the call on it", async () => {
    const page = await rita.visit('/accounts/northwind', { heading: 'Northwind Traders' });
    await page.locator('.chart-canvas canvas').first().waitFor();
    const timeline = page.getByRole('table', { name: 'Timeline, newest first' });
    await timeline.waitFor();
    expect(await timeline.getByRole('row').count()).toBeGreaterThan(5);
    await timeline.getByText(/Nina wants a review of their plan in April/).waitFor();
    // A new book has too few lost customers to learn from: the page says the weights are the configured ones.
    await page.getByText(/The weights are the configured ones/).waitFor();
    await rita.check('account');
  });

  it("shows Sam's account as not found to Rita, as the API does, and an unknown page too", async () => {
    const sams = accounts.find((account) => account.owner === 'sam')!;
    expect((await scenario.sam.get(`/api/v1/accounts/${sams.id}/summary`)).status).toBe(200);
    const refused = await scenario.rita.get(`/api/v1/accounts/${sams.id}/summary`);
    expect(refused.status).toBe(404);
    // The same answer as for an id that does not exist, but for the id itself.
    const unknown = await scenario.rita.get('/api/v1/accounts/no-such-account/summary');
    expect(JSON.stringify(refused.body)).toBe(JSON.stringify(unknown.body).replaceAll('no-such-account', sams.id));
    const page = await rita.visit(`/accounts/${sams.id}`, { heading: 'Not found', expectedStatuses: [404] });
    expect(await page.getByText(sams.name).count()).toBe(0);
    await rita.check('account-not-found');
    await rita.visit('/no-such-page', { heading: 'Not found', expectedStatuses: [404] });
    await rita.page.getByText('Tend has no page at this address.').waitFor();
    await rita.check('page-not-found');
  });

  it('completes a task with its outcome on Tasks', async () => {
    const page = await rita.visit('/tasks', { heading: 'Tasks' });
    const mine = page.getByRole('list', { name: 'My open tasks' });
    const tasks = mine.getByRole('listitem').filter({ hasText: checkIn.objective });
    const before = await tasks.count();
    expect(before).toBeGreaterThan(0);
    await rita.check('tasks');
    const first = tasks.first();
    await first.getByRole('button', { name: 'Complete task' }).click();
    const form = page.getByRole('form', { name: `Complete task: ${checkIn.objective}` });
    await form.getByLabel('Saved the account').check();
    await form.getByLabel('Note (optional)').fill('They renew for two more years');
    await form.getByRole('button', { name: 'Save the outcome' }).click();
    await announced(page, `Task "${checkIn.objective}" completed: Saved the account.`);
    await tasks.nth(before - 1).waitFor({ state: 'detached' });
    const done = (await scenario.rita.get('/api/v1/tasks?ownerId=rita@tend.example&status=done')).body.tasks;
    const outcome = { objective: checkIn.objective, outcome: 'saved', note: 'They renew for two more years' };
    expect(done).toEqual([expect.objectContaining(outcome)]);
    await rita.check('tasks-after-completing');
  });
});
