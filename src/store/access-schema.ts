// The tables of who may reach Tend, as Kysely sees them: event sources and their write keys, admin
// tokens, the people who sign in, their sessions, one-time links and failed sign-ins.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface SourcesTable {
  id: string;
  name: string;
  created_at: Generated<Date>;
}

export interface WriteKeysTable {
  key_hash: Buffer;
  source_id: string;
  key_prefix: string;
  created_at: Generated<Date>;
  revoked_at: Timestamp | null;
  /** 'server' or 'browser' (see domain/write-key-kinds.ts). */
  kind: Generated<string>;
}

export interface AdminTokensTable {
  token_hash: Buffer;
  label: string;
  created_at: Generated<Date>;
  /** Null for tokens made before migration 0017, whose clear text was never kept. */
  token_prefix: string | null;
  revoked_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  role: 'rep' | 'manager' | 'admin';
  manager_id: string | null;
  created_at: Timestamp;
  active: Generated<boolean>;
  /** `scrypt$…` (store/passwords.ts); null: the user signs in by one-time link only. */
  password_hash: Generated<string | null>;
  disabled_at: Generated<Date | null>;
  /** An IANA time zone (e.g. Europe/Paris); null: not set. */
  timezone: Generated<string | null>;
  /** A Slack incoming-webhook URL for this person's notices (a secret: never logged or shown whole). */
  slack_webhook_url: Generated<string | null>;
  /** On a manager: the team's Slack incoming webhook, for their reps who have none of their own. */
  team_slack_webhook_url: Generated<string | null>;
  /** When this person's next daily digest falls due (08:00 in their time zone); null: not planned yet. */
  digest_due_at: Generated<Date | null>;
}

/** How a person wants each kind of notice (migration 0030); a kind without a row takes its default. */
export interface StaffNoticePreferencesTable {
  user_id: string;
  kind: 'alert' | 'task' | 'escalation' | 'reply' | 'signal';
  delivery: 'immediately' | 'digest' | 'off';
}

/** Notices a person chose to get in their daily digest, kept until the digest that lists them. */
export interface StaffDigestItemsTable {
  idempotency_key: string;
  user_id: string;
  kind: string;
  account_id: string | null;
  title: string;
  reason: string;
  path: string;
  created_at: Timestamp;
  digested_at: Timestamp | null;
}

export interface SessionsTable {
  token_hash: Buffer;
  user_id: string;
  started_by: 'password' | 'link' | 'setup';
  created_at: Timestamp;
  last_seen_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface OneTimeLinksTable {
  token_hash: Buffer;
  purpose: 'setup' | 'sign-in';
  user_id: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignInFailuresTable {
  email: string;
  address: string;
  at: Timestamp;
}
