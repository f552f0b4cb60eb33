// Real servers that play the providers in tests: an SMTP server (smtp-server) that keeps what it
// receives, and an HTTP server that answers like Twilio's Messages API and checks the request format.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  readonly from: string | undefined;
  readonly recipients: string[];
  readonly mail: ParsedMail;
}

export interface TestSmtpServer {
  readonly port: number;
  readonly received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * An SMTP server on a free loopback port (or `port`). `beforeAccepting` runs once the whole message
 * is in, before the server answers 250: a test can kill the sender there, so that the server has the
 * message and the sender never learns it. With `password`, the sender must log in as "tend".
 * `beforeSender` runs at MAIL FROM and holds the conversation until it resolves.
 */
export async function startTestSmtpServer(
  options: {
    port?: number;
    beforeAccepting?: (mail: ParsedMail) => void;
    password?: string;
    beforeSender?: () => Promise<void>;
  } = {},
): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  // With a password, user "tend" must log in (in plain text: the server is on this machine).
  const authentication: SMTPServerOptions =
    options.password === undefined
      ? { disabledCommands: ['STARTTLS', 'AUTH'] }
      : {
          disabledCommands: ['STARTTLS'],
          allowInsecureAuth: true,
          onAuth: (auth, _session, done) => {
            if (auth.username === 'tend' && auth.password === options.password) done(null, { user: 'tend' });
            else done(new Error('Invalid username or password'));
          },
        };
  const server = new SMTPServer({
    ...authentication,
    // A sender's pooled connection stays open; closing waits at most this long for it (default 30 s).
    closeTimeout: 200,
    logger: false,
    // A slow provider: the message is handed over and the conversation begun, the server not yet answering.
    onMailFrom(_address, _session, callback) {
      (options.beforeSender ?? (async () => undefined))().then(() => callback(), callback);
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            mail,
          });
          options.beforeAccepting?.(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface TwilioRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  readonly form: Record<string, string>;
}

export interface FakeTwilio {
  readonly url: string;
  readonly requests: TwilioRequest[];
  close(): Promise<void>;
}

/**
 * Answers POST /2010-04-01/Accounts/{sid}/Messages.json like Twilio: 201 with a message sid.
 * `beforeAnswering` runs once the message is taken, before the answer: a test can call back or kill
 * the sender there, so that Twilio has the message and the sender never hears its answer.
 */
export async function startFakeTwilio(
  options: { beforeAnswering?: (request: TwilioRequest, sid: string) => Promise<void> } = {},
): Promise<FakeTwilio> {
  const requests: TwilioRequest[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', async () => {
      const form = Object.fromEntries(new URLSearchParams(body));
      const received = {
        path: request.url ?? '',
        authorization: request.headers.authorization,
        contentType: request.headers['content-type'],
        form,
      };
      requests.push(received);
      const sid = `SM${String(requests.length).padStart(32, '0')}`;
      await options.beforeAnswering?.(received, sid);
      if (response.destroyed) return;
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ sid, status: 'queued', to: form.To, from: form.From }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
