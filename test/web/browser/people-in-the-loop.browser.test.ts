// Issue 22's story end to end, on the manual clock, with real mail both ways: a real SMTP server takes
// Tend's mail, Tend's own SMTP listener takes the customers' and the reps' (sent with nodemailer), a
// local server plays Slack. An invoice goes unpaid; the late-payment e-mail reaches Anna; she answers it
// from her mail client; her owner Rita hears of it at once by e-mail and on Slack, once; the playbook
// sends no SMS after it; Rita answers from /conversations/{id} in Chromium; Anna's mail client sees the
// answer in her thread (In-Reply-To), and her next reply lands in the same conversation. Rita's own
// e-mail to Anna, BCC'd to log@, counts as an e-mail touch and clears nothing; a hard bounce of Anna's
// address stops e-mail to it.
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixBounce } from '../../support/delivery-reports.js';
import { fakeDns, sendsFromHere } from '../../support/fake-dns.js';
import {
  type FakeTwilio,
  startFakeTwilio,
  startTestSmtpServer,
  type TestSmtpServer,
} from '../../support/fake-providers.js';
import { announced, launchChromium, Window, withoutChromium } from '../../support/browser.js';
import { type Person, signIn } from '../../support/people.js';
import { advance, group, send, track } from '../../support/scenario.js';
import { startTestTend, type TestTend } from '../../support/test-tend.js';

const replyDomain = 'replies.acme.example';
const anna = 'anna@kunde.example';
const annasPhone = '+41791234567';
const accountSid = `AC${'3'.repeat(32)}`;
const authToken = 'twilio-people-in-the-loop';
// The built-in playbook as shipped, but with everyone treated (its 10 % holdout could draw Anna).
const latePayment = readFileSync(
  new URL('../../../examples/playbooks/late-payment.yaml', import.meta.url),
  'utf8',
).replace(/^holdout: .*$/m, 'holdout: 0');
const terms = `
id: terms-by-email
name: Terms by e-mail
version: 1
trigger: { event: Terms Requested }
steps:
  - id: send-terms
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: always
`;

describe.skipIf(withoutChromium)('people in the loop', () => {
  let tend: TestTend;
  let outgoing: TestSmtpServer;
  let twilio: FakeTwilio;
  let browser: Browser;
  let rita: Person;
  let window: Window;
  const slackPosts: { text: string; blocks: unknown[] }[] = [];
  let closeSlack: () => Promise<void>;
  let conversationId: string;

  const mailsTo = (address: string) => outgoing.received.filter((received) => received.recipients.includes(address));
  /** Anna's (or Rita's) mail client: a real SMTP client speaking to Tend's own listener. */
  const mailClient = () =>
    nodemailer.createTransport({
      host: '127.0.0.1',
      port: tend.tend.inboundSmtp!.port,
      secure: false,
      ignoreTLS: true,
    });
  const thread = async () => {
    const answer = await rita.get(`/api/v1/conversations/${conversationId}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body as { messages: { author: string; text: string | null; subject: string | null }[] };
  };

  beforeAll(async () => {
    outgoing = await startTestSmtpServer();
    twilio = await startFakeTwilio();
    const slack = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        slackPosts.push(JSON.parse(body));
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
    closeSlack = () => new Promise<void>((resolve) => slack.close(() => resolve()));
    const playbooks = mkdtempSync(join(tmpdir(), 'tend-people-in-the-loop-'));
    writeFileSync(join(playbooks, 'late-payment.yaml'), latePayment);
    writeFileSync(join(playbooks, 'terms-by-email.yaml'), terms);
    browser = await launchChromium();
    tend = await startTestTend({
      // Monday 10:00 in Zurich: outside quiet hours for Anna.
      clock: { kind: 'manual', start: new Date('2026-05-04T08:00:00Z') },
      playbooks,
      settings: {
        channels: {
          TEND_SMTP_URL: `smtp://127.0.0.1:${outgoing.port}`,
          TEND_EMAIL_FROM: 'Acme Billing <billing@acme.example>',
          TEND_REPLY_DOMAIN: replyDomain,
          TEND_SMTP_INBOUND_PORT: '0',
          TEND_SMTP_INBOUND_HOST: '127.0.0.1',
          TEND_TWILIO_ACCOUNT_SID: accountSid,
          TEND_TWILIO_AUTH_TOKEN: authToken,
          TEND_TWILIO_FROM: '+14155550100',
          TEND_TWILIO_BASE_URL: twilio.url,
        },
        // Anna's and Rita's domains send from this machine: their From addresses are proven (SPF).
        dnsResolver: fakeDns(sendsFromHere('acme.example', 'kunde.example')),
      },
    });
    rita = await signIn(tend, { email: 'rita@acme.example', name: 'Rita Novak', role: 'rep' });
    const slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T1/B1/people-in-the-loop`;
    const settings = await rita.put('/api/v1/users/me/notifications', { slackWebhookUrl: slackUrl });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    await send(tend, [
      {
        type: 'identify',
        userId: 'anna',
        traits: { email: anna, name: 'Anna Muster', phone: annasPhone, timezone: 'Europe/Zurich', language: 'de' },
      },
      group('anna', 'kunde', { name: 'Kunde AG', owner: rita.email, profit: 400_000 }),
    ]);
    const consent = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
    expect((await tend.post('/api/v1/contacts/anna/consents', consent)).status).toBe(200);
    window = await Window.open(browser, tend.url, rita.cookie);
  });

  afterAll(async () => {
    await window?.close();
    await browser?.close();
    await tend?.stop();
    await outgoing?.close();
    await twilio?.close();
    await closeSlack?.();
  });

  it('an unpaid invoice gets the late-payment e-mail, and Anna answers it from her mail client', async () => {
    await send(tend, [track('anna', 'Invoice Issued', { invoiceId: 'INV-42', amount: 1800, dueDate: '2026-04-20' })]);
    await advance(tend, 'PT5M');
    const [payment] = mailsTo(anna);
    expect(payment, 'the late-payment e-mail').toBeDefined();
    const replyTo = payment!.mail.replyTo?.value[0]?.address ?? '';
    expect(replyTo).toMatch(new RegExp(`^reply\\+[0-9a-f]+@${replyDomain.replace(/\./g, '\\.')}$`));
    await advance(tend, 'PT2H');
    await mailClient().sendMail({
      from: `Anna Muster <${anna}>`,
      to: replyTo,
      subject: `Re: ${payment!.mail.subject}`,
      inReplyTo: payment!.mail.messageId,
      references: payment!.mail.messageId,
      messageId: '<anna-1@kunde.example>',
      text: 'Guten Tag, die Rechnung ging an die falsche Adresse. Können wir in Raten zahlen?',
    });
    await advance(tend, 'PT1M');
    const conversations = await rita.get('/api/v1/conversations?status=open');
    expect(conversations.status).toBe(200);
    expect(conversations.body.conversations).toHaveLength(1);
    conversationId = conversations.body.conversations[0].id;
    const messages = (await thread()).messages;
    expect(messages.map((message) => message.author)).toEqual(['automated', 'customer']);
    expect(messages[1]!.text).toContain('Können wir in Raten zahlen?');
  });

  it('Rita hears of it at once, by e-mail and on Slack, once, with the link to the conversation', async () => {
    const notices = mailsTo(rita.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.mail.text).toContain(`${tend.url}/conversations/${conversationId}`);
    expect(slackPosts).toHaveLength(1);
    expect(JSON.stringify(slackPosts[0]!.blocks)).toContain(`/conversations/${conversationId}`);
    await advance(tend, 'PT1H');
    expect(mailsTo(rita.email)).toHaveLength(1);
    expect(slackPosts).toHaveLength(1);
  });

  it('the late-payment playbook sends Anna no SMS after her answer', async () => {
    await advance(tend, 'P5D');
    expect(twilio.requests.filter((request) => request.form.To === annasPhone)).toEqual([]);
    expect(mailsTo(anna)).toHaveLength(1);
  });

  it('Rita answers from the conversation in Chromium; Anna sees it in her thread, and her next reply lands there', async () => {
    const page = await window.visit(`/conversations/${conversationId}`, { heading: 'Anna Muster' });
    await page.getByLabel('Your answer to Anna Muster').fill('Liebe Frau Muster, gern: drei Raten. Ich rufe Sie an.');
    await page.getByRole('button', { name: 'Send the answer' }).click();
    await announced(page, 'Your answer to Anna Muster is on its way.');
    await window.check('people-in-the-loop-conversation');
    await advance(tend, 'PT1M');
    const answers = mailsTo(anna).slice(1);
    expect(answers).toHaveLength(1);
    const answer = answers[0]!.mail;
    expect(answer.inReplyTo).toBe('<anna-1@kunde.example>');
    // The whole thread, the late-payment e-mail first, ending with the message answered.
    expect(answer.references).toEqual([mailsTo(anna)[0]!.mail.messageId, '<anna-1@kunde.example>']);
    expect(answer.from?.value[0]?.name).toBe('Rita Novak');
    const threadAddress = answer.replyTo?.value[0]?.address ?? '';
    expect(threadAddress.endsWith(`@${replyDomain}`)).toBe(true);

    await mailClient().sendMail({
      from: `Anna Muster <${anna}>`,
      to: threadAddress,
      subject: `Re: ${answer.subject}`,
      inReplyTo: answer.messageId,
      references: [answer.messageId ?? ''],
      messageId: '<anna-2@kunde.example>',
      text: 'Danke, das passt.',
    });
    await advance(tend, 'PT1M');
    const conversations = (await rita.get('/api/v1/conversations')).body.conversations;
    expect(conversations.map((conversation: { id: string }) => conversation.id)).toEqual([conversationId]);
    const authors = (await thread()).messages.map((message) => message.author);
    expect(authors).toEqual(['automated', 'customer', 'person', 'customer']);
  });

  it("Rita's own e-mail, BCC'd to log@, counts as an e-mail touch and clears nothing", async () => {
    const auditOf = async () => {
      const answer = await rita.get('/api/v1/accounts/kunde/audit');
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const before = await auditOf();
    await mailClient().sendMail({
      from: `Rita Novak <${rita.email}>`,
      to: `Anna Muster <${anna}>`,
      bcc: `log@${replyDomain}`,
      subject: 'Ihr Ratenplan',
      messageId: '<rita-plan@acme.example>',
      text: 'Anbei der Ratenplan, wie besprochen.',
    });
    await advance(tend, 'PT1M');
    const after = await auditOf();
    expect(after.windows[0].byChannel.email).toBe(before.windows[0].byChannel.email + 1);
    expect(after.windows[0].twoWay).toBe(before.windows[0].twoWay);
    expect(after.lastSubstantiveContactAt).toBe(before.lastSubstantiveContactAt);
    const touches = (await rita.get('/api/v1/accounts/kunde/timeline?kinds=touch')).body.items;
    expect(JSON.stringify(touches)).toContain('Ihr Ratenplan');
  });

  it("a hard bounce of Anna's address stops e-mail to it", async () => {
    const [sent] = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages.filter(
      (message: { channel: string; status: string }) => message.channel === 'email' && message.status === 'sent',
    );
    const returnPath = `bounce+${sent.id.replace(/-/g, '')}@${replyDomain}`;
    const messageId = outgoing.received.find((received) => received.from === returnPath)!.mail.messageId!;
    const bounce = postfixBounce({ returnPath, recipient: anna, messageId });
    await mailClient().sendMail({ envelope: { from: '', to: [returnPath] }, raw: bounce.raw });
    await advance(tend, 'PT1M');
    await send(tend, [track('anna', 'Terms Requested')]);
    await advance(tend, 'PT1M');
    const messages = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
    const termsMessage = messages.find(
      (message: { payload: { template?: string }; status: string; reason: string | null }) =>
        message.status === 'skipped' && /undeliverable/.test(message.reason ?? ''),
    );
    expect(termsMessage, JSON.stringify(messages)).toBeDefined();
  });
});
