// A playbook's page while it sends, in Chromium: an outage hits three customers and their notices wait
// for the sender; the page says so in words and with a progress bar, and once the sender's round is done
// it shows them sent by itself, without a reload.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInPlaybooks } from '../../../src/config/playbook-library.js';
import { launchChromium, rowCells, Window, withoutChromium } from '../../support/browser.js';
import { signIn } from '../../support/people.js';
import { advance, group, send, track } from '../../support/scenario.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';

const affected = ['olga', 'otto', 'oona'] as const;

describe.skipIf(withoutChromium)("a playbook's page while it sends", () => {
  let tend: TestTend;
  let browser: Browser;
  let window: Window;
  let dispatcherRound: () => Promise<number>;

  beforeAll(async () => {
    browser = await launchChromium();
    tend = await startTestTend({
      clock: { kind: 'manual', start: new Date('2026-05-04T10:00:00Z') },
      playbooks: builtInPlaybooks,
    });
    const maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager', name: 'Maria Keller' });
    window = await Window.open(browser, tend.url, maria.cookie);
    for (const userId of affected) {
      await send(tend, [
        { type: 'identify', userId, traits: { name: userId, email: `${userId}@${userId}co.example`, timezone: 'UTC' } },
        group(userId, `${userId}co`, { name: `${userId} Co`, profit: 10000 }),
      ]);
    }
    // The sender is busy elsewhere: the scheduler's rounds send nothing; the test runs the dispatcher itself.
    const dispatcher = tend.tend.dispatcher;
    const runDue = dispatcher.runDue.bind(dispatcher);
    dispatcherRound = () => runDue({ stopping: false });
    vi.spyOn(dispatcher, 'runDue').mockResolvedValue(0);
    await send(
      tend,
      affected.map((userId) => track(userId, 'Outage Started', { service: 'Invoicing' })),
    );
    await advance(tend, 'PT1M');
  });
  afterAll(async () => {
    await window?.close();
    await browser?.close();
    await tend?.stop();
  });

  it('says how many notices wait, with a progress bar, and shows them sent once they are', async () => {
    const page = await window.visit('/playbooks/outage-notice', { heading: 'Outage notice' });
    const block = page.getByRole('region', { name: 'Sending now' });
    await block.getByText('3 customers entered in the last 24 hours. 0 of 3 messages sent; 3 waiting.').waitFor();
    const bar = block.getByRole('progressbar', { name: '0 of 3 messages sent' });
    expect(await bar.getAttribute('max')).toBe('3');
    expect(await bar.getAttribute('value')).toBe('0');
    const table = block.getByRole('table', { name: 'Messages of the last 24 hours on each channel' });
    expect(await rowCells(table, 'Email')).toEqual(['Email', '0', '3', '0', '0', '0']);
    await page.getByText('Incident: sent first').waitFor();
    await window.check('playbook-sending');

    expect(await dispatcherRound()).toBe(3);
    // No reload: the page asks again by itself while messages wait.
    const done = page.getByRole('region', { name: 'Sending in the last 24 hours' });
    await done.getByText('3 of 3 messages sent.', { exact: false }).waitFor();
    expect(await done.getByRole('progressbar', { name: '3 of 3 messages sent' }).getAttribute('value')).toBe('3');
    // The results are read again once the sending is done.
    const groups = page.getByRole('table', { name: 'Customers in each group, and how many did each thing' });
    await groups.getByRole('row', { name: /^Sent a message 3 \(100%\)/ }).waitFor();
    await window.check('playbook-sent');
  });
});
