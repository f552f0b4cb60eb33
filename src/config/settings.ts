// Tend's settings, validated once at start; nothing else reads the environment.
import type { ChannelEnvironment } from '../channels/channel-settings.js';
import type { Clock } from '../domain/clock.js';
import type { StoreLocation } from '../store/database.js';

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
  /** Playbook folder (TEND_PLAYBOOKS); 'none' for no playbooks; null: ./playbooks if present, else the built-in ones. */
  readonly playbooksPath: string | null;
  /** Message templates folder (TEND_TEMPLATES); null: ./templates if present, else the built-in ones. */
  readonly templatesPath?: string | null;
  /** The channel variables (TEND_SMTP_URL, TEND_TWILIO_*, TEND_WEBHOOK_*); none set: the local mailbox. */
  readonly channels?: ChannelEnvironment;
  /** Where this Tend is reached from outside (TEND_PUBLIC_URL), for unsubscribe links and provider callbacks; default its own URL. */
  readonly publicUrl?: string | null;
  /** Run the background evaluation of signals in this process (default true). */
  readonly worker?: boolean;
  /** Real time for the API's caches and limits; tests move a manual one (default: the system's). */
  readonly processClock?: Clock;
}
