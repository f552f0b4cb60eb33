// Kill the worker mid-way and show that nothing is lost and nothing is sent twice. `tend start` runs as
// its own process and is killed with SIGKILL (no shutdown at all):
// - after the outbox row is written but before the e-mail went out: the restarted Tend sends it, once;
// - after the SMTP server has the whole e-mail but before Tend heard back: the restarted Tend does not
//   send it again, and records it as unconfirmed, with the reason;
// - after Twilio took a text and reported it delivered, but before Tend heard Twilio's answer: the
//   restarted Tend records it as sent, as the report says, rather than unconfirmed;
// - while e-mails wait for a free SMTP connection: only those on a connection are unconfirmed, the
//   restarted Tend sends the others, once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { startFakeTwilio, startTestSmtpServer, type TestSmtpServer } from '../support/fake-providers.js';
import { killTendProcess, startTendProcess, type TendProcess } from '../support/tend-process.js';
import { freshLocation } from '../support/test-tend.js';

const writeKey = 'wk_crash_test_0123456789abcdef';
const adminToken = 'admin_crash_test_0123456789abcdef';
const playbook = `
id: detractor-apology
name: Detractor apology
version: 1
trigger: { signal: detractor }
steps:
  - id: apology
    send: { channel: email, template: we-miss-you }
holdout: 0
reentry: never
`;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const textPlaybook = playbook.replace(
  'channel: email, template: we-miss-you',
  'channel: sms, template: payment-plan-offer-sms',
);

/** A store and settings that survive restarts: the same data directory or database each time. */
async function crashableTend(
  smtpPort: number,
  options: { playbook?: string; environment?: Record<string, string> } = {},
) {
  const { location, cleanup } = await freshLocation();
  cleanups.push(cleanup);
  const playbooks = mkdtempSync(join(tmpdir(), 'tend-crash-'));
  writeFileSync(join(playbooks, 'detractor-apology.yaml'), options.playbook ?? playbook);
  const environment = {
    ...(location.kind === 'postgres'
      ? { DATABASE_URL: location.url, TEND_DATA_DIR: '' }
      : { TEND_DATA_DIR: location.dataDirectory, DATABASE_URL: '' }),
    PORT: '0',
    HOST: '127.0.0.1',
    TEND_WRITE_KEY: writeKey,
    TEND_ADMIN_TOKEN: adminToken,
    TEND_CLOCK: 'manual',
    TEND_CLOCK_START: '2026-05-04T09:00:00Z',
    TEND_PLAYBOOKS: playbooks,
    TEND_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    TEND_PUBLIC_URL: 'http://127.0.0.1:9',
    TEND_EMAIL_FROM: 'Acme <success@acme.example>',
    TEND_LOG_LEVEL: 'error',
    ...options.environment,
  };
  let running: TendProcess | null = null;
  cleanups.push(async () => running && killTendProcess(running));
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, authorization = `Bearer ${adminToken}`) => {
    const response = await fetch(`${running!.url}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return JSON.parse(text);
  };
  return {
    start: async () => (running = await startTendProcess(environment)),
    kill: async () => running && killTendProcess(running),
    process: () => running!,
    advance: (by: string) => call('POST', '/api/v1/clock/advance', { by }),
    outbox: async () =>
      (await call('GET', '/api/v1/outbox')).messages as {
        id: string;
        status: string;
        reason: string | null;
        attempts: number;
      }[],
    resend: (id: string) => call('POST', `/api/v1/outbox/${id}/resend`, {}),
    /** The person and their account, before anything they say. */
    person: (userId: string) =>
      call(
        'POST',
        '/v1/batch',
        {
          batch: [
            {
              type: 'identify',
              userId,
              traits: { email: `${userId}@customer.example`, phone: '+15550100001', name: userId, timezone: 'UTC' },
            },
            { type: 'group', userId, groupId: `account-${userId}`, traits: { name: `Account ${userId}` } },
          ],
        },
        `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      ),
    /** A detractor answer from a new contact, which starts the playbook. */
    optInToTexts: (userId: string) =>
      call('POST', `/api/v1/contacts/${userId}/consents`, { channel: 'sms', status: 'opted-in' }),
    detractor: (userId: string) =>
      call(
        'POST',
        '/v1/batch',
        {
          batch: [
            {
              type: 'identify',
              userId,
              traits: { email: `${userId}@customer.example`, phone: '+15550100001', name: userId, timezone: 'UTC' },
            },
            { type: 'group', userId, groupId: `account-${userId}`, traits: { name: `Account ${userId}` } },
            { type: 'track', userId, event: 'Survey Answered', properties: { score: 2 } },
          ],
        },
        `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`,
      ),
  };
}

describe('killing the worker', () => {
  it('between writing the outbox row and sending: the restarted Tend sends the e-mail, exactly once', async () => {
    const smtpPort = await freePort();
    const tend = await crashableTend(smtpPort);
    await tend.start();
    await tend.detractor('carla');
    // The SMTP server is not up yet: the attempt fails before anything is handed over, and is kept for a retry.
    await tend.advance('PT1M');
    const [waiting] = await tend.outbox();
    expect(waiting!.status).toBe('pending');
    expect(waiting!.attempts).toBeGreaterThanOrEqual(1);
    expect(waiting!.reason).toMatch(/Could not reach the SMTP server/);
    await tend.kill();

    const smtp: TestSmtpServer = await startTestSmtpServer({ port: smtpPort });
    cleanups.push(smtp.close);
    await tend.start();
    await tend.advance('PT5M');
    expect(smtp.received.map((received) => received.recipients)).toEqual([['carla@customer.example']]);
    expect((await tend.outbox()).map((message) => message.status)).toEqual(['sent']);
    await tend.advance('P1D');
    expect(smtp.received).toHaveLength(1);
  });

  it('after the SMTP server has the e-mail but before Tend marked it sent: not sent again, recorded as unconfirmed', async () => {
    let tend: Awaited<ReturnType<typeof crashableTend>> | null = null;
    let killed = false;
    // The server takes the whole message, then the sender dies before it hears "250 OK".
    const smtp = await startTestSmtpServer({
      beforeAccepting: () => {
        if (killed) return;
        killed = true;
        tend!.process().child.kill('SIGKILL');
      },
    });
    cleanups.push(smtp.close);
    tend = await crashableTend(smtp.port);
    await tend.start();
    await tend.detractor('dora');
    await tend.advance('PT1M').catch(() => undefined); // the process dies while answering
    await new Promise<void>((resolve) =>
      tend!.process().child.exitCode !== null || tend!.process().child.signalCode !== null
        ? resolve()
        : tend!.process().child.once('close', () => resolve()),
    );
    expect(smtp.received).toHaveLength(1);

    await tend.start();
    await tend.advance('PT5M');
    await tend.advance('P1D');
    expect(smtp.received).toHaveLength(1);
    const [message] = await tend.outbox();
    expect(message!.status).toBe('unconfirmed');
    expect(message!.reason).toMatch(
      /stopped while the email provider had it; it may have gone out, so it is not sent again/,
    );
    // Only a person who checked that it did not arrive sends it again.
    await tend.resend(message!.id);
    await tend.advance('PT1M');
    expect(smtp.received).toHaveLength(2);
    expect((await tend.outbox())[0]).toMatchObject({ status: 'sent' });
  });

  it('after Twilio took a text and reported it delivered, but before Tend heard back: recorded as sent, not unconfirmed', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const sid = `AC${'1'.repeat(32)}`;
    const authToken = '2'.repeat(32);
    let tend: Awaited<ReturnType<typeof crashableTend>> | null = null;
    // Twilio's status callback can come before its answer reaches the sender: here it does, then the sender dies.
    const twilio = await startFakeTwilio({
      beforeAnswering: async (request, messageSid) => {
        const callback = request.form.StatusCallback!;
        const report = { MessageSid: messageSid, MessageStatus: 'delivered', To: request.form.To!, AccountSid: sid };
        const answer = await fetch(callback, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': twilioSignature(authToken, callback, report),
          },
          body: new URLSearchParams(report).toString(),
        });
        expect(answer.status).toBe(204);
        await tend!.kill();
      },
    });
    cleanups.push(twilio.close);
    const twilioSettings = {
      TEND_TWILIO_ACCOUNT_SID: sid,
      TEND_TWILIO_AUTH_TOKEN: authToken,
      TEND_TWILIO_FROM: '+15005550006',
      TEND_TWILIO_BASE_URL: twilio.url,
    };
    tend = await crashableTend(await freePort(), {
      playbook: textPlaybook,
      environment: { ...twilioSettings, PORT: String(port), TEND_PUBLIC_URL: publicUrl },
    });
    await tend.start();
    // Consent first: on PostgreSQL the engine may run the playbook's send as soon as the answer is in.
    await tend.person('ella');
    await tend.optInToTexts('ella');
    await tend.detractor('ella');
    await tend.advance('PT1M').catch(() => undefined); // the process dies while answering
    expect(twilio.requests).toHaveLength(1);

    await tend.start();
    await tend.advance('PT5M');
    await tend.advance('P1D');
    expect(twilio.requests).toHaveLength(1);
    const [message] = await tend.outbox();
    expect(message).toMatchObject({ status: 'sent' });
    expect(message!.reason).toMatch(/settled by the provider's report: delivered/);
  });

  it('while e-mails wait for a free SMTP connection: only those on a connection are left unconfirmed', async () => {
    let tend: Awaited<ReturnType<typeof crashableTend>> | null = null;
    let holding = true;
    let held = 0;
    // A slow server: every connection's first message waits at MAIL FROM; Tend opens at most 4 connections.
    const smtp = await startTestSmtpServer({
      beforeSender: async () => {
        if (!holding) return;
        held++;
        await new Promise(() => undefined);
      },
    });
    cleanups.push(smtp.close);
    tend = await crashableTend(smtp.port);
    await tend.start();
    for (const name of ['fay', 'gus', 'hal', 'ida', 'jon', 'kim']) await tend.detractor(name);
    void tend.advance('PT1M').catch(() => undefined);
    // How many go out at once depends on the dispatcher's rounds; never more than the 4 connections.
    await expect.poll(() => held, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    // Time for the others to be handed over too, if they were going to be.
    await new Promise((resume) => setTimeout(resume, 1_000));
    const onConnections = held;
    expect(onConnections).toBeLessThanOrEqual(4);
    await tend.kill();

    holding = false;
    await tend.start();
    await tend.advance('PT5M');
    await tend.advance('P1D');
    const statuses = (await tend.outbox()).map((message) => message.status);
    expect(statuses.filter((status) => status === 'unconfirmed')).toHaveLength(onConnections);
    expect(statuses.filter((status) => status === 'sent')).toHaveLength(6 - onConnections);
    expect(smtp.received).toHaveLength(6 - onConnections);
  });
});
