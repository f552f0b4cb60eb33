// Promises on the account page, in Chromium: Rita finds none at Litware and the page tells her what a
// promise is; she records two through the form, marks one kept and moves the other's due date; weeks later
// on the manual clock the other is late, with its talking point, and Tend has raised promise-broken. A
// promise someone else closed meanwhile is refused in words next to her form.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppScenario, startAppScenario } from '../../support/app-scenario.js';
import { announced, launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { advance, openKinds } from '../../support/scenario.js';

describe.skipIf(withoutChromium)('promises on the account page', () => {
  let scenario: AppScenario;
  let browser: Browser;
  let rita: Window;
  const review = 'A business review with their CFO';
  const sso = 'Single sign-on';
  const visitLitware = () => rita.visit('/accounts/litware', { heading: 'Litware' });
  const promiseOf = (page: Page, title: string): Locator =>
    page.getByRole('list', { name: 'Promises to Litware' }).getByRole('listitem', { name: title });
  const promisesOfLitware = async () =>
    (await scenario.rita.get('/api/v1/accounts/litware/promises')).body.promises as {
      promiseId: string;
      title: string;
      standing: string;
    }[];

  // A person's clicks are moments apart; on the manual clock they would all be one instant otherwise.
  const aMinuteLater = () => advance(scenario.tend, 'PT1M');

  beforeAll(async () => {
    browser = await launchChromium();
    scenario = await startAppScenario(); // the story ends on 3 April 2026
    rita = await Window.open(browser, scenario.tend.url, scenario.rita.cookie);
  });
  afterAll(async () => {
    await rita?.close();
    await browser?.close();
    await scenario?.stop();
  });

  it('says what a promise is and where else they come from when the account has none', async () => {
    const page = await visitLitware();
    const empty = page.getByRole('region', { name: 'No promises recorded yet' });
    await empty.getByText(/A promise is anything the customer was told/).waitFor();
    await empty.getByText('Promise Made', { exact: true }).waitFor();
    await empty.getByText('tend import promises FILE.csv', { exact: true }).waitFor();
    await rita.check('account-promises-none');
  });

  it('records two promises through the form, and lists them with who delivers them', async () => {
    const page = rita.page;
    const record = async (title: string, due: string, owner: string, said: string) => {
      await page.getByRole('button', { name: 'Record a promise' }).click();
      const form = page.getByRole('form', { name: 'Record a promise to Litware' });
      await form.getByLabel('What was promised').fill(title);
      await form.getByLabel('Due by').fill(due);
      await form.getByLabel('Who delivers it (optional)').fill(owner);
      expect(await form.getByLabel('Who promised it').inputValue()).toBe('rita@tend.example');
      await form.getByLabel('Note (optional)').fill('Promised when they signed');
      if (title === review) await rita.check('account-promises-form');
      await form.getByRole('button', { name: 'Save the promise' }).click();
      await announced(page, said);
      await form.waitFor({ state: 'detached' });
      await aMinuteLater();
    };
    await record(review, '2026-04-10', 'support', `The promise "${review}" is recorded, due 10 April 2026.`);
    await record(sso, '2026-04-06', 'engineering', `The promise "${sso}" is recorded, due 6 April 2026.`);
    const reviewShown = promiseOf(page, review);
    await reviewShown.getByText('Due 10 April 2026', { exact: true }).waitFor();
    await reviewShown.getByText(/^Delivered by support; promised by rita@tend\.example on 3 April 2026$/).waitFor();
    // Due within a week: the page says so, in words, with what to check.
    const ssoShown = promiseOf(page, sso);
    await ssoShown.getByText('Due soon', { exact: true }).waitFor();
    await ssoShown.getByText(/^Due 6 April 2026, in 3 days$/).waitFor();
    await ssoShown.getByText(/is due on 6 Apr 2026: check it will be kept \(engineering delivers it\)/).waitFor();
    expect((await promisesOfLitware()).map((promise) => [promise.title, promise.standing])).toEqual([
      [sso, 'due-soon'],
      [review, 'open'],
    ]);
    await rita.check('account-promises-recorded');
  });

  it('marks one kept and gives the other a new date, each in its history', async () => {
    const page = rita.page;
    const reviewShown = promiseOf(page, review);
    // By keyboard alone: the button opens the form with the note ready to type in, Tab reaches "Save as kept".
    await reviewShown.getByRole('button', { name: `Mark kept: ${review}` }).focus();
    await page.keyboard.press('Enter');
    const kept = page.getByRole('form', { name: `Mark kept: ${review}` });
    await kept.waitFor();
    const focused =
      "document.activeElement?.closest('form')?.getAttribute('aria-label') + ' / ' + document.activeElement?.name";
    await expect.poll(() => page.evaluate(focused)).toBe(`Mark kept: ${review} / note`);
    await page.keyboard.type('Held on the 3rd, Lena came too');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await announced(page, `The promise "${review}" is marked kept.`);
    await kept.waitFor({ state: 'detached' });
    await aMinuteLater();
    await reviewShown.getByText('Kept', { exact: true }).waitFor();
    await reviewShown.getByText('Kept on 3 April 2026', { exact: true }).waitFor();
    expect(await reviewShown.getByRole('button').count()).toBe(0);
    await reviewShown.getByText(/History/).click();
    await reviewShown.getByText(/Marked kept by rita@tend\.example — Held on the 3rd, Lena came too/).waitFor();

    const ssoShown = promiseOf(page, sso);
    await ssoShown.getByRole('button', { name: `Change the due date: ${sso}` }).click();
    const moved = page.getByRole('form', { name: `Change the due date: ${sso}` });
    expect(await moved.getByLabel('New due date').inputValue()).toBe('2026-04-06');
    await moved.getByLabel('New due date').fill('2026-04-08');
    await moved.getByLabel('Why (optional)').fill('Agreed with Lena on a call');
    await moved.getByRole('button', { name: 'Save the new date' }).click();
    await announced(page, `The promise "${sso}" is now due 8 April 2026.`);
    await moved.waitFor({ state: 'detached' });
    await ssoShown.getByText(/^Due 8 April 2026, in 5 days$/).waitFor();
    await ssoShown.getByText(/History/).click();
    await ssoShown
      .getByText(/Changed by rita@tend\.example — due 6 Apr 2026 → 8 Apr 2026\. Agreed with Lena/)
      .waitFor();
    await rita.check('account-promises-kept');
  });

  it('shows a promise past its date as late, with what to raise, and Tend raises promise-broken', async () => {
    await advance(scenario.tend, 'P27D'); // 30 April 2026: three weeks after the 8th
    expect(await openKinds(scenario.tend, 'litware')).toContain('promise-broken');
    const page = await visitLitware();
    const shown = page.getByRole('list', { name: 'Promises to Litware' }).getByRole('listitem');
    expect(await shown.first().getByRole('heading').innerText()).toMatch(new RegExp(`^${sso}\\s+Late$`));
    const ssoShown = promiseOf(page, sso);
    await ssoShown.getByText(/^Due 8 April 2026, now 3 weeks late$/).waitFor();
    await ssoShown
      .getByText('Raise the promise "Single sign-on" due in April 2026, now 3 weeks late (engineering delivers it)')
      .waitFor();
    await page
      .getByRole('table', { name: /Open signals/ })
      .getByText('Promise broken')
      .waitFor();
    await ssoShown.getByText(/History/).click();
    await rita.check('account-promises-late');
  });

  it('says in words, next to the form, when someone else closed the promise meanwhile', async () => {
    // The refusal is an answer the page shows in words, not a fault of the page.
    const page = await rita.visit('/accounts/litware', { heading: 'Litware', expectedStatuses: [409] });
    const ssoShown = promiseOf(page, sso);
    await ssoShown.getByRole('button', { name: `Mark kept: ${sso}` }).click();
    const form = page.getByRole('form', { name: `Mark kept: ${sso}` });
    const ssoId = (await promisesOfLitware()).find((promise) => promise.title === sso)?.promiseId;
    const withdrawn = await scenario.sam.patch(`/api/v1/accounts/litware/promises/${ssoId}`, { status: 'withdrawn' });
    expect(withdrawn.status, 'Litware is Rita’s: Sam may not touch it').toBe(404);
    const byManager = await scenario.maria.patch(`/api/v1/accounts/litware/promises/${ssoId}`, {
      status: 'withdrawn',
      note: 'Replaced by the new contract',
    });
    expect(byManager.status, JSON.stringify(byManager.body)).toBe(200);
    await form.getByRole('button', { name: 'Save as kept' }).click();
    // Said where she acted, and the promise shows as it now stands.
    await ssoShown
      .getByRole('alert')
      .getByText(/"Single sign-on" was already withdrawn on 30 Apr 2026\./)
      .waitFor();
    await ssoShown.getByText('Withdrawn on 30 April 2026', { exact: true }).waitFor();
    await ssoShown.getByText(/History/).click();
    await ssoShown.getByText(/Withdrawn by maria@tend\.example — Replaced by the new contract/).waitFor();
    expect(await ssoShown.getByRole('button').count()).toBe(0);
    await rita.check('account-promises-refused');
  });
});
