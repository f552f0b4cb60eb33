// Reads Tend's settings from the environment and command-line options, once, and says exactly which
// variable is wrong and what it accepts.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isLoopbackHost } from './loopback-host.js';
import { TendError } from '../domain/errors.js';
import type { ClockSetting, StoreLocation, TendSettings, TrustedProxies } from './settings.js';

type Environment = Record<string, string | undefined>;

function invalid(variable: string, message: string): TendError {
  return new TendError('invalid_configuration', `${variable} ${message}`, [{ field: variable, message }]);
}

export function storeLocationFrom(environment: Environment): StoreLocation {
  const url = environment.DATABASE_URL?.trim();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url))
      throw invalid(
        'DATABASE_URL',
        'must be a PostgreSQL URL such as postgres://user:password@host:5432/tend ' +
          '(or unset, to use the embedded database).',
      );
    return { kind: 'postgres', url };
  }
  return { kind: 'embedded', dataDirectory: resolve(environment.TEND_DATA_DIR?.trim() || '.tend') };
}

function portFrom(raw: string | undefined, variable: string): number {
  if (raw === undefined || raw.trim() === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw invalid(variable, `must be a port number from 0 to 65535, got ${JSON.stringify(raw)}.`);
  return port;
}

function clockFrom(environment: Environment): ClockSetting {
  const kind = environment.TEND_CLOCK?.trim() || 'system';
  if (kind === 'system') return { kind: 'system' };
  if (kind !== 'manual') throw invalid('TEND_CLOCK', `must be "system" or "manual", got ${JSON.stringify(kind)}.`);
  const startText = environment.TEND_CLOCK_START?.trim();
  if (!startText)
    throw invalid(
      'TEND_CLOCK_START',
      'is needed with TEND_CLOCK=manual: the instant to start at, e.g. 2026-01-01T00:00:00Z.',
    );
  const start = new Date(startText);
  if (Number.isNaN(start.getTime()))
    throw invalid(
      'TEND_CLOCK_START',
      `must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, got ${JSON.stringify(startText)}.`,
    );
  return { kind: 'manual', start };
}

function secretFrom(environment: Environment, variable: string): string | null {
  const value = environment[variable]?.trim();
  if (!value) return null;
  if (value.length < 16) throw invalid(variable, 'must be at least 16 characters long: it guards your data.');
  return value;
}

export function settingsFrom(environment: Environment, options: { port?: string; host?: string } = {}): TendSettings {
  return {
    store: storeLocationFrom(environment),
    host: options.host ?? environment.HOST?.trim() ?? '0.0.0.0',
    port: options.port !== undefined ? portFrom(options.port, '--port') : portFrom(environment.PORT, 'PORT'),
    writeKey: secretFrom(environment, 'TEND_WRITE_KEY'),
    adminToken: secretFrom(environment, 'TEND_ADMIN_TOKEN'),
    clock: clockFrom(environment),
    logLevel: environment.TEND_LOG_LEVEL?.trim() || 'info',
    configPath: environment.TEND_CONFIG?.trim() ? resolve(environment.TEND_CONFIG.trim()) : null,
    playbooksPath: environment.TEND_PLAYBOOKS?.trim()
      ? environment.TEND_PLAYBOOKS.trim() === 'none'
        ? 'none'
        : resolve(environment.TEND_PLAYBOOKS.trim())
      : null,
    templatesPath: environment.TEND_TEMPLATES?.trim() ? resolve(environment.TEND_TEMPLATES.trim()) : null,
    channels: {
      TEND_SMTP_URL: environment.TEND_SMTP_URL,
      TEND_SMTP_ALLOW_PLAINTEXT: environment.TEND_SMTP_ALLOW_PLAINTEXT,
      TEND_EMAIL_FROM: environment.TEND_EMAIL_FROM,
      TEND_REPLY_DOMAIN: environment.TEND_REPLY_DOMAIN,
      TEND_TWILIO_ACCOUNT_SID: environment.TEND_TWILIO_ACCOUNT_SID,
      TEND_TWILIO_AUTH_TOKEN: environment.TEND_TWILIO_AUTH_TOKEN,
      TEND_TWILIO_FROM: environment.TEND_TWILIO_FROM,
      TEND_TWILIO_BASE_URL: environment.TEND_TWILIO_BASE_URL,
      TEND_WEBHOOK_URL: environment.TEND_WEBHOOK_URL,
      TEND_WEBHOOK_SECRET: environment.TEND_WEBHOOK_SECRET,
      TEND_INBOUND_EMAIL_SECRET: environment.TEND_INBOUND_EMAIL_SECRET,
      TEND_MAILGUN_SIGNING_KEY: environment.TEND_MAILGUN_SIGNING_KEY,
      TEND_SENDGRID_INBOUND_PUBLIC_KEY: environment.TEND_SENDGRID_INBOUND_PUBLIC_KEY,
      TEND_SMTP_INBOUND_PORT: environment.TEND_SMTP_INBOUND_PORT,
      TEND_SMTP_INBOUND_HOST: environment.TEND_SMTP_INBOUND_HOST,
      TEND_SMTP_INBOUND_MAX_BYTES: environment.TEND_SMTP_INBOUND_MAX_BYTES,
      TEND_SMTP_INBOUND_TLS_CERT: environment.TEND_SMTP_INBOUND_TLS_CERT,
      TEND_SMTP_INBOUND_TLS_KEY: environment.TEND_SMTP_INBOUND_TLS_KEY,
      TEND_SMTP_INBOUND_SENDER_CHECKS: environment.TEND_SMTP_INBOUND_SENDER_CHECKS,
      TEND_SMTP_MAX_PER_SECOND: environment.TEND_SMTP_MAX_PER_SECOND,
      TEND_TWILIO_MAX_PER_SECOND: environment.TEND_TWILIO_MAX_PER_SECOND,
      TEND_WEBHOOK_MAX_PER_SECOND: environment.TEND_WEBHOOK_MAX_PER_SECOND,
    },
    publicUrl: publicUrlFrom(environment),
    trustProxy: trustedProxiesFrom(environment.TEND_TRUST_PROXY),
  };
}

const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of TEND_TRUST_PROXY: an address, a CIDR range, or a named range. */
function trustedEntry(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const width = Number(bits);
  return /^\d{1,3}$/.test(bits) && width <= (family === 4 ? 32 : 128);
}

/**
 * Behind a reverse proxy every request comes from the proxy's address, so limits per address would
 * count everyone together; but believing X-Forwarded-For from anyone would let a client choose its
 * own address. So only the proxies named here are believed, and "true" (everyone) is refused.
 */
function trustedProxiesFrom(raw: string | undefined): TrustedProxies | null {
  const value = raw?.trim();
  if (!value || value === 'false') return null;
  const example = 'e.g. TEND_TRUST_PROXY=loopback, TEND_TRUST_PROXY=10.0.0.0/8,192.168.1.4, or TEND_TRUST_PROXY=1';
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops >= 1 && hops <= 10) return hops;
    throw invalid('TEND_TRUST_PROXY', `as a number of proxy hops must be 1 to 10, got ${value} (${example}).`);
  }
  if (value === 'true')
    throw invalid(
      'TEND_TRUST_PROXY',
      'must name the proxies to believe, not "true": anyone could then choose their own address with ' +
        `X-Forwarded-For and escape the limits per address (${example}).`,
    );
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const wrong = entries.filter((entry) => !trustedEntry(entry));
  if (wrong.length > 0)
    throw invalid(
      'TEND_TRUST_PROXY',
      `holds ${wrong.map((entry) => JSON.stringify(entry)).join(', ')}, which is not an IP address, a CIDR range ` +
        `or one of loopback, linklocal, uniquelocal (${example}).`,
    );
  return entries;
}

function publicUrlFrom(environment: Environment): string | null {
  const value = environment.TEND_PUBLIC_URL?.trim();
  // Real e-mails carry unsubscribe and tracked links, and Twilio calls back: localhost would break all of them.
  const realChannel = ['TEND_SMTP_URL', 'TEND_TWILIO_ACCOUNT_SID'].find((name) => environment[name]?.trim());
  if (!value && realChannel !== undefined) {
    throw invalid(
      'TEND_PUBLIC_URL',
      `is needed when ${realChannel} is set: the address customers and Twilio reach Tend at, ` +
        "for the unsubscribe and tracked links in e-mails and for Twilio's status callbacks and STOP replies " +
        '(e.g. TEND_PUBLIC_URL=https://tend.example.com).',
    );
  }
  if (!value) return null;
  if (!/^https?:\/\//i.test(value) || !URL.canParse(value))
    throw invalid(
      'TEND_PUBLIC_URL',
      'must be the http(s) address customers and providers reach Tend at, e.g. https://tend.example.com, ' +
        `got ${JSON.stringify(value)}.`,
    );
  // Twilio signs its callbacks without a time: over plain http one could be read and replayed.
  const twilio = environment.TEND_TWILIO_ACCOUNT_SID?.trim();
  if (twilio && new URL(value).protocol !== 'https:' && !isLoopbackHost(new URL(value).hostname)) {
    const why = "Twilio's callbacks (STOP, START, delivery reports) must not cross the network unencrypted";
    const what = 'must be an https:// address when Twilio is configured (TEND_TWILIO_ACCOUNT_SID)';
    throw invalid('TEND_PUBLIC_URL', `${what}: ${why}; got ${JSON.stringify(value)}.`);
  }
  return value.replace(/\/+$/, '');
}
