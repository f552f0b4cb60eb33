// Stop on reply, on the manual clock: once a customer writes back, no automated message goes to them for
// 72 hours, so that a person answers. With the built-in late-payment playbook, a reply to the payment
// e-mail ends the run on its own branch and no text follows. With a playbook that goes on whatever the
// customer says (an e-mail, a day's wait, a text), the text waits until 72 hours after the reply and then
// goes, or never when the run exits on its own condition meanwhile. An automated message already waiting
// in the outbox is held at the hand-over too.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { assignGroup } from '../../src/domain/playbooks/holdout.js';
import { newId } from '../../src/store/ids.js';
import { advance, group, now, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const inboundSecret = 'stop-on-reply-inbound-secret';
const replyDomain = 'replies.acme.example';
// Goes on whatever the customer answers: only a renewal ends it.
const followUp = `
id: renewal-follow-up
name: Renewal follow-up
version: 1
trigger: { event: Renewal Due }
steps:
  - id: remind
    send: { channel: email, template: we-miss-you }
  - id: pause
    wait: { for: P1D }
  - id: text
    send: { channel: sms, template: payment-plan-offer-sms, tone: empathetic }
exit:
  - { event: Subscription Renewed }
holdout: 0
reentry: always
`;
let tend: TestTend;

interface Message {
  id: string;
  channel: string;
  status: string;
  reason: string | null;
  sentAt: string | null;
  payload: { template?: string };
}
const messagesTo = async (contactId: string): Promise<Message[]> =>
  (await tend.admin(`/api/v1/outbox?contactId=${contactId}`)).body.messages;
const textsTo = async (contactId: string) =>
  (await messagesTo(contactId)).filter((message) => message.channel === 'sms' && message.status !== 'pending');
const emailTo = async (contactId: string, template: string): Promise<Message> => {
  const email = (await messagesTo(contactId)).find((message) => message.payload.template === template);
  expect(email, `the ${template} e-mail to ${contactId}`).toBeDefined();
  return email!;
};

/** The customer answers an e-mail from their mail client: to its thread address. */
async function replyTo(contactId: string, email: Message, text: string): Promise<void> {
  const authorization = `Basic ${Buffer.from(`tend:${inboundSecret}`).toString('base64')}`;
  const mail = {
    from: `${contactId}@${contactId}co.example`,
    to: `reply+${email.id.replace(/-/g, '')}@${replyDomain}`,
    subject: 'Re: your e-mail',
    text,
    messageId: `<${contactId}-${newId()}@mail.example>`,
  };
  const posted = await fetch(`${tend.url}/webhooks/email/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(mail),
  });
  expect(posted.status).toBe(200);
}

async function advanceTo(at: string): Promise<void> {
  const milliseconds = new Date(at).getTime() - (await now(tend)).getTime();
  expect(milliseconds, `the clock is before ${at}`).toBeGreaterThan(0);
  await advance(tend, `PT${milliseconds / 1000}S`);
}

// Quentin's invoice falls late; Rosa and Otto are due for renewal.
const customers = ['quentin', 'rosa', 'otto'] as const;

beforeAll(async () => {
  expect(assignGroup('late-payment', 'quentinco', 0.1)).toBe('treated');
  const folder = mkdtempSync(join(tmpdir(), 'tend-stop-on-reply-'));
  writeFileSync(join(folder, 'late-payment.yaml'), readFileSync(join(builtInPlaybooks, 'late-payment.yaml')));
  writeFileSync(join(folder, 'renewal-follow-up.yaml'), followUp);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: { channels: { TEND_REPLY_DOMAIN: replyDomain, TEND_INBOUND_EMAIL_SECRET: inboundSecret } },
  });
  await tend.post('/api/v1/users', { email: 'rita@acme.example', name: 'Rita Rep', role: 'rep' });
  for (const [index, contactId] of customers.entries()) {
    const name = contactId[0]!.toUpperCase() + contactId.slice(1);
    const traits = {
      email: `${contactId}@${contactId}co.example`,
      name,
      phone: `+4179000000${index}`,
      timezone: 'UTC',
    };
    await send(tend, [
      { type: 'identify', userId: contactId, traits },
      group(contactId, `${contactId}co`, { name: `${name} Co`, profit: 5000, owner: 'rita@acme.example' }),
    ]);
    const consent = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
    expect((await tend.post(`/api/v1/contacts/${contactId}/consents`, consent)).status).toBe(200);
  }
  await send(tend, [track('quentin', 'Invoice Issued', { invoiceId: 'INV-7', amount: 900, dueDate: '2026-05-04' })]);
  // Late from midnight; the e-mail goes at 08:00, after quiet hours.
  await advanceTo('2026-05-05T08:01:00Z');
  expect((await emailTo('quentin', 'payment-plan-offer')).sentAt).toBe('2026-05-05T08:00:00.000Z');
});
afterAll(async () => tend?.stop());

describe('stop on reply', () => {
  it('late payment: after a reply to the payment e-mail no text goes, and the run ends on its own branch', async () => {
    await advanceTo('2026-05-06T12:00:00Z');
    await replyTo('quentin', await emailTo('quentin', 'payment-plan-offer'), 'Can I pay in two parts?');
    await advance(tend, 'PT1M');
    const [conversation] = (await tend.admin('/api/v1/conversations?accountId=quentinco')).body.conversations;
    const thread = (await tend.admin(`/api/v1/conversations/${conversation.id}`)).body;
    expect(thread.automationPausedUntil).toBe('2026-05-09T12:00:00.000Z');
    await advanceTo('2026-05-09T12:00:00Z');
    expect(await textsTo('quentin')).toEqual([]);
    const run = await tend.tend.store.database
      .selectFrom('journey_runs')
      .select(['status', 'end_reason'])
      .where('playbook_id', '=', 'late-payment')
      .where('account_id', '=', 'quentinco')
      .executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'exited', end_reason: 'step answered: answered the payment-plan e-mail' });
  });

  it('a run that goes on holds its text until 72 hours after the reply, then sends it; an exit stops it', async () => {
    await send(tend, [track('rosa', 'Renewal Due'), track('otto', 'Renewal Due')]);
    await advance(tend, 'PT1M');
    await advanceTo('2026-05-09T15:00:00Z');
    // They answer the reminder; the text was due a day after it, at noon tomorrow.
    await replyTo('rosa', await emailTo('rosa', 'we-miss-you'), 'We will renew, just need a signature.');
    await replyTo('otto', await emailTo('otto', 'we-miss-you'), 'Renewing today.');
    await advanceTo('2026-05-11T12:00:00Z');
    await send(tend, [track('otto', 'Subscription Renewed')]);
    await advanceTo('2026-05-12T14:59:00Z');
    expect(await textsTo('rosa')).toEqual([]);
    await advanceTo('2026-05-12T15:01:00Z');
    const texts = await textsTo('rosa');
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ status: 'delivered-locally', sentAt: '2026-05-12T15:00:00.000Z' });
    await advanceTo('2026-05-20T12:00:00Z');
    expect(await textsTo('otto')).toEqual([]);
  });

  it('holds an automated message already waiting in the outbox when the customer writes', async () => {
    await replyTo('quentin', await emailTo('quentin', 'payment-plan-offer'), 'One more question.');
    const written = await now(tend);
    const id = newId(written.getTime());
    await tend.tend.store.database
      .insertInto('outbox')
      .values({
        id,
        idempotency_key: `stop-on-reply-test:${id}`,
        run_id: null,
        account_id: 'quentinco',
        contact_id: 'quentin',
        channel: 'email',
        recipient: 'quentin@quentinco.example',
        payload: JSON.stringify({ template: 'we-miss-you' }),
        status: 'pending',
        reason: null,
        next_attempt_at: written,
        provider_message_id: null,
        created_at: written,
        sent_at: null,
      })
      .execute();
    await advance(tend, 'PT1M');
    const held = (await messagesTo('quentin')).find((message) => message.id === id);
    expect(held).toMatchObject({ status: 'pending', reason: expect.stringMatching(/^replied: they wrote to us/) });
    await advance(tend, 'P3D');
    expect((await messagesTo('quentin')).find((message) => message.id === id)).toMatchObject({
      status: 'delivered-locally',
    });
  });
});
