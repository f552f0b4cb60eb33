// Reads the channel settings from environment values handed in as a plain object (the entry point
// reads process.env once): SMTP or the local mailbox for e-mail, Twilio or the local mailbox for SMS.
// Every problem names its variable; all of them are reported at once.
import type { ChannelEnvironment } from '../config/settings.js';
import { TendError, type FieldProblem } from '../domain/errors.js';
import { addressDomain, isHostname, parseMailbox } from './email-address.js';
import { type InboundEmailSettings, readInboundSettings } from './inbound-settings.js';
import { readSmtpUrl, type SmtpServer } from './smtp-url.js';

export type { InboundEmailSettings } from './inbound-settings.js';

/** E-mail goes out over SMTP, or (with no TEND_SMTP_URL) into the local mailbox the API lists. */
export type EmailChannelSettings =
  | {
      readonly kind: 'smtp';
      readonly smtpUrl: string;
      readonly server: SmtpServer;
      readonly from: string;
      readonly replyDomain: string;
      readonly threadReplies: boolean;
      /** TEND_SMTP_ALLOW_PLAINTEXT: smtp:// to a host off this machine may go unencrypted (else STARTTLS). */
      readonly allowPlaintext: boolean;
    }
  | {
      readonly kind: 'local-mailbox';
      readonly from: string;
      readonly replyDomain: string;
      readonly threadReplies: boolean;
    };

/** SMS goes out through Twilio, or (with no Twilio settings) into the local mailbox. */
export type SmsChannelSettings =
  | {
      readonly kind: 'twilio';
      readonly accountSid: string;
      readonly authToken: string;
      readonly from: string;
      readonly baseUrl: string;
    }
  | { readonly kind: 'local-mailbox'; readonly from: string };

/** Webhook steps go to one receiver (a Slack relay, a CRM), or into the local mailbox when none is set. */
export type WebhookChannelSettings =
  | { readonly kind: 'receiver'; readonly url: string; readonly secret: string }
  | { readonly kind: 'local-mailbox' };

/** The most sends a second each provider takes (its rate limit); null: as fast as its connections go. */
export interface ProviderPaces {
  readonly email: number | null;
  readonly sms: number | null;
  readonly webhook: number | null;
}

export interface ChannelSettings {
  readonly email: EmailChannelSettings;
  readonly sms: SmsChannelSettings;
  readonly webhook: WebhookChannelSettings;
  readonly inbound: InboundEmailSettings;
  readonly paces: ProviderPaces;
}

const localSender = 'Tend <tend@tend.localhost>';
const twilioApi = 'https://api.twilio.com';

/** Validates the channel variables once at start; throws one TendError listing every problem. */
export function readChannelSettings(environment: ChannelEnvironment): ChannelSettings {
  const problems: FieldProblem[] = [];
  const problem = (field: keyof ChannelEnvironment, message: string) => problems.push({ field, message });
  const value = (name: keyof ChannelEnvironment) => {
    const given = environment[name]?.trim();
    return given === undefined || given === '' ? null : given;
  };
  const email = readEmail(value, problem);
  const sms = readSms(value, problem);
  const webhook = readWebhook(value, problem);
  const inbound = readInboundSettings(value, problem, email.replyDomain, value('TEND_REPLY_DOMAIN') !== null);
  const paces = {
    email: readPace(value, problem, 'TEND_SMTP_MAX_PER_SECOND', 'e-mails'),
    sms: readPace(value, problem, 'TEND_TWILIO_MAX_PER_SECOND', 'text messages'),
    webhook: readPace(value, problem, 'TEND_WEBHOOK_MAX_PER_SECOND', 'webhook calls'),
  };
  if (problems.length > 0) {
    const list = problems.map((found) => `- ${found.message}`).join('\n');
    throw new TendError('invalid_configuration', `The channel settings are not usable:\n${list}`, problems);
  }
  return { email, sms, webhook, inbound, paces };
}

/** A provider's limit: a number of sends a second above 0 (0.5 is one every two seconds); absent: none. */
function readPace(
  value: Read,
  problem: Report,
  name: 'TEND_SMTP_MAX_PER_SECOND' | 'TEND_TWILIO_MAX_PER_SECOND' | 'TEND_WEBHOOK_MAX_PER_SECOND',
  what: string,
): number | null {
  const given = value(name);
  if (given === null) return null;
  const rate = /^\d+(\.\d+)?$/.test(given) ? Number(given) : Number.NaN;
  if (rate > 0 && rate <= 100_000) return rate;
  problem(
    name,
    `${name} must be how many ${what} a second your provider accepts, a number above 0 and at most 100000 ` +
      `(e.g. 14, or 0.5 for one every two seconds); got ${JSON.stringify(given)}`,
  );
  return null;
}

function readWebhook(value: Read, problem: Report): WebhookChannelSettings {
  const url = value('TEND_WEBHOOK_URL');
  const secret = value('TEND_WEBHOOK_SECRET');
  if (url === null && secret === null) return { kind: 'local-mailbox' };
  if (url === null)
    problem(
      'TEND_WEBHOOK_URL',
      'TEND_WEBHOOK_SECRET is set but TEND_WEBHOOK_URL is not: the http(s) address that receives webhook steps',
    );
  else if (!/^https?:\/\//i.test(url) || !URL.canParse(url))
    problem('TEND_WEBHOOK_URL', 'TEND_WEBHOOK_URL must be an http(s) URL, e.g. https://hooks.example.com/tend');
  if (secret === null)
    problem(
      'TEND_WEBHOOK_SECRET',
      'TEND_WEBHOOK_URL is set but TEND_WEBHOOK_SECRET is not: ' +
        'a Standard Webhooks secret, "whsec_" followed by base64 (e.g. from `openssl rand -base64 32`)',
    );
  else if (!/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret))
    problem('TEND_WEBHOOK_SECRET', 'TEND_WEBHOOK_SECRET must be "whsec_" followed by base64');
  if (url === null || secret === null) return { kind: 'local-mailbox' };
  return { kind: 'receiver', url, secret };
}

type Read = (name: keyof ChannelEnvironment) => string | null;
type Report = (field: keyof ChannelEnvironment, message: string) => void;

function readEmail(value: Read, problem: Report): EmailChannelSettings {
  const smtpUrl = value('TEND_SMTP_URL');
  const fromValue = value('TEND_EMAIL_FROM');
  const from = parseMailbox(fromValue ?? localSender);
  if (fromValue !== null && from === null) {
    problem(
      'TEND_EMAIL_FROM',
      `TEND_EMAIL_FROM is not an e-mail address (e.g. TEND_EMAIL_FROM="Acme <hello@acme.com>")`,
    );
  }
  const replyDomainValue = value('TEND_REPLY_DOMAIN');
  if (replyDomainValue !== null && !isHostname(replyDomainValue)) {
    problem(
      'TEND_REPLY_DOMAIN',
      `TEND_REPLY_DOMAIN must be a domain that receives replies, e.g. reply.acme.com (no @, no https://)`,
    );
  }
  const replyDomain = (replyDomainValue ?? addressDomain(from?.address ?? 'tend@tend.localhost')).toLowerCase();
  const sender = fromValue ?? localSender;
  // With a reply domain set, replies go to a per-message address there (its inbound mail is posted to
  // /webhooks/email/inbound); without one, to the account owner's own mailbox.
  const threadReplies = replyDomainValue !== null;
  if (smtpUrl === null) return { kind: 'local-mailbox', from: sender, replyDomain, threadReplies };
  const reading = readSmtpUrl(smtpUrl);
  if (reading.kind === 'invalid') problem('TEND_SMTP_URL', reading.problem);
  if (fromValue === null) {
    problem(
      'TEND_EMAIL_FROM',
      'TEND_EMAIL_FROM is required when TEND_SMTP_URL is set: the sender, e.g. TEND_EMAIL_FROM="Acme <hello@acme.com>"',
    );
  }
  if (reading.kind === 'invalid') return { kind: 'local-mailbox', from: sender, replyDomain, threadReplies };
  const allowPlaintext = readSwitch(value('TEND_SMTP_ALLOW_PLAINTEXT'));
  if (allowPlaintext === null) {
    problem('TEND_SMTP_ALLOW_PLAINTEXT', 'TEND_SMTP_ALLOW_PLAINTEXT must be 1 (or true) to allow it, or 0 (false)');
  }
  const server = reading.server;
  const plain = allowPlaintext ?? false;
  return { kind: 'smtp', smtpUrl, server, from: sender, replyDomain, threadReplies, allowPlaintext: plain };
}

/** `1`/`true`/`yes` or `0`/`false`/`no` (unset: false); null for anything else. */
function readSwitch(given: string | null): boolean | null {
  if (given === null) return false;
  if (/^(1|true|yes)$/i.test(given)) return true;
  return /^(0|false|no)$/i.test(given) ? false : null;
}

function readSms(value: Read, problem: Report): SmsChannelSettings {
  const accountSid = value('TEND_TWILIO_ACCOUNT_SID');
  const authToken = value('TEND_TWILIO_AUTH_TOKEN');
  const from = value('TEND_TWILIO_FROM');
  const baseUrl = value('TEND_TWILIO_BASE_URL');
  const given = (
    ['TEND_TWILIO_ACCOUNT_SID', 'TEND_TWILIO_AUTH_TOKEN', 'TEND_TWILIO_FROM', 'TEND_TWILIO_BASE_URL'] as const
  ).filter((name) => value(name) !== null);
  if (given.length === 0) return { kind: 'local-mailbox', from: 'Tend' };
  const missing = (name: keyof ChannelEnvironment, what: string) =>
    problem(name, `${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} set but ${name} is not: ${what}`);
  if (accountSid === null) missing('TEND_TWILIO_ACCOUNT_SID', "the Account SID (AC…) from Twilio's console");
  else if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid))
    problem('TEND_TWILIO_ACCOUNT_SID', 'TEND_TWILIO_ACCOUNT_SID must be "AC" followed by 32 hexadecimal digits');
  if (authToken === null) missing('TEND_TWILIO_AUTH_TOKEN', "the Auth Token from Twilio's console");
  else if (/\s/.test(authToken))
    problem('TEND_TWILIO_AUTH_TOKEN', 'TEND_TWILIO_AUTH_TOKEN contains spaces; copy it again from the console');
  if (from === null)
    missing('TEND_TWILIO_FROM', 'the sending number in E.164 (e.g. +14155550100) or a messaging service SID (MG…)');
  else if (!isSmsSender(from)) {
    problem(
      'TEND_TWILIO_FROM',
      'TEND_TWILIO_FROM must be a number in E.164 (e.g. +14155550100), ' +
        'a messaging service SID (MG…) or an alphanumeric sender of up to 11 characters',
    );
  }
  let api = twilioApi;
  if (baseUrl !== null) {
    if (!/^https?:\/\//i.test(baseUrl) || !URL.canParse(baseUrl))
      problem('TEND_TWILIO_BASE_URL', `TEND_TWILIO_BASE_URL must be an http(s) URL, e.g. ${twilioApi}`);
    else api = baseUrl.replace(/\/+$/, '');
  }
  if (accountSid === null || authToken === null || from === null) return { kind: 'local-mailbox', from: 'Tend' };
  return { kind: 'twilio', accountSid, authToken, from, baseUrl: api };
}

function isSmsSender(value: string): boolean {
  return (
    /^\+[1-9]\d{6,14}$/.test(value) ||
    /^MG[0-9a-fA-F]{32}$/.test(value) ||
    (/^[A-Za-z0-9 ]{1,11}$/.test(value) && /[A-Za-z]/.test(value))
  );
}
