// Tend's own SMTP listener, spoken to by a real client (nodemailer) as the reply domain's MX would be: 550 and
// 552 refusals, a reply into its thread, a rep's BCC as an e-mail touch (and the rep told what matched nobody),
// hard and soft bounces sent to a message's return path, nothing recorded twice, STARTTLS; on the manual clock.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchangeBounce, gmailBounce, postfixBounce } from '../support/delivery-reports.js';
import { fakeDns, sendsFromHere } from '../support/fake-dns.js';
import { startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { advance, group, openKinds, send, track } from '../support/scenario.js';
import { type SelfSigned, selfSignedCertificate } from '../support/self-signed.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const replyDomain = 'replies.acme.example';
const logAddress = `log@${replyDomain}`;
const playbook = `
id: check-in
name: Check in
version: 1
trigger: { event: Check In Due }
steps:
  - id: ask
    send: { channel: best, template: we-miss-you }
holdout: 0
reentry: always
`;
const emailOnly = `
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

let tend: TestTend;
let outgoing: TestSmtpServer;
let certificate: SelfSigned;

type OutboxRow = { id: string; channel: string; status: string; outcome: string | null; recipient: string | null };
const outbox = async (contactId = 'anna'): Promise<OutboxRow[]> =>
  (await tend.admin(`/api/v1/outbox?contactId=${contactId}`)).body.messages;
const events = async (name: string, userId = 'anna'): Promise<{ properties: Record<string, unknown> }[]> =>
  (await tend.admin(`/api/v1/events?userId=${userId}&name=${encodeURIComponent(name)}`)).body.events;

/** A real SMTP client for Tend's listener, trusting its certificate; STARTTLS when offered, or required. */
function client(options: Partial<SMTPTransport.Options> = {}) {
  const smtp = tend.tend.inboundSmtp!;
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    tls: { ca: certificate.cert, servername: 'localhost' },
    ...options,
  });
}

/** Sends and returns the server's final answer, or its refusal (code and text). */
async function deliver(mail: nodemailer.SendMailOptions, options: Partial<SMTPTransport.Options> = {}) {
  const transport = client(options);
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

async function checkIn(contactId = 'anna'): Promise<OutboxRow> {
  const before = new Set((await outbox(contactId)).map((row) => row.id));
  await send(tend, [track(contactId, 'Check In Due')]);
  await advance(tend, 'PT1M');
  const added = (await outbox(contactId)).filter((row) => !before.has(row.id));
  expect(added).toHaveLength(1);
  return added[0]!;
}

beforeAll(async () => {
  certificate = selfSignedCertificate();
  outgoing = await startTestSmtpServer();
  const folder = mkdtempSync(join(tmpdir(), 'tend-inbound-smtp-'));
  writeFileSync(join(folder, 'check-in.yaml'), playbook);
  writeFileSync(join(folder, 'terms-by-email.yaml'), emailOnly);
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') },
    playbooks: folder,
    settings: {
      channels: {
        TEND_SMTP_URL: `smtp://127.0.0.1:${outgoing.port}`,
        TEND_EMAIL_FROM: 'Acme Success <success@acme.example>',
        TEND_REPLY_DOMAIN: replyDomain,
        TEND_SMTP_INBOUND_PORT: '0',
        TEND_SMTP_INBOUND_HOST: '127.0.0.1',
        TEND_SMTP_INBOUND_MAX_BYTES: '16384',
        TEND_SMTP_INBOUND_TLS_CERT: certificate.certPath,
        TEND_SMTP_INBOUND_TLS_KEY: certificate.keyPath,
      },
      // The reps' and the customers' domains send from this machine: their From addresses are proven (SPF).
      dnsResolver: fakeDns(sendsFromHere('acme.example', 'kunde.example')),
    },
  });
  for (const user of [
    { email: 'maria@acme.example', name: 'Maria', role: 'manager' },
    { email: 'sam@acme.example', name: 'Sam Rep', role: 'rep', managerEmail: 'maria@acme.example' },
  ]) {
    expect((await tend.post('/api/v1/users', user)).status).toBe(201);
  }
  await send(tend, [
    { type: 'identify', userId: 'anna', traits: { email: 'anna@kunde.example', name: 'Anna', phone: '+41791234567' } },
    group('anna', 'kunde', { name: 'Kunde AG', profit: 50000, owner: 'sam@acme.example' }),
    { type: 'identify', userId: 'bert', traits: { email: 'Bert@Kunde.example', name: 'Bert' } },
    group('bert', 'kunde', { name: 'Kunde AG' }),
  ]);
  const consent = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
  expect((await tend.post('/api/v1/contacts/anna/consents', consent)).status).toBe(200);
  await advance(tend, 'PT1M');
});

afterAll(async () => {
  await tend?.stop();
  await outgoing?.close();
});

describe("Tend's own SMTP listener", () => {
  it('refuses a recipient outside the reply domain (550) and a message over the size limit (552)', async () => {
    const elsewhere = await deliver({ from: 'anna@kunde.example', to: 'sales@acme.example', text: 'Hello' });
    expect(elsewhere.code).toBe(550);
    expect(elsewhere.text).toMatch(/takes mail for @replies\.acme\.example only; sales@acme\.example/);
    const large = await deliver({ from: 'anna@kunde.example', to: logAddress, text: 'x'.repeat(20_000) });
    expect(large.code).toBe(552);
    expect(await events('Message Replied')).toEqual([]);
  });

  it("records a rep's BCC to log@ once, as an e-mail touch by the rep on the account, which clears no neglect", async () => {
    await advance(tend, 'P31D');
    expect(await openKinds(tend, 'kunde')).toContain('neglected');
    const bcc = {
      from: 'Sam Rep <Sam@Acme.example>',
      to: 'Anna <anna@kunde.example>',
      cc: ['bert@kunde.example', 'maria@acme.example', 'new.person@kunde.example'],
      subject: 'Your renewal terms',
      text: 'Hi Anna, the terms as promised.',
      messageId: '<bcc-1@acme.example>',
      // A BCC reaches the MX with only its own address in the envelope.
      envelope: { from: 'sam@acme.example', to: [logAddress] },
    };
    expect((await deliver(bcc)).code).toBe(250);
    expect((await deliver(bcc)).code).toBe(250); // the rep's server sending it again
    const stranger = { ...bcc, from: 'mallory@evil.example', messageId: '<x@evil.example>' };
    expect((await deliver({ ...stranger, envelope: { from: 'mallory@evil.example', to: [logAddress] } })).code).toBe(
      250,
    );
    await advance(tend, 'PT1M');

    const touches = (await tend.admin('/api/v1/accounts/kunde/timeline?kinds=touch')).body.items;
    expect(touches).toEqual([
      expect.objectContaining({ name: expect.stringMatching(/mail/i), by: 'sam@acme.example', channel: 'email' }),
    ]);
    expect(touches[0].summary).toBe('Your renewal terms');
    const sent = await events('Email Sent');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.properties).toMatchObject({ rep: 'sam@acme.example', direction: 'outbound', twoWay: false });
    const audit = (await tend.admin('/api/v1/accounts/kunde/audit')).body;
    expect(audit.windows[0]).toMatchObject({ total: 1, twoWay: 0, byChannel: { email: 1 }, byActor: { rep: 1 } });
    expect(audit.lastSubstantiveContactAt).toBeNull();
    expect(await openKinds(tend, 'kunde')).toContain('neglected');

    // Sam is told, once, of the address no contact has (not of Maria, a colleague), through the outbox.
    const answers = await tend.tend.store.database
      .selectFrom('outbox')
      .select(['recipient', 'payload'])
      .where('channel', '=', 'staff-email')
      .where('idempotency_key', 'like', 'email-capture-answer:%')
      .execute();
    expect(answers).toHaveLength(1);
    expect(answers[0]!.recipient).toBe('sam@acme.example');
    expect(answers[0]!.payload).toMatchObject({
      title: 'Not logged for new.person@kunde.example: Your renewal terms',
      path: '/accounts/kunde',
    });
    const said = String(answers[0]!.payload.reason);
    expect(said).toMatch(/logged your e-mail "Your renewal terms" on Kunde AG/);
    expect(said).toMatch(/new\.person@kunde\.example/);
    expect(said).not.toMatch(/maria@|bert@/i);
    const toSam = outgoing.received.filter((received) => received.recipients.includes('sam@acme.example'));
    expect(toSam.map((received) => received.mail.subject)).toContain(
      'Not logged for new.person@kunde.example: Your renewal terms',
    );
  });

  it("records a customer's reply to a thread address, sent over STARTTLS, once", async () => {
    const email = await checkIn();
    expect(email.channel).toBe('email');
    const thread = `reply+${email.id.replace(/-/g, '')}@${replyDomain}`;
    // Tend's own message went out with its own return path, for its bounces.
    const sentOut = outgoing.received.find((received) => received.recipients.includes('anna@kunde.example'));
    expect(sentOut?.from).toBe(`bounce+${email.id.replace(/-/g, '')}@${replyDomain}`);
    const reply = {
      from: 'Anna <anna@kunde.example>',
      to: thread,
      subject: 'Re: is Kunde AG working for you?',
      text: 'Yes, but the export is slow.',
      messageId: '<anna-reply-1@kunde.example>',
    };
    expect((await deliver(reply, { requireTLS: true })).code).toBe(250);
    expect((await deliver(reply, { requireTLS: true })).code).toBe(250);
    const replies = await events('Message Replied');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.properties).toMatchObject({ body: 'Yes, but the export is slow.', outboxId: email.id });
  });

  it('records a soft bounce on the message and changes nothing else', async () => {
    const [email] = (await outbox()).filter((row) => row.channel === 'email');
    const returnPath = `bounce+${email!.id.replace(/-/g, '')}@${replyDomain}`;
    const providerId = outgoing.received.find((received) => received.from === returnPath)!.mail.messageId!;
    const delayed = postfixBounce(
      { returnPath, recipient: 'anna@kunde.example', messageId: providerId },
      '4.2.2',
      'delayed',
    );
    const report = { envelope: { from: '', to: [returnPath] }, raw: delayed.raw };
    expect((await deliver(report)).code).toBe(250);
    const row = (await outbox()).find((message) => message.id === email!.id)!;
    expect(row.outcome).toMatch(/^delayed: 4\.2\.2 \(smtp; 452 4\.2\.2 .*Mailbox full\)/);
    expect(await events('Message Bounced')).toEqual([]);
  });

  it('marks the address undeliverable on a hard bounce, once; best then sends by SMS, a new address by e-mail', async () => {
    const [email] = (await outbox()).filter((row) => row.channel === 'email');
    const returnPath = `bounce+${email!.id.replace(/-/g, '')}@${replyDomain}`;
    const providerId = outgoing.received.find((received) => received.from === returnPath)!.mail.messageId!;
    const bounce = postfixBounce({ returnPath, recipient: 'anna@kunde.example', messageId: providerId });
    const report = { envelope: { from: '', to: [returnPath] }, raw: bounce.raw };
    expect((await deliver(report)).code).toBe(250);
    expect((await deliver(report)).code).toBe(250);
    const bounced = await events('Message Bounced');
    expect(bounced).toHaveLength(1);
    expect(bounced[0]!.properties).toMatchObject({ channel: 'email', outboxId: email!.id });
    const row = (await outbox()).find((message) => message.id === email!.id)!;
    expect(row.outcome).toMatch(/^bounced: 5\.1\.1 \(smtp; 550 5\.1\.1 <anna@kunde\.example>/);

    // Anna wrote (her reply above): automated messages to her wait three days, so that a person answers.
    await advance(tend, 'P3D');
    const next = await checkIn();
    expect(next).toMatchObject({ channel: 'sms', recipient: '+41791234567' });
    // An e-mail-only step is skipped, and says why.
    await send(tend, [track('anna', 'Terms Requested')]);
    await advance(tend, 'PT1M');
    const skipped = (await outbox()).find((message) => message.status === 'skipped');
    expect(skipped).toMatchObject({ channel: 'email' });
    expect((skipped as OutboxRow & { reason: string }).reason).toMatch(/undeliverable.*bounced for good: 5\.1\.1/);

    // Anna gives a new address: e-mail reaches her again (after the frequency cap's week).
    await send(tend, [{ type: 'identify', userId: 'anna', traits: { email: 'anna.muster@kunde.example' } }]);
    await advance(tend, 'P8D');
    expect(await checkIn()).toMatchObject({ channel: 'email', recipient: 'anna.muster@kunde.example' });
  });

  it('finds the message of a report sent elsewhere by its Message-ID, else by the address; a forged return path by neither', async () => {
    const postmaster = `postmaster@${replyDomain}`;
    const deliverReport = (raw: string, to = postmaster) => deliver({ envelope: { from: '', to: [to] }, raw });
    const providerIdOf = (id: string) =>
      outgoing.received.find((received) => received.from === `bounce+${id.replace(/-/g, '')}@${replyDomain}`)!.mail
        .messageId!;
    const [latest] = (await outbox()).filter((row) => row.channel === 'email' && row.status === 'sent');
    expect(latest!.recipient).toBe('anna.muster@kunde.example');
    const forged = `bounce+${'0'.repeat(32)}@${replyDomain}`;
    const aboutLatest = {
      returnPath: forged,
      recipient: 'anna.muster@kunde.example',
      messageId: providerIdOf(latest!.id),
    };
    expect((await deliverReport(postfixBounce(aboutLatest).raw, forged)).code).toBe(250);
    expect(await events('Message Bounced')).toHaveLength(1);

    expect((await deliverReport(gmailBounce({ ...aboutLatest, returnPath: postmaster }).raw)).code).toBe(250);
    expect(await events('Message Bounced')).toHaveLength(2);
    expect((await outbox()).find((row) => row.id === latest!.id)!.outcome).toMatch(/^bounced: 5\.1\.1/);

    const toBert = await checkIn('bert');
    expect(toBert).toMatchObject({ channel: 'email', recipient: 'Bert@Kunde.example' });
    const aboutBert = {
      returnPath: postmaster,
      recipient: 'bert@kunde.example',
      messageId: '<not-ours@elsewhere.example>',
    };
    expect((await deliverReport(exchangeBounce(aboutBert).raw)).code).toBe(250);
    expect(await events('Message Bounced', 'bert')).toHaveLength(1);
    expect((await outbox('bert')).find((row) => row.id === toBert.id)!.outcome).toMatch(/^bounced: 5\.1\.10/);
  });
});
