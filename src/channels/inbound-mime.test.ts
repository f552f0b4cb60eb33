import { describe, expect, it } from 'vitest';
import { exchangeBounce, gmailBounce, postfixBounce } from '../../test/support/delivery-reports.js';
import { readDeliveryStatus } from '../domain/mail/delivery-status.js';
import { readMimeMail } from './inbound-mime.js';

const crlf = (lines: string[]) => lines.join('\r\n');
const bounce = {
  returnPath: 'bounce+0190aa00bb11cc22dd33ee44ff556677@replies.acme.example',
  recipient: 'anna@kunde.example',
  messageId: '<tend.0123456789abcdef@acme.example>',
};

describe('readMimeMail', () => {
  it('reads a BCC: the log address only in the envelope, To and Cc from the headers, the thread headers', async () => {
    const raw = crlf([
      'From: Sam Rep <Sam@Acme.example>',
      'To: Anna Muster <anna@kunde.example>',
      'Cc: bert@kunde.example, "Maria" <maria@acme.example>',
      'Subject: Renewal terms',
      'Message-ID: <m1@acme.example>',
      'In-Reply-To: <c1@kunde.example>',
      'References: <c0@kunde.example>',
      ' <c1@kunde.example>',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hi Anna, the terms as promised.',
    ]);
    const mail = await readMimeMail(raw, { recipients: ['log@replies.acme.example'], nullSender: false });
    expect(mail).toEqual({
      from: 'sam@acme.example',
      recipients: ['log@replies.acme.example', 'anna@kunde.example', 'bert@kunde.example', 'maria@acme.example'],
      to: ['anna@kunde.example'],
      cc: ['bert@kunde.example', 'maria@acme.example'],
      subject: 'Renewal terms',
      text: 'Hi Anna, the terms as promised.',
      messageId: '<m1@acme.example>',
      inReplyTo: '<c1@kunde.example>',
      references: ['<c0@kunde.example>', '<c1@kunde.example>'],
      deliveryReport: null,
      automatic: false,
    });
  });

  it('takes the text of an HTML-only message, and knows an out-of-office for automatic', async () => {
    const raw = crlf([
      'From: anna@kunde.example',
      'To: reply+0190aa00bb11cc22dd33ee44ff556677@replies.acme.example',
      'Subject: Out of office',
      'Auto-Submitted: auto-replied',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>I am away until <b>Monday</b>.</p>',
    ]);
    const mail = await readMimeMail(raw, { recipients: [], nullSender: false });
    expect(mail.text).toMatch(/I am away until Monday\./);
    expect(mail.automatic).toBe(true);
    expect((await readMimeMail('From: a@b.example\r\n\r\nhi', { recipients: [], nullSender: true })).automatic).toBe(
      true,
    );
  });

  it.each([
    ['Postfix', postfixBounce(bounce), '5.1.1'],
    ['Gmail', gmailBounce(bounce), '5.1.1'],
    ['Exchange', exchangeBounce(bounce), '5.1.10'],
  ])("finds the report in %s's notification and the returned message's id", async (_server, fixture, status) => {
    const mail = await readMimeMail(fixture.raw, { recipients: [bounce.returnPath], nullSender: true });
    expect(mail.deliveryReport).not.toBeNull();
    const report = readDeliveryStatus(mail.deliveryReport!);
    expect(report.originalMessageId).toBe(bounce.messageId);
    expect(report.recipients).toMatchObject([{ recipient: bounce.recipient, status, bounce: 'hard' }]);
    expect(mail.recipients).toContain(bounce.returnPath);
  });
});
