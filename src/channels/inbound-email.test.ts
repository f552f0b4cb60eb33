import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mailgunSignatureOf, mailgunSignatureProblem, presentedSecret, readInboundMail } from './inbound-email.js';
import { sameSecret } from './inbound-email.js';

const thread = 'reply+0190f0c0a1b27c3d8e4f5a6b7c8d9e0f@replies.acme.example';
const anna = 'anna@kunde.example';

describe('reading inbound e-mail as each service posts it', () => {
  it("reads Tend's own JSON, as a relay posts it", () => {
    const posted = { from: 'Anna <Anna@Kunde.example>', to: [thread], subject: 'Re: hi', text: 'Ja' };
    const messageId = '<r1@kunde.example>';
    expect(
      readInboundMail({ ...posted, messageId, cc: ['bert@kunde.example'], inReplyTo: '<m1@acme.example>' }),
    ).toEqual({
      kind: 'mail',
      mail: {
        from: anna,
        recipients: [thread, 'bert@kunde.example'],
        to: [thread],
        cc: ['bert@kunde.example'],
        subject: 'Re: hi',
        text: 'Ja',
        messageId,
        inReplyTo: '<m1@acme.example>',
        references: [],
        deliveryReport: null,
        automatic: false,
      },
    });
  });

  it("reads Postmark's JSON: FromFull, ToFull and OriginalRecipient, the stripped reply, the Message-ID header", () => {
    const reading = readInboundMail({
      From: anna,
      FromFull: { Email: anna, Name: 'Anna' },
      To: `"Acme" <${thread}>`,
      ToFull: [{ Email: thread, Name: 'Acme' }],
      OriginalRecipient: thread,
      Subject: 'Re: hi',
      TextBody: 'Ja\n\n> quoted',
      StrippedTextReply: 'Ja',
      MessageID: '22c74902-a0c1-4511-804f-341342852c90',
      Headers: [
        { Name: 'Message-ID', Value: '<r2@kunde.example>' },
        { Name: 'References', Value: '<m0@acme.example>\r\n <m1@acme.example>' },
        { Name: 'Auto-Submitted', Value: 'auto-replied' },
      ],
    });
    expect(reading).toMatchObject({
      kind: 'mail',
      mail: { from: anna, recipients: [thread], to: [thread], cc: [], subject: 'Re: hi', text: 'Ja' },
    });
    expect(reading).toMatchObject({
      mail: {
        messageId: '<r2@kunde.example>',
        references: ['<m0@acme.example>', '<m1@acme.example>'],
        automatic: true,
      },
    });
  });

  it("reads Mailgun's form: from header, recipient, stripped-text, Message-Id", () => {
    const reading = readInboundMail({
      sender: 'bounce@kunde.example',
      from: `Anna <${anna}>`,
      recipient: thread,
      subject: 'Re: hi',
      'body-plain': 'Ja\n> q',
      'stripped-text': 'Ja',
      'Message-Id': '<r3@kunde.example>',
      'message-headers': JSON.stringify([
        ['To', `Acme <${thread}>`],
        ['In-Reply-To', '<m3@acme.example>'],
      ]),
    });
    const mail = { from: anna, recipients: [thread], to: [thread], text: 'Ja', messageId: '<r3@kunde.example>' };
    expect(reading).toMatchObject({ kind: 'mail', mail: { ...mail, inReplyTo: '<m3@acme.example>' } });
  });

  it("reads SendGrid's Inbound Parse form: the envelope's recipients, the Message-ID in the raw headers", () => {
    const reading = readInboundMail({
      from: `Anna <${anna}>`,
      to: 'Acme <hello@acme.example>',
      subject: 'Re: hi',
      text: 'Ja',
      envelope: JSON.stringify({ to: [thread], from: anna }),
      headers: 'Subject: Re: hi\r\nMessage-ID: <r4@kunde.example>\r\nIn-Reply-To:\r\n <m4@acme.example>\r\n',
    });
    const recipients = ['hello@acme.example', thread];
    const mail = { from: anna, recipients, to: ['hello@acme.example'], messageId: '<r4@kunde.example>' };
    expect(reading).toMatchObject({
      kind: 'mail',
      mail: { ...mail, inReplyTo: '<m4@acme.example>', automatic: false },
    });
  });

  it('names what is missing', () => {
    expect(readInboundMail({ to: thread })).toMatchObject({ kind: 'invalid', field: 'from' });
    expect(readInboundMail({ from: 'nobody', to: thread })).toMatchObject({ kind: 'invalid', field: 'from' });
    expect(readInboundMail({ from: anna })).toMatchObject({ kind: 'invalid', field: 'to' });
    const envelope = readInboundMail({ from: anna, to: thread, envelope: '{' });
    expect(envelope).toMatchObject({ kind: 'invalid', field: 'envelope' });
  });
});

describe("Mailgun's signature", () => {
  const key = 'key-0123456789abcdef';
  const now = new Date('2026-05-04T09:00:00Z');
  const signed = (timestamp: number, token = 'a'.repeat(50)) => {
    const signature = createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');
    return { timestamp: String(timestamp), token, signature };
  };

  it('accepts a correct, fresh signature', () => {
    const fields = signed(now.getTime() / 1000 - 60);
    expect(mailgunSignatureOf(fields)).toEqual(fields);
    expect(mailgunSignatureProblem(key, fields, now)).toBeNull();
  });

  it('refuses a wrong key, a changed token, and a post older than 15 minutes', () => {
    const fresh = signed(now.getTime() / 1000);
    expect(mailgunSignatureProblem('key-another', fresh, now)).toMatch(/does not match/);
    expect(mailgunSignatureProblem(key, { ...fresh, token: 'b'.repeat(50) }, now)).toMatch(/does not match/);
    expect(mailgunSignatureProblem(key, { ...fresh, signature: 'not hex' }, now)).toMatch(/does not match/);
    const stale = signed(now.getTime() / 1000 - 16 * 60);
    expect(mailgunSignatureProblem(key, stale, now)).toMatch(/more than 15 minutes/);
    expect(mailgunSignatureOf({ timestamp: '1', token: 'x' })).toBeNull();
  });
});

describe('the inbound secret', () => {
  it('is read from HTTP Basic (the password, any user) or a bearer token', () => {
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
    expect(presentedSecret(basic('tend:s3cret:with-colon'))).toBe('s3cret:with-colon');
    expect(presentedSecret('Bearer s3cret')).toBe('s3cret');
    expect(presentedSecret(basic('no-password'))).toBeNull();
    expect(presentedSecret(undefined)).toBeNull();
    expect(presentedSecret('Digest x')).toBeNull();
  });

  it('is compared whole', () => {
    expect(sameSecret('inbound-secret-0123', 'inbound-secret-0123')).toBe(true);
    expect(sameSecret('inbound-secret-012', 'inbound-secret-0123')).toBe(false);
    expect(sameSecret('', 'inbound-secret-0123')).toBe(false);
  });
});
