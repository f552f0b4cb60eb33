import { describe, expect, it } from 'vitest';
import type { OutboundEmail, OutboundSms } from './channel-messages.js';
import { createLocalMailbox, type LocalMailboxMessage } from './local-mailbox.js';

const email: OutboundEmail = {
  idempotencyKey: 'run-1/step-1/contact-1',
  to: { address: 'anna@customer.example' },
  from: 'hello@acme.example',
  replyTo: 'replies@acme.example',
  subject: 'Hello',
  text: 'Hello Anna',
  unsubscribeUrl: 'https://acme.example/u/1',
};
const sms: OutboundSms = {
  idempotencyKey: 'run-1/step-2/contact-1',
  to: '+41791234567',
  from: '+15005550006',
  body: 'Hi Anna',
};

describe('the local mailbox', () => {
  it('records each message as sent, with an id that is stable per idempotency key', async () => {
    const recorded: LocalMailboxMessage[] = [];
    const { mailer, smsSender } = createLocalMailbox((message) => {
      recorded.push(message);
    });
    const first = await mailer.send(email);
    const again = await mailer.send(email);
    const other = await mailer.send({ ...email, idempotencyKey: 'run-1/step-9/contact-1' });
    const text = await smsSender.send(sms);
    expect(again.providerMessageId).toBe(first.providerMessageId);
    expect(other.providerMessageId).not.toBe(first.providerMessageId);
    expect(text.status).toBe('delivered');
    expect(recorded.map((message) => message.channel)).toEqual(['email', 'email', 'email', 'sms']);
    expect(recorded[0]).toEqual({ channel: 'email', providerMessageId: first.providerMessageId, email });
    expect(recorded[3]).toEqual({ channel: 'sms', providerMessageId: text.providerMessageId, sms });
  });

  it('fails the send when recording fails, so the engine retries instead of marking it sent', async () => {
    const { mailer } = createLocalMailbox(async () => {
      throw new Error('outbox table unavailable');
    });
    await expect(mailer.send(email)).rejects.toThrow('outbox table unavailable');
  });
});
