// The notification settings page in Chromium: a rep sees what reaches her and when, with the usual choice
// marked and a teaching line for Slack; she turns alerts off, sets her time zone and a Slack webhook by
// keyboard and mouse, is told clearly when the URL is refused, and the API then holds what she chose.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announced, launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { type Person, signIn } from '../../support/people.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';

describe.skipIf(withoutChromium)('the notification settings page', () => {
  let tend: TestTend;
  let browser: Browser;
  let rita: Person;
  let window: Window;

  beforeAll(async () => {
    browser = await launchChromium();
    tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-05-04T13:00:00Z') } });
    rita = await signIn(tend, { email: 'rita@acme.example', role: 'rep', name: 'Rita Rep' });
    window = await Window.open(browser, tend.url, rita.cookie);
  });
  afterAll(async () => {
    await window?.close();
    await browser?.close();
    await tend?.stop();
  });

  it('shows the choices with the usual ones, and teaches how to add Slack', async () => {
    const page = await window.visit('/notifications', { heading: 'Notifications' });
    const alerts = page.getByRole('group', { name: 'Alerts' });
    expect(await alerts.getByLabel('Right away (usual)').isChecked()).toBe(true);
    const tasks = page.getByRole('group', { name: 'New tasks' });
    expect(await tasks.getByLabel('In the morning digest (usual)').isChecked()).toBe(true);
    await page.getByText('Slack: not set up, so notices come by e-mail only.').waitFor();
    await page.getByText(/add the “Incoming Webhooks” app/).waitFor();
    await window.check('notifications');
  });

  it('saves her choices, and names what was wrong with a refused Slack URL', async () => {
    // The refused URL is answered 400, shown on the page: expected, not a console error.
    const page = await window.visit('/notifications', { heading: 'Notifications', expectedStatuses: [400] });
    await page.getByRole('group', { name: 'Alerts' }).getByLabel('Not at all').check();
    await page.getByLabel('Your time zone').selectOption('America/New_York');
    await page.getByLabel('Your Slack webhook URL').fill('http://hooks.example/services/T1/B1/x');
    await page.getByRole('button', { name: 'Save my notification settings' }).click();
    await page
      .getByRole('alert')
      .getByText(/slackWebhookUrl must start with https:\/\//)
      .waitFor();
    await page.getByLabel('Your Slack webhook URL').fill('https://hooks.slack.com/services/T1/B1/secretpart');
    // Keyboard: from the URL field, Tab reaches the save button, and Enter saves.
    await page.getByLabel('Your Slack webhook URL').focus();
    for (let step = 0; step < 10; step++) {
      const focused = await page.evaluate('document.activeElement?.textContent ?? ""');
      if (focused === 'Save my notification settings') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await announced(page, 'Your notification settings are saved.');
    await page.getByText('Slack: your own webhook (hooks.slack.com).').waitFor();
    // The secret is not left on the page.
    expect(await page.getByLabel('Replace your Slack webhook URL').inputValue()).toBe('');
    const saved = (await rita.get('/api/v1/users/me/notifications')).body;
    expect(saved.kinds.find((kind: { kind: string }) => kind.kind === 'alert').delivery).toBe('off');
    expect(saved).toMatchObject({
      timezone: 'America/New_York',
      slack: { own: { set: true, host: 'hooks.slack.com' } },
    });
    await window.check('notifications-saved');
  });
});
