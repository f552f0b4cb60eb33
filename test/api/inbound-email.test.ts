// The inbound e-mail webhook has its own secret (a write key ships in browsers), checks Mailgun's
// signature when Mailgun's key is set, records a reply only to a thread address from the person that
// message went to, and answers every accepted post the same, so it tells nobody who is a customer.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelEnvironment } from '../../src/config/settings.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

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
const secret = 'inbound-secret-0123456789';
const mailgunKey = 'key-mailgun-signing-0123456789';
const replyDomain = 'replies.acme.example';

/** A Tend that has e-mailed Anna (so her message's thread address exists), with these channel settings. */
async function tendWithThread(channels: ChannelEnvironment): Promise<{ tend: TestTend; thread: string }> {
  const folder = mkdtempSync(join(tmpdir(), 'tend-inbound-'));
  writeFileSync(join(folder, 'ask-detractors.yaml'), playbook);
  const tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: { channels: { TEND_REPLY_DOMAIN: replyDomain, ...channels } },
  });
  await send(tend, [
    { type: 'identify', userId: 'anna', traits: { email: 'Anna@Kunde.example', name: 'Anna Muster' } },
    group('anna', 'kunde', { name: 'Kunde AG', profit: 50000 }),
    { type: 'identify', userId: 'carl', traits: { email: 'carl@customer.example', name: 'Carl' } },
  ]);
  await send(tend, [track('anna', 'Survey Answered', { score: 2 })]);
  await advance(tend, 'PT1M');
  const [email] = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
  expect(email).toMatchObject({ channel: 'email', status: 'delivered-locally' });
  return { tend, thread: `reply+${String(email.id).replace(/-/g, '')}@${replyDomain}` };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const post = (tend: TestTend, body: string | FormData, headers: Record<string, string>) =>
  fetch(`${tend.url}/webhooks/email/inbound`, { method: 'POST', headers, body });
const json = (tend: TestTend, mail: unknown, authorization?: string) =>
  post(tend, JSON.stringify(mail), { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) });
const replies = async (tend: TestTend) => {
  const { events } = (await tend.admin('/api/v1/events?userId=anna&name=Message%20Replied')).body;
  return events as { properties: Record<string, unknown> }[];
};
const anna = 'anna@kunde.example';
const exportSlow = 'Ja, aber der Export ist langsam.';

describe('with TEND_INBOUND_EMAIL_SECRET', () => {
  let tend: TestTend;
  let thread: string;
  beforeAll(async () => ({ tend, thread } = await tendWithThread({ TEND_INBOUND_EMAIL_SECRET: secret })));
  afterAll(async () => tend?.stop());

  it('refuses a write key and a wrong secret, and records nothing', async () => {
    const reply = { from: 'anna@kunde.example', to: thread, subject: 'Re', text: 'forged' };
    const wrong = [basic(tend.writeKey, ''), basic('tend', 'not-the-secret'), `Bearer ${tend.writeKey}`, undefined];
    for (const authorization of wrong) {
      const answer = await json(tend, reply, authorization);
      expect(answer.status).toBe(401);
      expect(((await answer.json()) as { message: string }).message).toMatch(/TEND_INBOUND_EMAIL_SECRET/);
    }
    expect(await replies(tend)).toEqual([]);
  });

  it('records a reply to the thread from its recipient once, and answers the same whatever was posted', async () => {
    const reply = { from: `Anna Muster <${anna}>`, to: [thread], text: exportSlow, messageId: '<r1@kunde.example>' };
    const posts = [
      reply,
      reply, // the service retrying
      { ...reply, from: 'mallory@evil.example', messageId: '<forged@evil.example>', text: 'a forged sender' },
      { from: anna, to: 'support@acme.example', text: 'not to a thread', messageId: '<n1@kunde.example>' },
      { from: 'carl@customer.example', to: `reply+${'0'.repeat(32)}@${replyDomain}`, text: 'an unknown thread' },
      { from: 'nobody@nowhere.example', to: 'support@acme.example', text: 'a stranger' },
      { from: anna, to: thread.replace(replyDomain, 'other.example'), text: 'elsewhere', messageId: '<n2@k.example>' },
    ];
    for (const mail of posts) {
      const answer = await json(tend, mail, basic('tend', secret));
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ accepted: true });
    }
    const recorded = await replies(tend);
    expect(recorded).toHaveLength(1);
    const properties = { channel: 'email', direction: 'inbound', from: anna, body: exportSlow };
    expect(recorded[0]!.properties).toMatchObject(properties);
  });

  it("takes the secret as a bearer token, and reads Postmark's JSON and SendGrid's multipart form", async () => {
    const postmark = { From: anna, FromFull: { Email: anna }, ToFull: [{ Email: thread }], TextBody: 'From Postmark' };
    expect((await json(tend, postmark, `Bearer ${secret}`)).status).toBe(200);
    const form = new FormData();
    const sendgridFields = {
      from: `Anna <${anna}>`,
      to: 'hello@acme.example',
      subject: 'Re',
      text: 'From SendGrid',
      envelope: JSON.stringify({ to: [thread], from: anna }),
      headers: 'Message-ID: <sg-1@kunde.example>\r\n',
    };
    for (const [name, value] of Object.entries(sendgridFields)) form.append(name, value);
    form.append('attachment1', new Blob(['%PDF']), 'invoice.pdf');
    const sendgrid = await post(tend, form, { authorization: basic('tend', secret) });
    expect(sendgrid.status).toBe(200);
    const bodies = (await replies(tend)).map((event) => event.properties.body);
    expect(bodies.sort()).toEqual(['From Postmark', 'From SendGrid', exportSlow]);
    const multipart = { 'content-type': 'multipart/form-data; boundary=nothing', authorization: basic('tend', secret) };
    const broken = await post(tend, '--x\r\nbroken', multipart);
    expect(broken.status).toBe(400);
  });
});

describe('with TEND_MAILGUN_SIGNING_KEY', () => {
  let tend: TestTend;
  let thread: string;
  beforeAll(async () => ({ tend, thread } = await tendWithThread({ TEND_MAILGUN_SIGNING_KEY: mailgunKey })));
  afterAll(async () => tend?.stop());

  const nowInSeconds = () => Math.floor(Date.now() / 1000);
  const mailgunForm = (fields: Record<string, string>, token: string, key = mailgunKey, at = nowInSeconds()) => {
    const signature = createHmac('sha256', key).update(`${at}${token}`).digest('hex');
    return new URLSearchParams({ ...fields, timestamp: String(at), token, signature }).toString();
  };
  const mailgun = (body: string) => post(tend, body, { 'content-type': 'application/x-www-form-urlencoded' });

  it('records a signed post once, and refuses a wrong key, a stale post and a replayed token', async () => {
    const fields = { sender: anna, from: `Anna <${anna}>`, recipient: thread, 'body-plain': 'Via Mailgun' };
    const token = 't'.repeat(50);
    const signed = mailgunForm(fields, token);
    expect((await mailgun(mailgunForm(fields, 'w'.repeat(50), 'key-wrong'))).status).toBe(401);
    expect((await mailgun(mailgunForm(fields, 's'.repeat(50), mailgunKey, nowInSeconds() - 3600))).status).toBe(401);
    expect((await mailgun(new URLSearchParams(fields).toString())).status).toBe(401);
    const accepted = await mailgun(signed);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ accepted: true });
    // The same signature with another body: Mailgun signs no body, so a used token is refused.
    const replayed = await mailgun(signed.replace('Via+Mailgun', 'Forged'));
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { message: string }).message).toMatch(/already used/);
    expect((await replies(tend)).map((event) => event.properties.body)).toEqual(['Via Mailgun']);
  });
});

describe("raw MIME from a service: Postmark's RawEmail", () => {
  let tend: TestTend;
  beforeAll(async () => ({ tend } = await tendWithThread({ TEND_INBOUND_EMAIL_SECRET: secret })));
  afterAll(async () => tend?.stop());

  it("records a rep's BCC to log@, which shows only in the envelope, as the rep's e-mail touch", async () => {
    expect((await tend.post('/api/v1/users', { email: 'sam@acme.example', role: 'rep' })).status).toBe(201);
    const raw = [
      'From: Sam <sam@acme.example>',
      `To: Anna <${anna}>`,
      'Subject: Following up',
      'Message-ID: <follow-up-1@acme.example>',
      '',
      'Hi Anna, following up on our call.',
    ].join('\r\n');
    // Postmark's own SPF verdict on the sender, which proves Sam's From address (as Postmark posts it).
    const spf = 'Pass (sender SPF authorized) identity=mailfrom; client-ip=192.0.2.25; envelope-from=sam@acme.example';
    const post = {
      FromFull: { Email: 'sam@acme.example' },
      OriginalRecipient: `log@${replyDomain}`,
      RawEmail: raw,
      Headers: [{ Name: 'Received-SPF', Value: spf }],
    };
    for (let attempt = 0; attempt < 2; attempt++) expect((await json(tend, post, `Bearer ${secret}`)).status).toBe(200);
    const { events } = (await tend.admin('/api/v1/events?userId=anna&name=Email%20Sent')).body;
    expect(events).toHaveLength(1);
    expect(events[0].properties).toMatchObject({ rep: 'sam@acme.example', subject: 'Following up', twoWay: false });
  });
});

describe('with TEND_SENDGRID_INBOUND_PUBLIC_KEY', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  let tend: TestTend;
  let thread: string;
  beforeAll(async () => {
    const key = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    ({ tend, thread } = await tendWithThread({ TEND_SENDGRID_INBOUND_PUBLIC_KEY: key }));
  });
  afterAll(async () => tend?.stop());

  const boundary = 'xYzZY';
  const multipart = (fields: Record<string, string>) => {
    const parts = Object.entries(fields).map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
    return Buffer.from(`${parts.join('')}--${boundary}--\r\n`);
  };
  const signed = (body: Buffer, at = String(Math.floor(Date.now() / 1000))) => ({
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'x-twilio-email-event-webhook-timestamp': at,
    'x-twilio-email-event-webhook-signature': sign(
      'sha256',
      Buffer.concat([Buffer.from(at), body]),
      privateKey,
    ).toString('base64'),
  });
  const sendgrid = (body: Buffer, headers: Record<string, string>) =>
    fetch(`${tend.url}/webhooks/email/inbound`, { method: 'POST', headers, body });

  it('records a signed post once, and refuses a changed body, a missing signature and a replay', async () => {
    const fields = {
      from: `Anna <${anna}>`,
      to: 'x@acme.example',
      text: 'Via SendGrid',
      envelope: JSON.stringify({ to: [thread] }),
    };
    const body = multipart(fields);
    const headers = signed(body);
    const changed = multipart({ ...fields, text: 'Forged' });
    const refused = await sendgrid(changed, headers);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toMatch(/SendGrid's signature does not match/);
    const unsigned = await sendgrid(body, { 'content-type': headers['content-type'] });
    expect(unsigned.status).toBe(401);
    expect((await sendgrid(body, headers)).status).toBe(200);
    const replayed = await sendgrid(body, headers);
    expect(replayed.status).toBe(401);
    expect(((await replayed.json()) as { message: string }).message).toMatch(/already used/);
    expect((await replies(tend)).map((event) => event.properties.body)).toEqual(['Via SendGrid']);
  });
});

describe('without either', () => {
  it('answers 404 and says how to enable it', async () => {
    const tend = await startTestTend();
    try {
      const answer = await json(tend, { from: 'anna@kunde.example', to: 'x@y.example' }, basic(tend.writeKey, ''));
      expect(answer.status).toBe(404);
      const { message } = (await answer.json()) as { message: string };
      expect(message).toMatch(/not enabled.*TEND_INBOUND_EMAIL_SECRET.*TEND_MAILGUN_SIGNING_KEY/);
    } finally {
      await tend.stop();
    }
  });
});
