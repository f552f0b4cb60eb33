// Reads how inbound e-mail reaches Tend: a mail service's webhook (with Tend's secret and the service's
// signature key) and Tend's own SMTP listener (port, address, size limit, certificate for STARTTLS, sender
// checks), from the environment values the entry point hands in. Every problem names its variable.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type { ChannelEnvironment } from '../config/settings.js';
import { readSendgridPublicKey } from './sendgrid-signature.js';

/** Who may post to /webhooks/email/inbound: every proof that is set must be presented. */
export interface InboundWebhookSettings {
  readonly secret: string | null;
  readonly mailgunSigningKey: string | null;
  /** The public key of SendGrid's Parse security policy (ECDSA). */
  readonly sendgridPublicKey: KeyObject | null;
}

/** Tend's own SMTP listener, the MX of the reply domain. */
export interface InboundSmtpSettings {
  readonly host: string;
  /** 0: any free port (tests). */
  readonly port: number;
  /** Larger messages are refused (552). */
  readonly maxBytes: number;
  /** With a certificate, STARTTLS is offered. */
  readonly tls: { readonly cert: Buffer; readonly key: Buffer } | null;
  /**
   * `enforce`: SPF, DKIM and DMARC decide whether the From address is believed. `off`: it is, as before;
   * only behind a gateway that already checks senders (e.g. a mail service that relays by SMTP).
   */
  readonly senderChecks: SenderChecks;
}

export type SenderChecks = 'enforce' | 'off';

/**
 * Inbound e-mail is off until the webhook (a secret or a service's key) or the SMTP listener is set up.
 * Replies, reps' copies and bounces are accepted for addresses on `replyDomain` only.
 */
export type InboundEmailSettings =
  | { readonly kind: 'disabled' }
  | {
      readonly kind: 'enabled';
      readonly replyDomain: string;
      /** Null: the webhook answers 404 (mail arrives by SMTP only). */
      readonly webhook: InboundWebhookSettings | null;
      /** Null: Tend does not listen for mail itself. */
      readonly smtp: InboundSmtpSettings | null;
    };

type Read = (name: keyof ChannelEnvironment) => string | null;
type Report = (field: keyof ChannelEnvironment, message: string) => void;

const defaultMaxBytes = 10 * 1024 * 1024;
const largestMaxBytes = 100 * 1024 * 1024;

/** `replyDomainGiven`: TEND_REPLY_DOMAIN itself was set (the SMTP listener needs it). */
export function readInboundSettings(
  value: Read,
  problem: Report,
  replyDomain: string,
  replyDomainGiven: boolean,
): InboundEmailSettings {
  const webhook = readWebhook(value, problem);
  const smtp = readSmtp(value, problem);
  if (smtp !== null && !replyDomainGiven) {
    problem(
      'TEND_REPLY_DOMAIN',
      'TEND_SMTP_INBOUND_PORT is set but TEND_REPLY_DOMAIN is not: the domain whose mail Tend receives ' +
        '(its MX record points at this Tend), e.g. TEND_REPLY_DOMAIN=reply.acme.com',
    );
  }
  if (webhook === null && smtp === null) return { kind: 'disabled' };
  return { kind: 'enabled', replyDomain, webhook, smtp };
}

function readWebhook(value: Read, problem: Report): InboundWebhookSettings | null {
  const secret = value('TEND_INBOUND_EMAIL_SECRET');
  const mailgunSigningKey = value('TEND_MAILGUN_SIGNING_KEY');
  const sendgridKeyValue = value('TEND_SENDGRID_INBOUND_PUBLIC_KEY');
  if (secret !== null && (secret.length < 16 || /[\s:]/.test(secret))) {
    const example = 'e.g. from `openssl rand -hex 24`';
    const what = 'TEND_INBOUND_EMAIL_SECRET must be at least 16 characters without spaces or ":"';
    problem('TEND_INBOUND_EMAIL_SECRET', `${what} (${example})`);
  }
  if (mailgunSigningKey !== null && /\s/.test(mailgunSigningKey)) {
    const where = "copy the HTTP webhook signing key again from Mailgun's dashboard";
    problem('TEND_MAILGUN_SIGNING_KEY', `TEND_MAILGUN_SIGNING_KEY contains spaces; ${where}`);
  }
  const sendgridPublicKey = sendgridKeyValue === null ? null : readSendgridPublicKey(sendgridKeyValue);
  if (sendgridKeyValue !== null && sendgridPublicKey === null) {
    problem(
      'TEND_SENDGRID_INBOUND_PUBLIC_KEY',
      'TEND_SENDGRID_INBOUND_PUBLIC_KEY is not an elliptic-curve public key: copy "public_key" again from the ' +
        "Parse webhook's security policy (base64, as SendGrid shows it, or PEM)",
    );
  }
  if (mailgunSigningKey !== null && sendgridKeyValue !== null) {
    problem(
      'TEND_SENDGRID_INBOUND_PUBLIC_KEY',
      'TEND_MAILGUN_SIGNING_KEY and TEND_SENDGRID_INBOUND_PUBLIC_KEY are both set, but a post carries one ' +
        "service's signature: set the key of the service that posts your inbound mail",
    );
  }
  if (secret === null && mailgunSigningKey === null && sendgridKeyValue === null) return null;
  return { secret, mailgunSigningKey, sendgridPublicKey };
}

function readSmtp(value: Read, problem: Report): InboundSmtpSettings | null {
  const portValue = value('TEND_SMTP_INBOUND_PORT');
  const others = (
    [
      'TEND_SMTP_INBOUND_HOST',
      'TEND_SMTP_INBOUND_MAX_BYTES',
      'TEND_SMTP_INBOUND_TLS_CERT',
      'TEND_SMTP_INBOUND_TLS_KEY',
      'TEND_SMTP_INBOUND_SENDER_CHECKS',
    ] as const
  ).filter((name) => value(name) !== null);
  if (portValue === null) {
    for (const name of others) {
      problem(name, `${name} is set but TEND_SMTP_INBOUND_PORT is not: the port Tend listens for mail on, e.g. 25`);
    }
    return null;
  }
  const port = Number(portValue);
  if (!/^\d+$/.test(portValue) || port > 65535) {
    problem('TEND_SMTP_INBOUND_PORT', 'TEND_SMTP_INBOUND_PORT must be a port number from 0 to 65535, e.g. 25');
  }
  const host = value('TEND_SMTP_INBOUND_HOST') ?? '0.0.0.0';
  if (/[\s/]/.test(host)) {
    problem('TEND_SMTP_INBOUND_HOST', 'TEND_SMTP_INBOUND_HOST must be an address to listen on, e.g. 0.0.0.0 or ::');
  }
  const maxValue = value('TEND_SMTP_INBOUND_MAX_BYTES');
  const maxBytes = maxValue === null ? defaultMaxBytes : Number(maxValue);
  if (maxValue !== null && (!/^\d+$/.test(maxValue) || maxBytes < 1024 || maxBytes > largestMaxBytes)) {
    problem(
      'TEND_SMTP_INBOUND_MAX_BYTES',
      `TEND_SMTP_INBOUND_MAX_BYTES must be a number of bytes from 1024 to ${largestMaxBytes} ` +
        `(default ${defaultMaxBytes}, 10 MiB)`,
    );
  }
  return { host, port, maxBytes, tls: readTls(value, problem), senderChecks: readSenderChecks(value, problem) };
}

function readSenderChecks(value: Read, problem: Report): SenderChecks {
  const given = value('TEND_SMTP_INBOUND_SENDER_CHECKS');
  if (given === null) return 'enforce';
  const checks = given.trim().toLowerCase();
  if (checks === 'enforce' || checks === 'off') return checks;
  problem(
    'TEND_SMTP_INBOUND_SENDER_CHECKS',
    `TEND_SMTP_INBOUND_SENDER_CHECKS must be enforce (the default: SPF, DKIM and DMARC decide whether a From ` +
      `address is believed) or off (only behind a gateway that already checks senders), got ${JSON.stringify(given)}`,
  );
  return 'enforce';
}

function readTls(value: Read, problem: Report): InboundSmtpSettings['tls'] {
  const certPath = value('TEND_SMTP_INBOUND_TLS_CERT');
  const keyPath = value('TEND_SMTP_INBOUND_TLS_KEY');
  if (certPath === null && keyPath === null) return null;
  const pair = 'the certificate (PEM, with its chain) and its private key (PEM) go together';
  if (certPath === null) {
    problem(
      'TEND_SMTP_INBOUND_TLS_CERT',
      `TEND_SMTP_INBOUND_TLS_KEY is set but TEND_SMTP_INBOUND_TLS_CERT is not: ${pair}`,
    );
    return null;
  }
  if (keyPath === null) {
    problem(
      'TEND_SMTP_INBOUND_TLS_KEY',
      `TEND_SMTP_INBOUND_TLS_CERT is set but TEND_SMTP_INBOUND_TLS_KEY is not: ${pair}`,
    );
    return null;
  }
  const read = (name: 'TEND_SMTP_INBOUND_TLS_CERT' | 'TEND_SMTP_INBOUND_TLS_KEY', path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      const why = error instanceof Error && 'code' in error ? String(error.code) : String(error);
      problem(name, `${name} names ${JSON.stringify(path)}, which cannot be read (${why})`);
      return null;
    }
  };
  const cert = read('TEND_SMTP_INBOUND_TLS_CERT', certPath);
  const key = read('TEND_SMTP_INBOUND_TLS_KEY', keyPath);
  if (cert === null || key === null) return null;
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    problem(
      'TEND_SMTP_INBOUND_TLS_CERT',
      `TEND_SMTP_INBOUND_TLS_CERT and TEND_SMTP_INBOUND_TLS_KEY are not a usable pair (${said}): ` +
        'both must be PEM files, the key the one the certificate was issued for',
    );
    return null;
  }
  return { cert, key };
}
