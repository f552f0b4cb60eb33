import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type OutboundSms } from './channel-messages.js';
import { createTwilioSmsSender } from './twilio-sms.js';

interface TwilioRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly form: URLSearchParams;
}

type Answer = (request: TwilioRequest) => { status: number; body: unknown; headers?: Record<string, string> };

/** A local HTTP server playing Twilio's Messages API: it keeps each request and answers as told. */
async function startFakeTwilio(answer: Answer) {
  const requests: TwilioRequest[] = [];
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request: TwilioRequest = {
        method: incoming.method,
        path: incoming.url,
        authorization: incoming.headers.authorization,
        contentType: incoming.headers['content-type'],
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      };
      requests.push(request);
      const { status, body, headers = {} } = answer(request);
      outgoing.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { baseUrl, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const accountSid = 'AC0123456789abcdef0123456789abcdef';
const authToken = 'f00dfeedf00dfeedf00dfeedf00dfeed';
const sms: OutboundSms = {
  idempotencyKey: 'run-9/step-1/contact-3',
  to: '+41791234567',
  from: '+15005550006',
  body: 'Hallo Anna, können wir helfen? Antworten Sie STOP zum Abmelden.',
  statusCallbackUrl: 'https://tend.acme.example/api/v1/channels/twilio/status',
};

/** Twilio-like error bodies, as its API returns them. */
const twilioError = (status: number, code: number, message: string) => ({
  status,
  body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
});

describe('sending SMS through Twilio', () => {
  it('posts the documented form to the Messages resource with Basic auth and returns the sid and status', async () => {
    const twilio = await startFakeTwilio((request) => ({
      status: 201,
      body: {
        sid: `SM${'a'.repeat(32)}`,
        status: 'queued',
        to: request.form.get('To'),
        body: request.form.get('Body'),
      },
    }));
    cleanups.push(twilio.close);
    const sender = createTwilioSmsSender({ accountSid, authToken, baseUrl: `${twilio.baseUrl}/` });

    const result = await sender.send(sms);

    expect(result).toEqual({ providerMessageId: `SM${'a'.repeat(32)}`, status: 'queued' });
    expect(twilio.requests).toHaveLength(1);
    const request = twilio.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(request.contentType).toBe('application/x-www-form-urlencoded');
    const [scheme, credentials] = (request.authorization ?? '').split(' ');
    expect(scheme).toBe('Basic');
    expect(Buffer.from(credentials ?? '', 'base64').toString('utf8')).toBe(`${accountSid}:${authToken}`);
    expect(Object.fromEntries(request.form)).toEqual({
      To: '+41791234567',
      From: '+15005550006',
      Body: 'Hallo Anna, können wir helfen? Antworten Sie STOP zum Abmelden.',
      StatusCallback: 'https://tend.acme.example/api/v1/channels/twilio/status',
    });
  });

  it('sends through a messaging service when the sender is an MG sid', async () => {
    const twilio = await startFakeTwilio(() => ({ status: 201, body: { sid: 'SM1', status: 'accepted' } }));
    cleanups.push(twilio.close);
    const sender = createTwilioSmsSender({ accountSid, authToken, baseUrl: twilio.baseUrl });
    const service = `MG${'0'.repeat(32)}`;
    await sender.send({ ...sms, from: service, statusCallbackUrl: undefined });
    expect(Object.fromEntries(twilio.requests[0]!.form)).toEqual({
      To: sms.to,
      MessagingServiceSid: service,
      Body: sms.body,
    });
  });

  it(
    'treats 429 and 5xx as retryable, ' + 'and refused credentials, bad senders and opted-out recipients as final',
    async () => {
      const answers = [
        { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'retry-after': '7' } },
        twilioError(503, 20503, 'Service Unavailable'),
        twilioError(401, 20003, 'Authenticate'),
        twilioError(400, 21606, "The 'From' phone number provided is not a valid message-capable Twilio phone number"),
        twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
        twilioError(400, 21211, "The 'To' number is not a valid phone number"),
      ];
      const twilio = await startFakeTwilio(() => answers.shift()!);
      cleanups.push(twilio.close);
      const sender = createTwilioSmsSender({ accountSid, authToken, baseUrl: twilio.baseUrl });
      const outcomes: ChannelError[] = [];
      for (let attempt = 0; attempt < 6; attempt += 1) {
        const error = await sender.send(sms).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ChannelError);
        outcomes.push(error as ChannelError);
      }
      expect(outcomes.map(({ failure, retryable }) => [failure, retryable])).toEqual([
        ['rate-limited', true],
        ['provider-error', true],
        ['misconfigured', false],
        ['misconfigured', false],
        ['recipient-opted-out', false],
        ['rejected', false],
      ]);
      // Its Retry-After holds the whole channel back that long (see SendPace).
      expect(outcomes.map((error) => error.retryAfterMs).slice(0, 2)).toEqual([7_000, null]);
      expect(outcomes[2]!.message).toMatch(/error 20003.*check TEND_TWILIO_ACCOUNT_SID and TEND_TWILIO_AUTH_TOKEN/);
      expect(outcomes[3]!.message).toMatch(/"\+15005550006".*error 21606.*check TEND_TWILIO_FROM/);
      expect(outcomes[5]!.message).toMatch(/error 21211: The 'To' number is not a valid phone number/);
      expect(outcomes.every((error) => !error.message.includes(authToken))).toBe(true);
      expect(twilio.requests).toHaveLength(6);
    },
  );

  it('treats an unreachable API as retryable, naming TEND_TWILIO_BASE_URL', async () => {
    const twilio = await startFakeTwilio(() => ({ status: 500, body: {} }));
    await twilio.close();
    const sender = createTwilioSmsSender({ accountSid, authToken, baseUrl: twilio.baseUrl });
    const error = await sender.send(sms).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ failure: 'unreachable', retryable: true });
    expect((error as Error).message).toMatch(/TEND_TWILIO_BASE_URL/);
  });
});
