// Conversations in Chromium: Rita finds Anna waiting on /conversations (the list says for how long), opens the
// thread, answers from the reply box with the keyboard alone, and a real SMTP server gets the answer in
// Anna's thread; a refused answer says why on the page; Sam's empty list teaches how replies arrive, and
// Anna's conversation is "not found" to him; the account page links to its conversations.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../../support/fake-providers.js';
import { type Person, signIn } from '../../support/people.js';
import { announced, launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { advance, send } from '../../support/scenario.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';

const inboundSecret = 'browser-conversations-secret';
const replyDomain = 'replies.acme.example';
const anna = 'anna@kunde.example';

describe.skipIf(withoutChromium)('conversations in the app', () => {
  let tend: TestTend;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let rita: Person;
  let sam: Person;
  let ritasWindow: Window;
  let samsWindow: Window;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    browser = await launchChromium();
    tend = await startTestTend({
      clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
      settings: {
        channels: {
          TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
          TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
          TEND_REPLY_DOMAIN: replyDomain,
          TEND_INBOUND_EMAIL_SECRET: inboundSecret,
        },
      },
    });
    rita = await signIn(tend, { email: 'rita@acme.example', name: 'Rita Novak', role: 'rep' });
    sam = await signIn(tend, { email: 'sam@acme.example', name: 'Sam Fischer', role: 'rep' });
    await send(tend, [
      { type: 'identify', userId: 'anna', traits: { email: anna, name: 'Anna Muster', timezone: 'Europe/Berlin' } },
      { type: 'group', userId: 'anna', groupId: 'kunde', traits: { name: 'Kunde AG', owner: rita.email } },
    ]);
    const authorization = `Basic ${Buffer.from(`tend:${inboundSecret}`).toString('base64')}`;
    const mail = {
      from: `Anna Muster <${anna}>`,
      to: `hello@${replyDomain}`,
      subject: 'Export',
      text: 'Hallo Rita,\nder Export bricht bei 10 000 Zeilen ab. Gibt es einen Trick?',
      messageId: '<export-1@kunde.example>',
      // The relay's verdict on the sender: only a proven From address names a contact.
      authenticationResults: `mx.${replyDomain}; spf=pass smtp.mailfrom=${anna}; dmarc=pass header.from=kunde.example`,
    };
    const posted = await fetch(`${tend.url}/webhooks/email/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(mail),
    });
    expect(posted.status).toBe(200);
    await advance(tend, 'PT3H');
    ritasWindow = await Window.open(browser, tend.url, rita.cookie);
    samsWindow = await Window.open(browser, tend.url, sam.cookie);
  });
  afterAll(async () => {
    await ritasWindow?.close();
    await samsWindow?.close();
    await browser?.close();
    await tend?.stop();
    await smtp?.close();
  });

  it("shows Rita that Anna has waited three hours, from the navigation's Conversations", async () => {
    const page = await ritasWindow.visit('/today', { heading: 'Today' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
    await ritasWindow.settled('Conversations');
    const item = page.getByRole('listitem', { name: 'Anna Muster' });
    await item.getByText('Waiting 3 h').waitFor();
    await item.getByText(/der Export bricht bei 10 000 Zeilen ab/).waitFor();
    await item.getByText(/by e-mail from anna@kunde\.example/).waitFor();
    await ritasWindow.check('conversations');
  });

  it('answers Anna from the thread with the keyboard alone; the answer goes out in her thread', async () => {
    const page = ritasWindow.page;
    await page.getByRole('link', { name: 'Anna Muster' }).click();
    await ritasWindow.settled('Anna Muster');
    const thread = page.getByRole('list', { name: 'Messages, oldest first' });
    await thread.getByText('Anna Muster wrote').waitFor();
    await page.getByText(/Anna Muster has waited for an answer since/).waitFor();
    const box = page.getByLabel('Your answer to Anna Muster');
    await box.focus();
    await page.keyboard.type('Hallo Anna, ja: exportieren Sie in Teilen von 5 000 Zeilen. Liebe Grüße, Rita');
    await page.keyboard.press('Tab');
    // As text: the tests' TypeScript has no DOM.
    await expect.poll(() => page.evaluate('document.activeElement?.textContent')).toBe('Send the answer');
    await page.keyboard.press('Enter');
    await announced(page, 'Your answer to Anna Muster is on its way.');
    await thread.getByText('Rita Novak answered').waitFor();
    await advance(tend, 'PT1M');
    const sent = smtp.received.filter((received) => received.recipients.includes(anna));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.mail.inReplyTo).toBe('<export-1@kunde.example>');
    expect(sent[0]!.mail.subject).toBe('Re: Export');
    await page.reload();
    await ritasWindow.settled('Anna Muster');
    await page
      .getByText(/^Answered/)
      .first()
      .waitFor();
    await ritasWindow.check('conversation');
  });

  it('says on the page why an answer is refused, and sends nothing', async () => {
    expect((await tend.post('/api/v1/do-not-contact', { value: anna })).status).toBe(201);
    const page = ritasWindow.page;
    await page.getByLabel('Your answer to Anna Muster').fill('Noch eine Frage?');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await page
      .getByRole('alert')
      .getByText(/Anna Muster is on the do-not-contact list/)
      .waitFor();
    expect(smtp.received.filter((received) => received.recipients.includes(anna))).toHaveLength(1);
  });

  it("links the account's page to its conversations", async () => {
    const page = await ritasWindow.visit('/accounts/kunde', { heading: 'Kunde AG' });
    await page
      .getByRole('list', { name: 'Conversations with Kunde AG' })
      .getByRole('link', { name: 'Anna Muster' })
      .waitFor();
  });

  it("teaches Sam how replies arrive, and Anna's conversation is not found to him", async () => {
    const page = await samsWindow.visit('/conversations', { heading: 'Conversations' });
    await page.getByRole('heading', { name: 'No customer has written in yet' }).waitFor();
    await page.getByText(/answer one of Tend's e-mails/).waitFor();
    await samsWindow.check('conversations-empty');
    const [conversation] = (await rita.get('/api/v1/conversations')).body.conversations;
    await samsWindow.visit(`/conversations/${conversation.id}`, { heading: 'Not found', expectedStatuses: [404] });
  });
});
