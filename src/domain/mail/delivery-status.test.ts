import { describe, expect, it } from 'vitest';
import { exchangeBounce, gmailBounce, postfixBounce } from '../../../test/support/delivery-reports.js';
import { bounceKindOf, readDeliveryStatus } from './delivery-status.js';

const bounce = {
  returnPath: 'bounce+0190aa00bb11cc22dd33ee44ff556677@replies.acme.example',
  recipient: 'Anna@Kunde.example',
  messageId: '<tend.0123456789abcdef@acme.example>',
};

describe('readDeliveryStatus', () => {
  it("reads Postfix's hard bounce: the final recipient, failed, 5.1.1, the diagnostic and the returned id", () => {
    const report = readDeliveryStatus(postfixBounce(bounce));
    expect(report.originalMessageId).toBe(bounce.messageId);
    expect(report.recipients).toEqual([
      {
        recipient: 'anna@kunde.example',
        originalRecipient: 'anna@kunde.example',
        action: 'failed',
        status: '5.1.1',
        diagnostic: expect.stringMatching(/^smtp; 550 5\.1\.1 .*Recipient address rejected: User unknown/),
        bounce: 'hard',
      },
    ]);
  });

  it("reads Postfix's delay warning as a soft bounce", () => {
    const report = readDeliveryStatus(postfixBounce(bounce, '4.2.2', 'delayed'));
    expect(report.recipients).toMatchObject([{ action: 'delayed', status: '4.2.2', bounce: 'soft' }]);
  });

  it("reads Gmail's report with folded fields, and its X-Original-Message-ID without returned headers", () => {
    const gmail = gmailBounce({ ...bounce, recipient: 'nobody.here@gmail.example' });
    const report = readDeliveryStatus(gmail);
    expect(report.recipients).toMatchObject([
      { recipient: 'nobody.here@gmail.example', action: 'failed', status: '5.1.1', bounce: 'hard' },
    ]);
    expect(report.recipients[0]!.diagnostic).toMatch(/does not exist\. 550 5\.1\.1 https:/);
    expect(readDeliveryStatus({ ...gmail, returnedHeaders: null }).originalMessageId).toBe(bounce.messageId);
  });

  it("reads Exchange's report: Original-Recipient first, no space after the semicolon, a 5.1.10", () => {
    const report = readDeliveryStatus(exchangeBounce(bounce));
    expect(report.recipients).toMatchObject([
      { recipient: 'anna@kunde.example', action: 'failed', status: '5.1.10', bounce: 'hard' },
    ]);
    expect(report.recipients[0]!.diagnostic).toMatch(/RecipientNotFound/);
  });

  it('keeps every recipient of a report about several, each with its own outcome', () => {
    const deliveryStatus = [
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: rfc822; a@x.example',
      'Action: delivered',
      'Status: 2.0.0',
      '',
      'Final-Recipient: rfc822; <b@x.example>',
      'Action: failed',
      'Status: 4.4.7 (delivery time expired)',
      '',
      'Original-Recipient: rfc822; c@x.example',
      'Status: 5.2.1',
    ].join('\r\n');
    const report = readDeliveryStatus({ deliveryStatus, returnedHeaders: null });
    expect(report.recipients.map(({ recipient, bounce: kind }) => [recipient, kind])).toEqual([
      ['a@x.example', null],
      ['b@x.example', 'soft'],
      ['c@x.example', 'hard'],
    ]);
    expect(report.originalMessageId).toBeNull();
  });

  it('finds nothing in a text that is no report', () => {
    expect(readDeliveryStatus({ deliveryStatus: 'Hello,\n\nthanks!', returnedHeaders: 'Subject: hi' })).toEqual({
      recipients: [],
      originalMessageId: null,
    });
  });
});

describe('bounceKindOf', () => {
  it.each([
    ['failed', '5.1.1', 'hard'],
    ['failed', '4.4.7', 'soft'],
    ['delayed', '4.2.2', 'soft'],
    ['delivered', '2.0.0', null],
    ['relayed', '2.0.0', null],
    ['', '5.0.0', 'hard'],
    ['', '', null],
  ] as const)('%s with %s is %s', (action, status, kind) => {
    expect(bounceKindOf(action, status)).toBe(kind);
  });
});
