// Anyone can write any From header: only a proven one names a rep or a contact. Over Tend's own SMTP listener
// (SPF, DKIM and DMARC against a DNS the test plays) and over the webhook (the mail service's own verdicts), a
// forged rep's copy to log@ logs no touch and answers nobody, a forged customer's mail to no thread records
// nothing, a reply to a thread address still lands (marked), DMARC's p=reject gets 550; with the checks off,
// the From address is believed as before.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postfixBounce } from '../support/delivery-reports.js';
import { dkimKey, fakeDns } from '../support/fake-dns.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const replyDomain = 'replies.acme.example';
const logAddress = `log@${replyDomain}`;
const inboundSecret = 'inbound-secret-0123456789';
const playbook = `
id: check-in
name: Check in
version: 1
trigger: { event: Check In Due }
steps:
  - id: ask
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: always
`;
const signed = dkimKey('signed.example');
// The test clients send from 127.0.0.1, which neither the reps' nor the customers' SPF names: every From
// below is forged unless DKIM proves it. strict.example asks receivers to refuse what fails DMARC.
const dns = fakeDns({
  'acme.example': ['v=spf1 ip4:192.0.2.1 -all'],
  'kunde.example': ['v=spf1 ip4:192.0.2.1 -all'],
  'strict.example': ['v=spf1 ip4:192.0.2.1 -all'],
  '_dmarc.strict.example': ['v=DMARC1; p=reject'],
  ...signed.zone,
});

/** A Tend listening for mail (and taking the webhook), with Sam a rep, Anna and Dora contacts of Kunde AG. */
async function tendWith(channels: Record<string, string> = {}): Promise<TestTend> {
  const folder = mkdtempSync(join(tmpdir(), 'tend-sender-checks-'));
  writeFileSync(join(folder, 'check-in.yaml'), playbook);
  const tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: {
      channels: {
        TEND_REPLY_DOMAIN: replyDomain,
        TEND_SMTP_INBOUND_PORT: '0',
        TEND_SMTP_INBOUND_HOST: '127.0.0.1',
        TEND_INBOUND_EMAIL_SECRET: inboundSecret,
        ...channels,
      },
      dnsResolver: dns,
    },
  });
  expect((await tend.post('/api/v1/users', { email: 'sam@acme.example', role: 'rep' })).status).toBe(201);
  await send(tend, [
    { type: 'identify', userId: 'anna', traits: { email: 'anna@kunde.example', name: 'Anna' } },
    group('anna', 'kunde', { name: 'Kunde AG', owner: 'sam@acme.example' }),
    { type: 'identify', userId: 'dora', traits: { email: 'dora@signed.example', name: 'Dora' } },
    group('dora', 'kunde', { name: 'Kunde AG' }),
  ]);
  return tend;
}

/** Sends to Tend's listener as a mail server would; the final answer, or the refusal. */
async function deliver(tend: TestTend, mail: nodemailer.SendMailOptions) {
  const port = tend.tend.inboundSmtp!.port;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail(mail);
    return { code: Number(String(info.response).slice(0, 3)), text: String(info.response) };
  } catch (error) {
    const failure = error as { responseCode?: number; response?: string; message: string };
    return { code: failure.responseCode ?? 0, text: failure.response ?? failure.message };
  } finally {
    transport.close();
  }
}

const events = async (tend: TestTend, userId: string, name: string) =>
  (await tend.admin(`/api/v1/events?userId=${userId}&name=${encodeURIComponent(name)}`)).body.events as {
    properties: Record<string, unknown>;
  }[];
const captureAnswers = async (tend: TestTend) =>
  tend.tend.store.database
    .selectFrom('outbox')
    .select('recipient')
    .where('idempotency_key', 'like', 'email-capture-answer:%')
    .execute();

/** Sam's e-mail to Anna, BCC'd to log@, naming an address no contact has (which would earn Sam an answer). */
const samsCopy = (messageId: string) => ({
  from: 'Sam <sam@acme.example>',
  to: 'Anna <anna@kunde.example>',
  cc: 'new.person@kunde.example',
  subject: 'Your renewal terms',
  text: 'Hi Anna, the terms as promised.',
  messageId,
  envelope: { from: 'sam@acme.example', to: [logAddress] },
});

describe("sender checks on Tend's own SMTP listener", () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await tendWith();
  });
  afterAll(async () => tend?.stop());

  it("logs no touch for a forged rep's copy to log@, and answers nobody", async () => {
    expect((await deliver(tend, samsCopy('<forged-1@acme.example>'))).code).toBe(250);
    await advance(tend, 'PT1M');
    expect(await events(tend, 'anna', 'Email Sent')).toEqual([]);
    expect(await captureAnswers(tend)).toEqual([]);
  });

  it("records nothing for a forged customer's mail to an address that is no thread", async () => {
    const forged = { from: 'Anna <anna@kunde.example>', to: `hello@${replyDomain}`, text: 'Please call me' };
    expect((await deliver(tend, { ...forged, messageId: '<forged-2@kunde.example>' })).code).toBe(250);
    expect(await events(tend, 'anna', 'Message Replied')).toEqual([]);
    expect((await tend.admin('/api/v1/conversations')).body.conversations).toEqual([]);
  });

  it('still lands a reply to a thread address from an unproven sender, marked as such', async () => {
    await send(tend, [track('anna', 'Check In Due')]);
    await advance(tend, 'PT1M');
    const [email] = (await tend.admin('/api/v1/outbox?contactId=anna')).body.messages;
    const thread = `reply+${String(email.id).replace(/-/g, '')}@${replyDomain}`;
    const reply = { from: 'anna@kunde.example', to: thread, text: 'Yes, call me', messageId: '<r-1@kunde.example>' };
    expect((await deliver(tend, reply)).code).toBe(250);
    const replies = await events(tend, 'anna', 'Message Replied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.properties).toMatchObject({ outboxId: email.id, senderVerified: false });
  });

  it('refuses (550) mail failing DMARC for a domain whose policy is reject, but not a delivery report', async () => {
    const refused = await deliver(tend, { from: 'x@strict.example', to: `hello@${replyDomain}`, text: 'Hi' });
    expect(refused.code).toBe(550);
    expect(refused.text).toMatch(/5\.7\.1 DMARC fails for strict\.example \(SPF is fail .*\); its policy is reject/);
    const returnPath = `bounce+${'0'.repeat(32)}@${replyDomain}`;
    const report = postfixBounce({ returnPath, recipient: 'x@strict.example', messageId: '<m@acme.example>' });
    const raw = report.raw.replaceAll('mail.kunde.example', 'mail.strict.example');
    expect((await deliver(tend, { envelope: { from: '', to: [returnPath] }, raw })).code).toBe(250);
  });

  it("takes a DKIM-signed message as proof even without SPF: it lands as Dora's", async () => {
    const mail = { from: 'Dora <dora@signed.example>', to: `hello@${replyDomain}`, subject: 'Invoice', text: 'Hi' };
    const unsigned = await deliver(tend, { ...mail, messageId: '<d-0@signed.example>' });
    expect(unsigned.code).toBe(250);
    expect(await events(tend, 'dora', 'Message Replied')).toEqual([]);
    const proven = await deliver(tend, { ...mail, messageId: '<d-1@signed.example>', dkim: signed.signing });
    expect(proven.code).toBe(250);
    const replies = await events(tend, 'dora', 'Message Replied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.properties).not.toHaveProperty('senderVerified');
  });

  it('leaves the sender unverified when no DNS answers', async () => {
    dns.unreachable = true;
    try {
      const mail = { from: 'dora@signed.example', to: `hello@${replyDomain}`, text: 'Again', dkim: signed.signing };
      expect((await deliver(tend, { ...mail, messageId: '<d-2@signed.example>' })).code).toBe(250);
    } finally {
      dns.unreachable = false;
    }
    expect(await events(tend, 'dora', 'Message Replied')).toHaveLength(1);
  });
});

describe('sender checks on the webhook: the mail service says', () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await tendWith();
  });
  afterAll(async () => tend?.stop());

  const authorization = `Basic ${Buffer.from(`tend:${inboundSecret}`).toString('base64')}`;
  const post = async (body: URLSearchParams | string, contentType: string) => {
    const headers = { authorization, 'content-type': contentType };
    const answer = await fetch(`${tend.url}/webhooks/email/inbound`, { method: 'POST', headers, body });
    expect(answer.status).toBe(200);
  };
  const form = (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    return post(body, 'application/x-www-form-urlencoded');
  };
  const json = (mail: unknown) => post(JSON.stringify(mail), 'application/json');
  const annaWrites = (messageId: string) => ({
    from: 'Anna <anna@kunde.example>',
    to: `hello@${replyDomain}`,
    subject: 'Export',
    text: `Mail ${messageId}`,
    headers: `Message-ID: ${messageId}\r\n`,
  });
  const annasMessages = async () =>
    (await events(tend, 'anna', 'Message Replied')).map((event) => event.properties.body).sort();

  it('SendGrid: its SPF for an aligned envelope sender, or an aligned DKIM signature; nothing else', async () => {
    const envelope = (from: string) => JSON.stringify({ to: [`hello@${replyDomain}`], from });
    await form({ ...annaWrites('<sg-1@k>'), envelope: envelope('anna@kunde.example'), SPF: 'pass' });
    await form({ ...annaWrites('<sg-2@k>'), envelope: envelope('anna@kunde.example'), SPF: 'fail' });
    await form({ ...annaWrites('<sg-3@k>'), envelope: envelope('x@evil.example'), SPF: 'pass' });
    await form({
      ...annaWrites('<sg-4@k>'),
      envelope: envelope('x@evil.example'),
      SPF: 'none',
      dkim: '{@kunde.example : pass}',
    });
    await form({ ...annaWrites('<sg-5@k>'), envelope: envelope('x@evil.example'), dkim: '{@evil.example : pass}' });
    await form({ ...annaWrites('<sg-6@k>'), envelope: envelope('anna@kunde.example') });
    expect(await annasMessages()).toEqual(['Mail <sg-1@k>', 'Mail <sg-4@k>']);
  });

  it("Mailgun: X-Mailgun-Spf for the envelope sender proves Sam's copy; a verdict twice proves nothing", async () => {
    const copy = (messageId: string) => ({
      sender: 'sam@acme.example',
      from: 'Sam <sam@acme.example>',
      recipient: logAddress,
      To: 'anna@kunde.example',
      subject: 'Renewal',
      'body-plain': 'Hi Anna',
      'Message-Id': messageId,
      token: 't'.repeat(50),
    });
    await form({ ...copy('<mg-1@acme.example>'), 'X-Mailgun-Spf': ['Pass', 'Pass'] });
    await form({ ...copy('<mg-2@acme.example>'), 'X-Mailgun-Spf': 'Fail' });
    const evilSignature = 'v=1; a=rsa-sha256; d=evil.example; s=mail; b=x';
    await form({
      ...copy('<mg-3@acme.example>'),
      'X-Mailgun-Dkim-Check-Result': 'Pass',
      'DKIM-Signature': evilSignature,
    });
    expect(await events(tend, 'anna', 'Email Sent')).toEqual([]);
    await form({ ...copy('<mg-4@acme.example>'), 'X-Mailgun-Spf': 'Pass' });
    const sent = await events(tend, 'anna', 'Email Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.properties).toMatchObject({ rep: 'sam@acme.example', subject: 'Renewal' });
    expect(await captureAnswers(tend)).toHaveLength(0);
  });

  it("Postmark: its own Received-SPF, the first of the message's; a relay: its Authentication-Results", async () => {
    const postmark = (messageId: string, spf: string) => ({
      FromFull: { Email: 'anna@kunde.example' },
      ToFull: [{ Email: `hello@${replyDomain}` }],
      TextBody: `Mail ${messageId}`,
      Headers: [
        {
          Name: 'Received-SPF',
          Value: `${spf} (sender SPF authorized) identity=mailfrom; envelope-from=anna@kunde.example`,
        },
        { Name: 'Received-SPF', Value: 'Pass (written by the sender) envelope-from=anna@kunde.example' },
        { Name: 'Message-ID', Value: messageId },
      ],
    });
    await json(postmark('<pm-1@k>', 'Fail'));
    await json(postmark('<pm-2@k>', 'Pass'));
    const relay = (messageId: string, results?: string) => ({
      from: 'anna@kunde.example',
      to: `hello@${replyDomain}`,
      text: `Mail ${messageId}`,
      messageId,
      ...(results === undefined ? {} : { authenticationResults: results }),
    });
    await json(relay('<re-1@k>'));
    await json(relay('<re-2@k>', `mx.${replyDomain}; dmarc=fail header.from=kunde.example; spf=fail`));
    await json(relay('<re-3@k>', `mx.${replyDomain}; dmarc=pass header.from=evil.example`));
    await json(relay('<re-4@k>', `mx.${replyDomain}; dkim=pass (good signature) header.d=mail.kunde.example`));
    const landed = (await annasMessages()).filter((body) => /<(pm|re)-/.test(String(body)));
    expect(landed).toEqual(['Mail <pm-2@k>', 'Mail <re-4@k>']);
  });
});

describe('with TEND_SMTP_INBOUND_SENDER_CHECKS=off (behind a gateway that checks)', () => {
  let tend: TestTend;
  beforeAll(async () => {
    tend = await tendWith({ TEND_SMTP_INBOUND_SENDER_CHECKS: 'off' });
  });
  afterAll(async () => tend?.stop());

  it("believes the From address as before: Sam's copy is logged and answered", async () => {
    const questions = dns.questions.length;
    expect((await deliver(tend, samsCopy('<off-1@acme.example>'))).code).toBe(250);
    await advance(tend, 'PT1M');
    expect(await events(tend, 'anna', 'Email Sent')).toHaveLength(1);
    expect(await captureAnswers(tend)).toEqual([{ recipient: 'sam@acme.example' }]);
    expect(dns.questions.length).toBe(questions);
  });
});
