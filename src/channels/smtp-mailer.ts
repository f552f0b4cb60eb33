// Sends e-mail over SMTP with nodemailer. Every message gets a Message-ID derived from its
// idempotency key (a retried send is recognisably the same message), a real Reply-To, one-click
// unsubscribe headers (RFC 8058), a text part always, HTML when given, and its own return path on the
// reply domain (VERP) when it has a thread address, so that a bounce names the message it is about; a
// reply in a thread gets In-Reply-To and References.
import { createHash } from 'node:crypto';
import { Socket } from 'node:net';
import nodemailer from 'nodemailer';
import { TendError } from '../domain/errors.js';
import {
  ChannelError,
  type Mailer,
  type OutboundEmail,
  type StaffEmail,
  type StaffMailer,
} from './channel-messages.js';
import {
  addressDomain,
  bounceAddress,
  isEmailAddress,
  isNoReplyAddress,
  outboxIdOfReplyAddress,
  parseMailbox,
} from './email-address.js';
import { readSmtpUrl, type SmtpServer, smtpTransportSecurity } from './smtp-url.js';

export interface SmtpMailerOptions {
  /** The value of TEND_SMTP_URL. */
  readonly smtpUrl: string;
  /** Give up on a silent server after this long (default 30 s). */
  readonly timeoutMs?: number;
  /** Development only: accept a self-signed certificate. */
  readonly acceptSelfSignedCertificate?: boolean;
  /** TEND_SMTP_ALLOW_PLAINTEXT: a server off this machine that offers no STARTTLS is used unencrypted. */
  readonly allowPlaintext?: boolean;
}

export interface SmtpMailer extends Mailer, StaffMailer {
  /** Closes the pooled connections; call once at shutdown. */
  close(): void;
}

const headersTendSets = new Set([
  'message-id',
  'from',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'in-reply-to',
  'references',
]);

/** Opens a pooled SMTP connection set from TEND_SMTP_URL; refuses a malformed URL at once. */
export function createSmtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const reading = readSmtpUrl(options.smtpUrl);
  if (reading.kind === 'invalid') {
    throw new TendError('invalid_configuration', reading.problem, [
      { field: 'TEND_SMTP_URL', message: reading.problem },
    ]);
  }
  const server = reading.server;
  const security = smtpTransportSecurity(server, options.allowPlaintext ?? false);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const connections = 4;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: connections,
    host: server.host,
    port: server.port,
    secure: server.secure,
    // Without it nodemailer falls back to plain text when the server offers no STARTTLS.
    requireTLS: security.kind === 'starttls-required',
    ...(server.auth ? { auth: { user: server.auth.user, pass: server.auth.password } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
    // Nagle's algorithm with the server's delayed ACK stalls every message on a pooled connection
    // (docs/benchmarks/2026-11-30-journeys.md, "Sending is capped"). nodemailer has no option for it, so
    // plain connections (smtp://, STARTTLS upgrades them in place) are made here, with TCP_NODELAY.
    getSocket: (_settings: unknown, done: (error: Error | null, socket: { socket: Socket } | false) => void) => {
      if (server.secure) return done(null, false);
      const socket = new Socket();
      socket.once('connect', () => socket.setNoDelay(true));
      done(null, { socket });
    },
    ...(options.acceptSelfSignedCertificate ? { tls: { rejectUnauthorized: false } } : {}),
  });
  return {
    connections,
    async send(email) {
      const message = smtpMessage(email);
      try {
        await transport.sendMail(message);
      } catch (error) {
        throw smtpChannelError(error, server);
      }
      return { providerMessageId: message.messageId };
    },
    async sendToStaff(email) {
      const message = staffMessage(email);
      try {
        await transport.sendMail(message);
      } catch (error) {
        throw smtpChannelError(error, server);
      }
      return { providerMessageId: message.messageId };
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The Message-ID for an idempotency key: the same key always yields the same id, so a receiver (and
 * our own reply matching) sees a retried send as the same message.
 */
export function deterministicMessageId(idempotencyKey: string, domain: string): string {
  const digest = createHash('sha256').update(idempotencyKey, 'utf8').digest('hex').slice(0, 40);
  return `<tend.${digest}@${domain.toLowerCase()}>`;
}

function smtpMessage(email: OutboundEmail) {
  const problem = (what: string) =>
    new ChannelError('email', 'invalid-message', false, `E-mail ${email.idempotencyKey}: ${what}`);
  const from = parseMailbox(email.from);
  if (!from)
    throw problem(
      `the sender "${email.from}" is not an e-mail address (check TEND_EMAIL_FROM, e.g. "Acme <hello@acme.com>")`,
    );
  if (!isEmailAddress(email.to.address)) throw problem(`the recipient "${email.to.address}" is not an e-mail address`);
  const replyTo = parseMailbox(email.replyTo);
  if (!replyTo) throw problem(`the Reply-To "${email.replyTo}" is not an e-mail address`);
  if (isNoReplyAddress(replyTo.address)) {
    throw problem(
      `the Reply-To "${replyTo.address}" is a no-reply address; Tend's messages must be answerable: ` +
        'use a real mailbox, e.g. on TEND_REPLY_DOMAIN',
    );
  }
  if (/[\r\n]/.test(email.subject)) throw problem('the subject contains a line break');
  if (email.text.trim() === '') throw problem('the text part is empty; every e-mail needs one');
  const unsubscribe = [`<${httpsUnsubscribeUrl(email.unsubscribeUrl, problem)}>`];
  if (email.unsubscribeMailto !== undefined)
    unsubscribe.push(`<${unsubscribeMailto(email.unsubscribeMailto, problem)}>`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(email.headers ?? {})) {
    if (!/^[A-Za-z0-9-]+$/.test(name)) throw problem(`the header name "${name}" is not a valid header name`);
    if (headersTendSets.has(name.toLowerCase()))
      throw problem(`the header ${name} is set by Tend itself and cannot be overridden`);
    if (/[\r\n]/.test(value)) throw problem(`the header ${name} contains a line break`);
    headers[name] = value;
  }
  const thread = threadHeaders(email, problem);
  headers['List-Unsubscribe'] = unsubscribe.join(', ');
  headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  const returnPath = email.returnPath ?? ownReturnPath(replyTo.address);
  if (returnPath !== null && !isEmailAddress(returnPath))
    throw problem(`the return path "${returnPath}" is not an e-mail address`);
  return {
    ...(returnPath === null ? {} : { envelope: { from: returnPath, to: [email.to.address] } }),
    messageId: deterministicMessageId(email.idempotencyKey, addressDomain(from.address)),
    from: from.name === undefined ? from.address : { name: from.name, address: from.address },
    to: email.to.name === undefined ? email.to.address : { name: email.to.name, address: email.to.address },
    replyTo: replyTo.name === undefined ? replyTo.address : { name: replyTo.name, address: replyTo.address },
    subject: email.subject,
    text: email.text,
    ...(email.html === undefined ? {} : { html: email.html }),
    ...thread,
    headers,
  };
}

/** A thread address's return path (`reply+{id}@domain` → `bounce+{id}@domain`); null for any other Reply-To. */
function ownReturnPath(replyTo: string): string | null {
  const outboxId = outboxIdOfReplyAddress(replyTo);
  return outboxId === null ? null : bounceAddress(outboxId, addressDomain(replyTo));
}

/** One or more Message-IDs (`<a@b>`), nothing else: they come from customers' mail. */
const messageIdList = /^<[^<>\s]{1,900}>( <[^<>\s]{1,900}>){0,99}$/;

/** In-Reply-To and References of a reply in a thread (RFC 5322), checked; none for other messages. */
function threadHeaders(email: OutboundEmail, problem: (what: string) => Error) {
  const headers: { inReplyTo?: string; references?: string } = {};
  if (email.inReplyTo !== undefined) {
    if (!messageIdList.test(email.inReplyTo) || email.inReplyTo.includes('> <'))
      throw problem(`In-Reply-To "${email.inReplyTo}" is not one Message-ID such as <id@host>`);
    headers.inReplyTo = email.inReplyTo;
  }
  if (email.references !== undefined) {
    if (!messageIdList.test(email.references))
      throw problem(`References "${email.references}" is not a list of Message-IDs such as <id@host>`);
    headers.references = email.references;
  }
  return headers;
}

/** A staff e-mail (an invitation, a notice): no unsubscribe headers, since it is no customer message. */
function staffMessage(email: StaffEmail) {
  const problem = (what: string) => new ChannelError('email', 'invalid-message', false, `The e-mail: ${what}`);
  const from = parseMailbox(email.from);
  if (!from) throw problem(`the sender "${email.from}" is not an e-mail address (check TEND_EMAIL_FROM)`);
  if (!isEmailAddress(email.to.address)) throw problem(`the recipient "${email.to.address}" is not an e-mail address`);
  const replyTo = email.replyTo === undefined ? null : parseMailbox(email.replyTo);
  if (/[\r\n]/.test(email.subject)) throw problem('the subject contains a line break');
  const mailbox = (box: { name?: string; address: string }) =>
    box.name === undefined ? box.address : { name: box.name, address: box.address };
  return {
    messageId: deterministicMessageId(email.idempotencyKey, addressDomain(from.address)),
    from: mailbox(from),
    to: mailbox(email.to),
    ...(replyTo === null ? {} : { replyTo: mailbox(replyTo) }),
    subject: email.subject,
    text: email.text,
    ...(email.html === undefined ? {} : { html: email.html }),
  };
}

function httpsUnsubscribeUrl(value: string, problem: (what: string) => Error): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw problem(`the unsubscribe URL "${value}" is not a URL`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw problem(
      `the unsubscribe URL must be https:// (RFC 8058), not "${url.protocol}//"; ` +
        'plain http is accepted for localhost only',
    );
  }
  return url.href;
}

function unsubscribeMailto(value: string, problem: (what: string) => Error): string {
  const uri = value.startsWith('mailto:') ? value : `mailto:${value}`;
  const address = decodeURIComponent(uri.slice('mailto:'.length).split('?')[0] ?? '');
  if (!isEmailAddress(address) || /[\s<>]/.test(uri))
    throw problem(`the unsubscribe mailto "${value}" is not a mailto: address`);
  return uri;
}

interface NodemailerFailure {
  code?: string;
  /** The SMTP command in progress when it failed ('CONN', 'MAIL FROM', 'RCPT TO', 'DATA', …). */
  command?: string;
  /** Kept from Node's socket error: 'connect' when the connection itself failed. */
  syscall?: string;
  errno?: number | string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Sorts an SMTP failure into retry-later (4xx replies, network) or give-up (5xx, auth, TLS). */
function smtpChannelError(error: unknown, server: SmtpServer): ChannelError {
  const failure = (typeof error === 'object' && error !== null ? error : {}) as NodemailerFailure;
  const where = `${server.host}:${server.port}`;
  const said = (failure.response ?? failure.message ?? String(error)).replace(/\s+/g, ' ').trim();
  const options = { cause: error };
  if (failure.code === 'EAUTH' || failure.code === 'ENOAUTH') {
    return new ChannelError(
      'email',
      'misconfigured',
      false,
      `SMTP auth failed at ${where} (${said}): check TEND_SMTP_URL's user and password`,
      options,
    );
  }
  if (/certificate|self[- ]signed|unable to verify/i.test(failure.message ?? '')) {
    return new ChannelError(
      'email',
      'misconfigured',
      false,
      `TLS with the SMTP server ${where} failed: its certificate is not trusted (${said}); ` +
        `fix the server's certificate, or check that TEND_SMTP_URL's host is the name on it`,
      options,
    );
  }
  // requireTLS with a server that offers no STARTTLS (smtp:// to a host off this machine).
  if (failure.code === 'ETLS' && failure.command === 'STARTTLS' && /upgrading/i.test(failure.message ?? '')) {
    const fix = 'use smtps://, enable STARTTLS on the server, or set TEND_SMTP_ALLOW_PLAINTEXT=1 (a trusted network)';
    const what = `The SMTP server ${where} offers no STARTTLS (${said}); Tend sends no password or message unencrypted`;
    return new ChannelError('email', 'misconfigured', false, `${what}: ${fix}`, options);
  }
  if (
    failure.code === 'ETLS' ||
    failure.code === 'EREQUIRETLS' ||
    /wrong version number|SSL routines/i.test(failure.message ?? '')
  ) {
    return new ChannelError(
      'email',
      'misconfigured',
      false,
      `TLS with the SMTP server ${where} failed (${said}): ` +
        `check TEND_SMTP_URL's scheme (smtps:// for port 465, smtp:// with STARTTLS for 587)`,
      options,
    );
  }
  const code = failure.responseCode;
  if (code !== undefined && code >= 400 && code < 500) {
    return new ChannelError(
      'email',
      'provider-error',
      true,
      `The SMTP server ${where} deferred the message (${said}); it will be retried`,
      options,
    );
  }
  if (code !== undefined && code >= 500) {
    const what = failure.code === 'EENVELOPE' ? 'refused the sender or recipient' : 'refused the message';
    return new ChannelError('email', 'rejected', false, `The SMTP server ${where} ${what} (${said})`, options);
  }
  // Safe to retry only when the failure certainly came before the server could have the message:
  // no connection (refused, unreachable, DNS), or no greeting. A connection that broke or went silent
  // later may have broken after the whole message was in, before the server's "250": it is not retried.
  const beforeConnecting =
    failure.syscall === 'connect' ||
    failure.syscall === 'getaddrinfo' ||
    failure.code === 'EDNS' ||
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(
      failure.errno === undefined ? '' : String(failure.errno),
    ) ||
    /^(Connection timeout|Greeting never received)/.test(failure.message ?? '');
  if (beforeConnecting) {
    return new ChannelError(
      'email',
      'unreachable',
      true,
      `Could not reach the SMTP server ${where} (${said}): ` +
        `check TEND_SMTP_URL's host and port, and that the server is up; it will be retried`,
      options,
    );
  }
  const networkCodes = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'ECONNRESET', 'EPIPE'];
  if (failure.code !== undefined && networkCodes.includes(failure.code)) {
    return new ChannelError(
      'email',
      'unreachable',
      false,
      `The connection to the SMTP server ${where} broke or went silent mid-conversation (${said}); ` +
        'the server may have taken the message, so it is not sent again',
      { ...options, outcomeUnknown: true },
    );
  }
  return new ChannelError(
    'email',
    'provider-error',
    true,
    `Sending through the SMTP server ${where} failed (${said}); it will be retried`,
    options,
  );
}
