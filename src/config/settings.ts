// Tend's settings, validated once at start; nothing else reads the environment.
import type { Clock } from '../domain/clock.js';

/** Where the store is: a PostgreSQL server (DATABASE_URL), or the embedded database's folder (TEND_DATA_DIR). */
export type StoreLocation = { kind: 'postgres'; url: string } | { kind: 'embedded'; dataDirectory: string };

/** The channel variables as given; channels/channel-settings.ts validates them. */
export interface ChannelEnvironment {
  readonly TEND_SMTP_URL?: string;
  readonly TEND_SMTP_ALLOW_PLAINTEXT?: string;
  readonly TEND_EMAIL_FROM?: string;
  readonly TEND_REPLY_DOMAIN?: string;
  readonly TEND_TWILIO_ACCOUNT_SID?: string;
  readonly TEND_TWILIO_AUTH_TOKEN?: string;
  readonly TEND_TWILIO_FROM?: string;
  readonly TEND_TWILIO_BASE_URL?: string;
  readonly TEND_WEBHOOK_URL?: string;
  readonly TEND_WEBHOOK_SECRET?: string;
  readonly TEND_INBOUND_EMAIL_SECRET?: string;
  readonly TEND_MAILGUN_SIGNING_KEY?: string;
  readonly TEND_SENDGRID_INBOUND_PUBLIC_KEY?: string;
  readonly TEND_SMTP_INBOUND_PORT?: string;
  readonly TEND_SMTP_INBOUND_HOST?: string;
  readonly TEND_SMTP_INBOUND_MAX_BYTES?: string;
  readonly TEND_SMTP_INBOUND_TLS_CERT?: string;
  readonly TEND_SMTP_INBOUND_TLS_KEY?: string;
  readonly TEND_SMTP_INBOUND_SENDER_CHECKS?: string;
  readonly TEND_SMTP_MAX_PER_SECOND?: string;
  readonly TEND_TWILIO_MAX_PER_SECOND?: string;
  readonly TEND_WEBHOOK_MAX_PER_SECOND?: string;
}

/**
 * Answers a DNS question as node:dns's `resolve(name, type)` does: the records, or an error with its code
 * (ENOTFOUND, ENODATA: none; anything else: a temporary failure).
 */
export type DnsResolver = (name: string, recordType: string) => Promise<unknown[]>;

/** Addresses, CIDR ranges or the names loopback, linklocal, uniquelocal; or a number of proxy hops. */
export type TrustedProxies = readonly string[] | number;

export type ClockSetting = { kind: 'system' } | { kind: 'manual'; start: Date };

export interface TendSettings {
  readonly store: StoreLocation;
  readonly host: string;
  readonly port: number;
  /** A write key that must exist at start (demos, tests); null: create one on first start only. */
  readonly writeKey: string | null;
  readonly adminToken: string | null;
  readonly clock: ClockSetting;
  readonly logLevel: string;
  /** tend.config.yaml to read (TEND_CONFIG); null: ./tend.config.yaml if present, else defaults. */
  readonly configPath: string | null;
  /**
   * Playbook folder (TEND_PLAYBOOKS); 'none' for no playbooks; null: ./playbooks if present, else the
   * built-in ones.
   */
  readonly playbooksPath: string | null;
  /** Message templates folder (TEND_TEMPLATES); null: ./templates if present, else the built-in ones. */
  readonly templatesPath?: string | null;
  /** The channel variables (TEND_SMTP_URL, TEND_TWILIO_*, TEND_WEBHOOK_*); none set: the local mailbox. */
  readonly channels?: ChannelEnvironment;
  /**
   * Where this Tend is reached from outside (TEND_PUBLIC_URL), for unsubscribe links and provider
   * callbacks; default its own URL.
   */
  readonly publicUrl?: string | null;
  /** Run the background evaluation of signals in this process (default true). */
  readonly worker?: boolean;
  /**
   * The reverse proxies whose X-Forwarded-For Tend believes (TEND_TRUST_PROXY): their addresses or
   * ranges, or how many hops of proxies stand in front; null: none, the connection's address counts.
   */
  readonly trustProxy?: TrustedProxies | null;
  /** Real time for the API's caches and limits; tests move a manual one (default: the system's). */
  readonly processClock?: Clock;
  /** Answers the sender checks' DNS questions (SPF, DKIM, DMARC); tests play DNS (default: the system's). */
  readonly dnsResolver?: DnsResolver;
}
