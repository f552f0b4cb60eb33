// Conversations through the real interfaces: a customer's e-mail reply (and then any mail of theirs to the
// reply domain) lands in their one conversation; their owner answers from the API and a real SMTP server
// gets the reply in the thread (In-Reply-To and References = the customer's Message-ID, the owner's name,
// a thread address to answer to), so the customer's next answer lands in the same conversation; a text gets
// a text answer from the number it went to, which clears neglect and the waiting clock as a call would;
// another rep finds nothing; wrong input and a customer who must not be written to are refused in words.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import {
  type FakeTwilio,
  startFakeTwilio,
  startTestSmtpServer,
  type TestSmtpServer,
} from '../support/fake-providers.js';
import { type Person, signIn } from '../support/people.js';
import { advance, openKinds, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const accountSid = `AC${'2'.repeat(32)}`;
const authToken = 'twilio-conversation-token';
const inboundSecret = 'inbound-secret-for-conversations';
const replyDomain = 'replies.acme.example';
const anna = 'anna@kunde.example';
const bertsPhone = '+41797654321';
/** The number Bert texts: another of the business's numbers than the one automated texts come from. */
const supportNumber = '+14155550199';

const playbook = `
id: ask-detractors
name: Ask detractors
version: 1
trigger: { signal: detractor }
steps:
  - id: ask
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: never
`;
// Every tier expects a conversation every week, so that neglect shows within the story.
const config = `
cadence:
  A: { everyDays: 7 }
  B: { everyDays: 7 }
  C: { everyDays: 7 }
conversations: { pauseAutomationHours: 72 }
`;

let tend: TestTend;
let smtp: TestSmtpServer;
let twilio: FakeTwilio;
let rita: Person;
let sam: Person;
let annasConversation: string;

interface Summary {
  id: string;
  status: 'open' | 'answered';
  waitingSince: string | null;
  waitedMinutes: number | null;
  channel: string;
  contactId: string;
  contactName: string | null;
  accountId: string | null;
  owner: { email: string; name: string | null } | null;
  subject: string | null;
  preview: string | null;
}
interface Entry {
  id: string;
  author: 'customer' | 'person' | 'automated';
  channel: string;
  subject: string | null;
  text: string | null;
  by: string | null;
  status: string | null;
}

const inboundMail = async (mail: Record<string, unknown>) => {
  const authorization = `Basic ${Buffer.from(`tend:${inboundSecret}`).toString('base64')}`;
  const response = await fetch(`${tend.url}/webhooks/email/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(mail),
  });
  expect(response.status).toBe(200);
};
const inboundText = async (body: string, sid: string) => {
  const url = `${tend.url}/webhooks/twilio/inbound`;
  const parameters = { MessageSid: sid, From: bertsPhone, To: supportNumber, Body: body };
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(authToken, url, parameters),
    },
    body: new URLSearchParams(parameters).toString(),
  });
  expect(response.status).toBe(200);
};
const listOf = async (person: Person, query = ''): Promise<Summary[]> => {
  const answer = await person.get(`/api/v1/conversations${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.conversations;
};
const threadOf = async (person: Person, id: string) => {
  const answer = await person.get(`/api/v1/conversations/${id}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { conversation: Summary; messages: Entry[]; automationPausedUntil: string | null };
};
const mailsTo = (address: string) => smtp.received.filter((received) => received.recipients.includes(address));
const threadAddressOf = (outboxId: string) => `reply+${outboxId.replace(/-/g, '')}@${replyDomain}`;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  twilio = await startFakeTwilio();
  const folder = mkdtempSync(join(tmpdir(), 'tend-conversations-'));
  writeFileSync(join(folder, 'ask-detractors.yaml'), playbook);
  const configFolder = mkdtempSync(join(tmpdir(), 'tend-conversations-config-'));
  writeFileSync(join(configFolder, 'tend.config.yaml'), config);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    configPath: join(configFolder, 'tend.config.yaml'),
    settings: {
      channels: {
        TEND_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
        TEND_REPLY_DOMAIN: replyDomain,
        TEND_INBOUND_EMAIL_SECRET: inboundSecret,
        TEND_TWILIO_ACCOUNT_SID: accountSid,
        TEND_TWILIO_AUTH_TOKEN: authToken,
        TEND_TWILIO_FROM: '+14155550100',
        TEND_TWILIO_BASE_URL: twilio.url,
      },
    },
  });
  rita = await signIn(tend, { email: 'rita@acme.example', name: 'Rita Rep', role: 'rep' });
  sam = await signIn(tend, { email: 'sam@acme.example', name: 'Sam Sales', role: 'rep' });
  await send(tend, [
    { type: 'identify', userId: 'anna', traits: { email: anna, name: 'Anna Muster', timezone: 'UTC' } },
    { type: 'group', userId: 'anna', groupId: 'kunde', traits: { name: 'Kunde AG', profit: 50000, owner: rita.email } },
    { type: 'identify', userId: 'bert', traits: { email: 'bert@client.example', name: 'Bert', phone: bertsPhone } },
    {
      type: 'group',
      userId: 'bert',
      groupId: 'client',
      traits: { name: 'Client Ltd', profit: 40000, owner: sam.email },
    },
  ]);
  await send(tend, [track('anna', 'Survey Answered', { score: 2 })]);
  await advance(tend, 'PT1M');
});

afterAll(async () => {
  await tend?.stop();
  await smtp?.close();
  await twilio?.close();
});

describe('a conversation by e-mail', () => {
  it("lands a reply to Tend's e-mail in Anna's conversation once, after Tend's own message", async () => {
    const [automated] = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
    expect(automated).toMatchObject({ channel: 'email', status: 'sent' });
    expect(await listOf(rita)).toEqual([]);
    const reply = {
      from: `Anna Muster <${anna}>`,
      to: [threadAddressOf(automated.id)],
      subject: 'Re: Anna, passt Kunde AG noch für Sie?',
      text: 'Ja, aber der Export ist langsam.',
      messageId: '<r1@kunde.example>',
    };
    await inboundMail(reply);
    await inboundMail(reply); // the mail service retrying
    const [conversation, ...others] = await listOf(rita);
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({
      status: 'open',
      waitedMinutes: 0,
      channel: 'email',
      contactId: 'anna',
      contactName: 'Anna Muster',
      accountId: 'kunde',
      owner: { email: rita.email, name: 'Rita Rep' },
      preview: 'Ja, aber der Export ist langsam.',
    });
    annasConversation = conversation!.id;
    const { messages } = await threadOf(rita, annasConversation);
    expect(messages.map((entry) => entry.author)).toEqual(['automated', 'customer']);
    expect(messages[1]).toMatchObject({ text: 'Ja, aber der Export ist langsam.', status: null });
    const replies = (await tend.admin('/api/v1/events?userId=anna&name=Message%20Replied')).body.events;
    expect(replies).toHaveLength(1);
    expect(replies[0].properties).toMatchObject({ outboxId: automated.id, conversationId: annasConversation });
  });

  it('takes any mail from a known contact to the reply domain into that conversation, no stranger', async () => {
    await advance(tend, 'PT10M');
    const question = {
      from: anna,
      to: `hello@${replyDomain}`,
      subject: 'Export',
      messageId: '<n1@kunde.example>',
      // The relay's verdict on the sender: only a proven From address names a contact.
      authenticationResults: `mx.${replyDomain}; spf=pass smtp.mailfrom=${anna}; dmarc=pass header.from=kunde.example`,
    };
    await inboundMail({ ...question, text: 'Und noch eine Frage zum Export.' });
    await inboundMail({ from: 'nobody@nowhere.example', to: `hello@${replyDomain}`, text: 'Buy now' });
    await inboundMail({ from: anna, to: 'hello@elsewhere.example', text: 'not for Tend', messageId: '<x@k>' });
    const [conversation, ...others] = await listOf(rita);
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({ id: annasConversation, subject: 'Export', waitedMinutes: 10 });
    const { messages } = await threadOf(rita, annasConversation);
    expect(messages.map((entry) => entry.author)).toEqual(['automated', 'customer', 'customer']);
    expect((await tend.admin('/api/v1/events?name=Message%20Replied')).body.events).toHaveLength(2);
  });

  it("sends Rita's reply in the thread: In-Reply-To and References, her name, a thread address, Re:", async () => {
    await advance(tend, 'PT2H');
    expect((await listOf(rita))[0]).toMatchObject({ status: 'open', waitedMinutes: 130 });
    const answer = await rita.post(`/api/v1/conversations/${annasConversation}/reply`, {
      text: 'Danke, Anna! Wir schauen uns den Export heute an.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.message).toMatchObject({ author: 'person', by: rita.email, status: 'pending' });
    await advance(tend, 'PT1M');
    const [sent, ...more] = mailsTo(anna).slice(1);
    expect(more).toEqual([]);
    const { mail, from } = sent!;
    expect(mail.from?.value[0]).toEqual({ name: 'Rita Rep', address: 'success@acme.example' });
    expect(mail.subject).toBe('Re: Export');
    expect(mail.inReplyTo).toBe('<n1@kunde.example>');
    // The whole thread (Tend's first e-mail first), ending with the message answered.
    const references = [mail.references].flat();
    expect(references[0]).toBe(mailsTo(anna)[0]!.mail.messageId);
    expect(references.at(-1)).toBe('<n1@kunde.example>');
    expect(mail.text?.trim()).toBe('Danke, Anna! Wir schauen uns den Export heute an.');
    const outbox = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
    const row = outbox.find((message: { payload: { kind?: string } }) => message.payload.kind === 'conversation-reply');
    expect(row).toMatchObject({ status: 'sent', channel: 'email', recipient: anna });
    expect(mail.replyTo?.value[0]?.address).toBe(threadAddressOf(row.id));
    // Its own return path too, so that a bounce names this reply.
    expect(from).toBe(`bounce+${row.id.replace(/-/g, '')}@${replyDomain}`);
    const { conversation, messages } = await threadOf(rita, annasConversation);
    expect(conversation).toMatchObject({ status: 'answered', waitingSince: null, waitedMinutes: null });
    expect(messages.at(-1)).toMatchObject({ author: 'person', by: rita.email, status: 'sent' });
  });

  it("counts the reply as Rita's two-way e-mail, not an automated one", async () => {
    const sent = (await tend.admin('/api/v1/events?userId=anna&name=Email%20Sent')).body.events;
    expect(sent).toHaveLength(1);
    expect(sent[0].properties).toMatchObject({ rep: rita.email, twoWay: true, automated: false });
    const audit = (await rita.get('/api/v1/accounts/kunde/audit')).body;
    expect(audit.windows[0]).toMatchObject({ byActor: { system: 1, rep: 1 } });
  });

  it("lands Anna's answer to the reply in the same conversation, open again", async () => {
    await advance(tend, 'PT1H');
    const outbox = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
    const reply = outbox.find(
      (message: { payload: { kind?: string } }) => message.payload.kind === 'conversation-reply',
    );
    const to = mailsTo(anna).at(-1)!.mail.replyTo!.value[0]!.address!;
    await inboundMail({
      from: anna,
      to,
      subject: 'Re: Re: Export',
      text: 'Super, danke!',
      messageId: '<r2@kunde.example>',
    });
    const [conversation, ...others] = await listOf(rita);
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({ id: annasConversation, status: 'open', waitedMinutes: 0 });
    const { messages } = await threadOf(rita, annasConversation);
    expect(messages.map((entry) => entry.author)).toEqual(['automated', 'customer', 'customer', 'person', 'customer']);
    const replied = (await tend.admin('/api/v1/events?userId=anna&name=Message%20Replied')).body.events;
    expect(replied.map((event: { properties: { outboxId?: string } }) => event.properties.outboxId)).toContain(
      reply.id,
    );
  });
});

describe('a conversation by text', () => {
  let bertsConversation: string;

  it('takes a text that is no keyword into the conversation, and leaves STOP out', async () => {
    await inboundText('Hello, is my order on its way?', `SM${'b'.repeat(32)}`);
    await inboundText('Hello, is my order on its way?', `SM${'b'.repeat(32)}`);
    await inboundText('HELP', `SM${'c'.repeat(32)}`);
    const [conversation, ...others] = await listOf(sam);
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({ channel: 'sms', contactId: 'bert', status: 'open' });
    bertsConversation = conversation!.id;
    expect((await threadOf(sam, bertsConversation)).messages).toHaveLength(1);
  });

  it('answers a text by text from the number it went to, clearing neglect and the wait as a call would', async () => {
    // A week and a day without an answer: the account is neglected, the text waits past its deadline.
    await advance(tend, 'P8D');
    expect(await openKinds(tend, 'client')).toEqual(expect.arrayContaining(['neglected', 'slow-response']));
    const answer = await sam.post(`/api/v1/conversations/${bertsConversation}/reply`, {
      text: 'Hi Bert, it left our warehouse today.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    await advance(tend, 'PT1M');
    await advance(tend, 'PT1M');
    const texts = twilio.requests.filter((request) => request.form.To === bertsPhone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.form).toMatchObject({ From: supportNumber, Body: 'Hi Bert, it left our warehouse today.' });
    expect(await openKinds(tend, 'client')).not.toContain('neglected');
    expect(await openKinds(tend, 'client')).not.toContain('slow-response');
    expect((await threadOf(sam, bertsConversation)).conversation).toMatchObject({ status: 'answered' });
    const touches = (await tend.admin('/api/v1/events?userId=bert&name=Message%20Sent')).body.events;
    expect(touches[0].properties).toMatchObject({ rep: sam.email, twoWay: true, channel: 'sms' });
  });

  it('refuses a text to someone who texted STOP, saying what to do instead', async () => {
    await inboundText('STOP', `SM${'d'.repeat(32)}`);
    const refused = await sam.post(`/api/v1/conversations/${bertsConversation}/reply`, { text: 'One more thing' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/opted out of text messages.*Nothing was sent.*e-mail or call/);
    await inboundText('START', `SM${'e'.repeat(32)}`);
  });
});

describe('who may see and answer a conversation', () => {
  it("shows Sam nothing of Rita's book: not in his list, 404 to read or answer", async () => {
    expect((await listOf(sam)).map((conversation) => conversation.contactId)).toEqual(['bert']);
    expect((await sam.get(`/api/v1/conversations/${annasConversation}`)).status).toBe(404);
    const answer = await sam.post(`/api/v1/conversations/${annasConversation}/reply`, { text: 'Hi' });
    expect(answer.status).toBe(404);
    expect(answer.body.errors).toEqual([{ field: 'id', message: 'is not a known conversation' }]);
    expect((await sam.get('/api/v1/conversations?accountId=kunde')).status).toBe(404);
    expect(await listOf(rita, `?ownerId=${sam.email}`)).toEqual([]);
  });

  it('filters by status, owner and account, and pages', async () => {
    const everyone = (await tend.admin('/api/v1/conversations')).body.conversations as Summary[];
    expect(everyone.map((conversation) => conversation.status)).toEqual(['open', 'answered']);
    const answered = (await tend.admin('/api/v1/conversations?status=answered')).body.conversations;
    expect(answered.map((conversation: Summary) => conversation.contactId)).toEqual(['bert']);
    expect((await listOf(rita, `?ownerId=${rita.id}&status=open`)).map((row) => row.contactId)).toEqual(['anna']);
    const first = (await tend.admin('/api/v1/conversations?limit=1')).body;
    expect(first.conversations.map((conversation: Summary) => conversation.contactId)).toEqual(['anna']);
    const second = (await tend.admin(`/api/v1/conversations?limit=1&cursor=${first.next}`)).body;
    expect(second.conversations.map((conversation: Summary) => conversation.contactId)).toEqual(['bert']);
    expect(second.next).toBeNull();
  });

  it('lets no admin token answer: a reply is written by a person', async () => {
    const answer = await tend.post(`/api/v1/conversations/${annasConversation}/reply`, { text: 'From a script' });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toMatch(/sign in as yourself/);
  });
});

describe('what is refused, in words', () => {
  it('names the field of wrong input', async () => {
    const empty = await rita.post(`/api/v1/conversations/${annasConversation}/reply`, { text: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ field: 'body.text', message: 'is empty: write the answer to send' }]);
    const missing = await rita.post(`/api/v1/conversations/${annasConversation}/reply`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('body.text');
    const bertsId = (await listOf(sam))[0]!.id;
    const long = await sam.post(`/api/v1/conversations/${bertsId}/reply`, { text: 'x'.repeat(1601) });
    expect(long.status).toBe(400);
    expect(long.body.errors[0]).toMatchObject({ field: 'body.text', message: expect.stringMatching(/1600/) });
    const cases: [string, string][] = [
      ['/api/v1/conversations?status=closed', 'querystring.status'],
      ['/api/v1/conversations?cursor=not-a-cursor', 'cursor'],
      ['/api/v1/conversations?ownerId=nobody@acme.example', 'ownerId'],
      ['/api/v1/conversations/not-an-id', 'params.id'],
    ];
    for (const [path, field] of cases) {
      const answer = await rita.get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors[0].field, path).toBe(field);
    }
  });

  it('refuses a reply to someone on the do-not-contact list, and sends nothing', async () => {
    const before = smtp.received.length;
    expect((await tend.post('/api/v1/do-not-contact', { value: anna, reason: 'asked by phone' })).status).toBe(201);
    const refused = await rita.post(`/api/v1/conversations/${annasConversation}/reply`, { text: 'Hallo?' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Anna Muster is on the do-not-contact list.*Nothing was sent/);
    expect(refused.body.errors).toEqual([{ field: 'contact', message: 'is do-not-contact' }]);
    await advance(tend, 'PT1M');
    expect(smtp.received.length).toBe(before);
  });
});
