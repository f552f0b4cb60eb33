// The providers of the chaos run, each a real server in the benchmark's process: an SMTP server that
// records every message it accepts (the moment it had the whole message, Message-ID, recipient,
// subject, Reply-To, unsubscribe link, text), and an HTTP server that answers like Twilio's Messages
// API, records every text, and posts Twilio's signed status callback back to Tend.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';

export interface ReceivedEmail {
  /** Date.now() when the server had the whole message (before it answered 250). */
  readonly at: number;
  readonly messageId: string;
  readonly recipient: string;
  readonly subject: string;
  readonly replyTo: string | null;
  readonly unsubscribeUrl: string | null;
  readonly text: string;
  readonly links: readonly string[];
}

export interface ReceivedText {
  readonly at: number;
  readonly to: string;
  readonly body: string;
  /** The outbox row named in the status callback URL: Tend's key for the message (Twilio has none). */
  readonly outboxId: string | null;
  readonly sid: string;
}

export interface RecordingSmtpServer {
  readonly port: number;
  readonly received: ReceivedEmail[];
  onReceived: (email: ReceivedEmail) => void;
  close(): Promise<void>;
}

const httpLinks = (text: string): string[] => [...text.matchAll(/https?:\/\/[^\s<>")\]]+/g)].map((match) => match[0]);

export async function startRecordingSmtpServer(): Promise<RecordingSmtpServer> {
  const received: ReceivedEmail[] = [];
  const recording: RecordingSmtpServer = {
    port: 0,
    received,
    onReceived: () => undefined,
    close: () => Promise.resolve(),
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    // Tend keeps pooled connections open; without this, closing waits 30 s for them.
    closeTimeout: 200,
    logger: false,
    maxClients: 128,
    onData(stream, session, callback) {
      // The moment the last byte came in, not after parsing: the comparison with opt-outs is by time.
      let at = 0;
      stream.once('end', () => (at = Date.now()));
      simpleParser(stream).then(
        (mail) => {
          at ||= Date.now();
          const unsubscribe = String(mail.headers.get('list-unsubscribe') ?? '');
          const text = mail.text ?? '';
          for (const recipient of session.envelope.rcptTo) {
            const email: ReceivedEmail = {
              at,
              messageId: mail.messageId ?? '',
              recipient: recipient.address.toLowerCase(),
              subject: mail.subject ?? '',
              replyTo: mail.replyTo?.value[0]?.address ?? null,
              unsubscribeUrl: /<(https?:[^>]+)>/.exec(unsubscribe)?.[1] ?? null,
              text,
              links: httpLinks(text).filter((link) => link.includes('/l/')),
            };
            received.push(email);
            recording.onReceived(email);
          }
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return Object.assign(recording, {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((done) => server.close(() => done())),
  });
}

export interface FakeTwilio {
  readonly url: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly received: ReceivedText[];
  onReceived: (text: ReceivedText) => void;
  /** Status callbacks that Tend did not take within the retry window. */
  readonly lostCallbacks: () => number;
  /** Resolves once every status callback has been answered (or given up). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Answers POST /2010-04-01/Accounts/{sid}/Messages.json with 201 and a sid, then posts a signed
 * "delivered" callback to the StatusCallback URL, retrying while Tend is down (a minute at most).
 */
export async function startFakeTwilio(accountSid: string, authToken: string): Promise<FakeTwilio> {
  const received: ReceivedText[] = [];
  const pending = new Set<Promise<void>>();
  let lost = 0;
  let closed = false;
  const fake: FakeTwilio = {
    url: '',
    accountSid,
    authToken,
    received,
    onReceived: () => undefined,
    lostCallbacks: () => lost,
    settled: async () => {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    close: () => Promise.resolve(),
  };
  const callBack = async (callbackUrl: string, form: Record<string, string>): Promise<void> => {
    const signature = twilioSignature(authToken, callbackUrl, form);
    for (let attempt = 0; attempt < 120 && !closed; attempt++) {
      try {
        const answer = await fetch(callbackUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(20_000),
        });
        await answer.text();
        if (answer.status < 500) return;
      } catch {
        // Tend is down (killed) or restarting: try again shortly.
      }
      await new Promise((done) => setTimeout(done, 500));
    }
    lost++;
  };
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const at = Date.now();
      const expected = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
      const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
      if (request.method !== 'POST' || request.url !== expected || request.headers.authorization !== authorization) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ code: 20003, message: 'Authenticate' }));
        return;
      }
      const form = Object.fromEntries(new URLSearchParams(body));
      const sid = `SM${String(received.length + 1).padStart(32, '0')}`;
      const callbackUrl = form.StatusCallback ?? null;
      const outboxId = callbackUrl === null ? null : new URL(callbackUrl).searchParams.get('outbox');
      const text: ReceivedText = { at, to: form.To ?? '', body: form.Body ?? '', outboxId, sid };
      received.push(text);
      fake.onReceived(text);
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From }));
      if (callbackUrl !== null) {
        const parties = { To: form.To ?? '', From: form.From ?? '', AccountSid: accountSid };
        const report = { MessageSid: sid, SmsSid: sid, MessageStatus: 'delivered', ...parties };
        const callback = callBack(callbackUrl, report);
        pending.add(callback);
        void callback.finally(() => pending.delete(callback));
      }
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      closed = true;
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  });
}
