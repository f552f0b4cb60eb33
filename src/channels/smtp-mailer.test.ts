import { type AddressInfo, createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { ChannelError, type OutboundEmail } from './channel-messages.js';
import { renderMessage } from './message-templates.js';
import { createSmtpMailer, deterministicMessageId, type SmtpMailer } from './smtp-mailer.js';
import { readSmtpUrl, smtpTransportSecurity } from './smtp-url.js';

interface Received {
  readonly from: string | undefined;
  readonly recipients: string[];
  readonly mail: ParsedMail;
}

/** A real SMTP server on a free port (of the loopback, or of `host`) that keeps what it receives. */
async function startSmtpServer(options: Partial<SMTPServerOptions> = {}, host = '127.0.0.1') {
  const received: Received[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'tend' && auth.password === 's3cret:pass') callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom === false ? undefined : session.envelope.mailFrom.address,
            recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
            mail,
          });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
    ...options,
  });
  // A client that hangs up mid-handshake is the client's failure, which the tests check on the client side.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { server, port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function mailerFor(url: string, allowPlaintext = false): Promise<SmtpMailer> {
  const mailer = createSmtpMailer({ smtpUrl: url, timeoutMs: 5_000, allowPlaintext });
  cleanups.push(() => mailer.close());
  return mailer;
}

function email(overrides: Partial<OutboundEmail> = {}): OutboundEmail {
  return {
    idempotencyKey: 'run-7f3a/step-2/contact-42',
    to: { address: 'anna@customer.example', name: 'Anna Muster' },
    from: 'Acme Support <support@acme.example>',
    replyTo: 'reply+7f3a@replies.acme.example',
    subject: 'Können wir helfen?',
    text: 'Hallo Anna',
    unsubscribeUrl: 'https://tend.acme.example/u/7f3a?sig=abc',
    unsubscribeMailto: 'unsubscribe+7f3a@replies.acme.example',
    ...overrides,
  };
}

function header(mail: ParsedMail, name: string): string | undefined {
  return mail.headerLines
    .find((line) => line.key === name.toLowerCase())
    ?.line.replace(/^[^:]+:\s*/, '')
    .replace(/\r?\n\s+/g, ' ');
}

describe('sending e-mail over SMTP', () => {
  it(
    'delivers once, with a deterministic Message-ID, Reply-To, ' +
      'one-click unsubscribe, a text part and HTML from MJML',
    async () => {
      const smtp = await startSmtpServer();
      cleanups.push(smtp.close);
      const mailer = await mailerFor(`smtp://tend:${encodeURIComponent('s3cret:pass')}@127.0.0.1:${smtp.port}`);
      const rendered = await renderMessage(
        {
          key: 'late-payment',
          variants: {
            de: {
              empathetic: {
                subject: 'Können wir helfen, {{ name }}?',
                mjml:
                  '<mjml><mj-body><mj-section><mj-column>' +
                  '<mj-text>Hallo {{ name }}, wir finden eine Lösung.</mj-text>' +
                  '</mj-column></mj-section></mj-body></mjml>',
              },
            },
          },
        },
        { language: 'de-CH', paymentTrouble: true, variables: { name: 'Anna' } },
      );
      const outbound = email({
        subject: rendered.subject,
        text: rendered.text,
        html: rendered.html ?? undefined,
        headers: { 'X-Tend-Playbook': 'late-payment' },
      });

      const result = await mailer.send(outbound);

      expect(smtp.received).toHaveLength(1);
      const { mail, from, recipients } = smtp.received[0]!;
      expect(from).toBe('support@acme.example');
      expect(recipients).toEqual(['anna@customer.example']);
      expect(mail.messageId).toBe(result.providerMessageId);
      expect(mail.messageId).toBe(deterministicMessageId(outbound.idempotencyKey, 'acme.example'));
      expect(mail.messageId).toMatch(/^<tend\.[0-9a-f]{40}@acme\.example>$/);
      expect(mail.replyTo?.value).toEqual([{ address: 'reply+7f3a@replies.acme.example', name: '' }]);
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : null).toEqual([
        { address: 'anna@customer.example', name: 'Anna Muster' },
      ]);
      expect(mail.subject).toBe('Können wir helfen, Anna?');
      expect(header(mail, 'List-Unsubscribe')).toBe(
        '<https://tend.acme.example/u/7f3a?sig=abc>, <mailto:unsubscribe+7f3a@replies.acme.example>',
      );
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(header(mail, 'X-Tend-Playbook')).toBe('late-payment');
      expect(mail.text?.trim()).toBe('Hallo Anna, wir finden eine Lösung.');
      expect(mail.html).toContain('Hallo Anna, wir finden eine Lösung.');
      expect(mail.html).toContain('<!doctype html>');
    },
  );

  it('sends a message with a thread address from its own return path (VERP), and takes one given', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://tend:${encodeURIComponent('s3cret:pass')}@127.0.0.1:${smtp.port}`);
    const thread = 'reply+0190aa00bb117c228d33ee44ff556677@replies.acme.example';
    await mailer.send(email({ replyTo: `Acme <${thread}>` }));
    await mailer.send(email({ idempotencyKey: 'another', returnPath: 'bounces@acme.example' }));
    expect(smtp.received.map((received) => received.from)).toEqual([
      'bounce+0190aa00bb117c228d33ee44ff556677@replies.acme.example',
      'bounces@acme.example',
    ]);
    expect(smtp.received[0]!.recipients).toEqual(['anna@customer.example']);
    expect(header(smtp.received[0]!.mail, 'from')).toBe('Acme Support <support@acme.example>');
  });

  it('gives a retried send the same Message-ID and another message a different one', async () => {
    const smtp = await startSmtpServer({ authOptional: true });
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://127.0.0.1:${smtp.port}`);
    await mailer.send(email());
    await mailer.send(email());
    await mailer.send(email({ idempotencyKey: 'run-7f3a/step-3/contact-42' }));
    const ids = smtp.received.map((received) => received.mail.messageId);
    expect(ids).toHaveLength(3);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(smtp.received[0]!.mail.html).toBe(false);
    expect(smtp.received[0]!.mail.text?.trim()).toBe('Hallo Anna');
  });

  it('answers in a thread with In-Reply-To and References, and refuses what is no Message-ID', async () => {
    const smtp = await startSmtpServer({ authOptional: true });
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://127.0.0.1:${smtp.port}`);
    await mailer.send(email({ inReplyTo: '<a1@kunde.example>', references: '<t0@acme.example> <a1@kunde.example>' }));
    const { mail } = smtp.received[0]!;
    expect(mail.inReplyTo).toBe('<a1@kunde.example>');
    expect(mail.references).toEqual(['<t0@acme.example>', '<a1@kunde.example>']);
    for (const wrong of [{ inReplyTo: 'a1@kunde.example' }, { references: '<a@b>\r\nBcc: x@y' }]) {
      const refused = await mailer.send(email(wrong)).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ChannelError);
      expect((refused as ChannelError).failure).toBe('invalid-message');
    }
    expect(smtp.received).toHaveLength(1);
  });

  it('reports failed authentication as a permanent error naming TEND_SMTP_URL', async () => {
    const smtp = await startSmtpServer();
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://tend:wrong@127.0.0.1:${smtp.port}`);
    const error = await mailer.send(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ channel: 'email', failure: 'misconfigured', retryable: false });
    expect((error as Error).message).toMatch(/SMTP auth failed .*check TEND_SMTP_URL's user and password/);
    expect((error as Error).message).not.toContain('wrong');
    expect(smtp.received).toHaveLength(0);
  });

  it('retries a 4xx deferral and gives up on a 5xx refusal', async () => {
    const smtp = await startSmtpServer({
      authOptional: true,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('busy'))
          callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
        else if (address.address.startsWith('gone'))
          callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
        else callback();
      },
    });
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://127.0.0.1:${smtp.port}`);
    await expect(mailer.send(email({ to: { address: 'busy@customer.example' } }))).rejects.toMatchObject({
      retryable: true,
      failure: 'provider-error',
    });
    const refused = await mailer
      .send(email({ to: { address: 'gone@customer.example' } }))
      .catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ retryable: false, failure: 'rejected' });
    expect((refused as Error).message).toMatch(/refused the sender or recipient.*550/);
    expect(smtp.received).toHaveLength(0);
  });

  it('treats an unreachable server as retryable', async () => {
    const smtp = await startSmtpServer({ authOptional: true });
    const port = smtp.port;
    await smtp.close();
    const mailer = await mailerFor(`smtp://127.0.0.1:${port}`);
    const error = await mailer.send(email()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ failure: 'unreachable', retryable: true });
    expect((error as Error).message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*TEND_SMTP_URL's host and port`));
  });

  it(
    'does not retry a message whose connection broke after the server had it all (before its 250): ' +
      'the outcome is unknown',
    async () => {
      // A minimal SMTP server that takes the whole message, then hangs up instead of answering "250".
      let messages = 0;
      const server = createServer((socket) => {
        let buffered = '';
        let inData = false;
        socket.write('220 test ESMTP\r\n');
        socket.on('data', (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          for (;;) {
            if (inData) {
              const end = buffered.indexOf('\r\n.\r\n');
              if (end < 0) return;
              messages++;
              socket.destroy();
              return;
            }
            const newline = buffered.indexOf('\r\n');
            if (newline < 0) return;
            const line = buffered.slice(0, newline).toUpperCase();
            buffered = buffered.slice(newline + 2);
            if (line.startsWith('EHLO') || line.startsWith('HELO')) socket.write('250 test\r\n');
            else if (line === 'DATA') {
              inData = true;
              socket.write('354 go ahead\r\n');
            } else socket.write('250 OK\r\n');
          }
        });
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      const mailer = await mailerFor(`smtp://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const error = await mailer.send(email()).catch((caught: unknown) => caught);
      expect(messages).toBe(1);
      expect(error).toMatchObject({ failure: 'unreachable', retryable: false, outcomeUnknown: true });
      expect((error as Error).message).toMatch(/may have taken the message, so it is not sent again/);
    },
  );

  it(
    'speaks TLS from the first byte for smtps://, ' +
      'and names the TLS problem when the certificate or scheme is wrong',
    async () => {
      // smtp-server's built-in certificate is self-signed (and expired): fine for a development relay only.
      const smtps = await startSmtpServer({ secure: true, authOptional: true });
      cleanups.push(smtps.close);
      const trusting = createSmtpMailer({
        smtpUrl: `smtps://127.0.0.1:${smtps.port}`,
        acceptSelfSignedCertificate: true,
        timeoutMs: 5_000,
      });
      cleanups.push(() => trusting.close());
      await trusting.send(email());
      expect(smtps.received).toHaveLength(1);
      expect(smtps.received[0]!.mail.messageId).toBe(deterministicMessageId(email().idempotencyKey, 'acme.example'));

      const strict = await mailerFor(`smtps://127.0.0.1:${smtps.port}`);
      await expect(strict.send(email())).rejects.toMatchObject({
        failure: 'misconfigured',
        retryable: false,
        message: expect.stringMatching(
          /TLS .*certificate is not trusted \(certificate has expired\).*TEND_SMTP_URL's host/,
        ),
      });

      const plain = await startSmtpServer({ authOptional: true });
      cleanups.push(plain.close);
      const wrongScheme = await mailerFor(`smtps://127.0.0.1:${plain.port}`);
      await expect(wrongScheme.send(email())).rejects.toMatchObject({
        failure: 'misconfigured',
        message: expect.stringMatching(/wrong version number.*smtps:\/\/ for port 465/),
      });
      expect(smtps.received).toHaveLength(1);
      expect(plain.received).toHaveLength(0);
    },
  );

  it('refuses a no-reply Reply-To and a non-https unsubscribe URL before connecting', async () => {
    const smtp = await startSmtpServer({ authOptional: true });
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://127.0.0.1:${smtp.port}`);
    for (const replyTo of [
      'no-reply@acme.example',
      'Acme <noreply@acme.example>',
      'do_not_reply@acme.example',
      'DoNotReply@acme.example',
    ]) {
      await expect(mailer.send(email({ replyTo }))).rejects.toThrow(/no-reply address/);
    }
    await expect(mailer.send(email({ replyTo: 'replies@acme.example' }))).resolves.toBeDefined();
    await expect(mailer.send(email({ unsubscribeUrl: 'http://tend.acme.example/u/1' }))).rejects.toThrow(/https/);
    await expect(mailer.send(email({ headers: { 'Reply-To': 'x@y.example' } }))).rejects.toThrow(/set by Tend/);
    expect(smtp.received).toHaveLength(1);
  });

  it('refuses a malformed TEND_SMTP_URL at construction', () => {
    expect(() => createSmtpMailer({ smtpUrl: 'http://mail.example.com' })).toThrow(
      /TEND_SMTP_URL must start with smtp:\/\/ or smtps:\/\//,
    );
    expect(() => createSmtpMailer({ smtpUrl: 'smtp://user@mail.example.com' })).toThrow(
      /TEND_SMTP_URL names user "user" but no password/,
    );
  });
});

describe('TLS to a server off this machine', () => {
  const security = (url: string, allowPlaintext = false) => {
    const reading = readSmtpUrl(url);
    if (reading.kind !== 'valid') throw new Error(reading.problem);
    return smtpTransportSecurity(reading.server, allowPlaintext);
  };

  it('is required for smtp:// unless the host is this machine or TEND_SMTP_ALLOW_PLAINTEXT allows plain text', () => {
    expect(security('smtps://mail.acme.example')).toEqual({ kind: 'implicit-tls' });
    expect(security('smtp://mail.acme.example')).toEqual({ kind: 'starttls-required' });
    expect(security('smtp://192.0.2.7:25')).toEqual({ kind: 'starttls-required' });
    const allowed = { kind: 'plaintext-allowed', because: 'TEND_SMTP_ALLOW_PLAINTEXT' };
    expect(security('smtp://mail.acme.example', true)).toEqual(allowed);
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) {
      expect(security(`smtp://${host}:2525`)).toEqual({ kind: 'plaintext-allowed', because: 'loopback' });
    }
  });

  // A real server without STARTTLS on this machine's own network address, which is not loopback.
  const addresses = Object.values(networkInterfaces()).flat();
  const networkAddress = addresses.find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  const login = `tend:${encodeURIComponent('s3cret:pass')}`;

  const onNetwork = it.skipIf(networkAddress === undefined);

  onNetwork('refuses a server without STARTTLS before the password is sent, naming the setting', async () => {
    let logins = 0;
    const onAuth: SMTPServerOptions['onAuth'] = (auth, _session, callback) => {
      logins++;
      callback(null, { user: auth.username });
    };
    const smtp = await startSmtpServer({ onAuth }, networkAddress);
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://${login}@${networkAddress}:${smtp.port}`);
    const error = await mailer.send(email()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ channel: 'email', failure: 'misconfigured', retryable: false });
    expect((error as Error).message).toMatch(/offers no STARTTLS.*no password or message unencrypted/);
    expect((error as Error).message).toMatch(/TEND_SMTP_ALLOW_PLAINTEXT=1/);
    expect(logins).toBe(0);
    expect(smtp.received).toHaveLength(0);
  });

  onNetwork('sends there in plain text when TEND_SMTP_ALLOW_PLAINTEXT allows it', async () => {
    const smtp = await startSmtpServer({}, networkAddress);
    cleanups.push(smtp.close);
    const mailer = await mailerFor(`smtp://${login}@${networkAddress}:${smtp.port}`, true);
    await mailer.send(email());
    expect(smtp.received).toHaveLength(1);
  });
});
