// The tables as Kysely sees them: one interface per table, column names as in the migrations. Kept by
// hand; test/store/schema-types.test.ts holds them to a migrated database on both deployments.
import type { ColumnType, Generated } from 'kysely';
import type {
  AdminTokensTable,
  OneTimeLinksTable,
  SessionsTable,
  SignInFailuresTable,
  SourcesTable,
  StaffDigestItemsTable,
  StaffNoticePreferencesTable,
  UsersTable,
  WriteKeysTable,
} from './access-schema.js';
import type { ConversationTables } from './conversation-schema.js';
import type { HealthModelFitsTable, PurchaseModelFitsTable } from './model-schema.js';
import type {
  JourneyRunsTable,
  JourneyTriggersTable,
  PlaybookSchedulesTable,
  PlaybookVersionsTable,
  PlaybooksTable,
  RunStepsTable,
} from './journey-schema.js';

export type {
  AdminTokensTable,
  OneTimeLinksTable,
  SessionsTable,
  SignInFailuresTable,
  SourcesTable,
  StaffDigestItemsTable,
  StaffNoticePreferencesTable,
  UsersTable,
  WriteKeysTable,
} from './access-schema.js';

export type { HealthModelFitsTable, PurchaseModelFitsTable } from './model-schema.js';
export type {
  JourneyRunsTable,
  JourneyTriggersTable,
  PlaybookSchedulesTable,
  PlaybookVersionsTable,
  PlaybooksTable,
  RunStepsTable,
} from './journey-schema.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export interface AccountsTable {
  id: string;
  name: string | null;
  plan: string | null;
  lifecycle_stage: string | null;
  revenue_minor: number | null;
  profit_minor: number | null;
  currency: string | null;
  owner_email: string | null;
  traits: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
  tier: Generated<string | null>;
  /**
   * The next known instant at which time alone raises or clears a signal (see
   * AccountEvaluation.nextCheckAt); null: none pending.
   */
  next_check_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The next daily refresh (the UTC midnight after the last evaluation); null before the first. */
  refresh_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  probability_alive: ColumnType<number | null, number | null | undefined, number | null>;
  /** The account's standing at its last evaluation, for the account list (migration 0023); null before it. */
  health_score: ColumnType<number | null, number | null | undefined, number | null>;
  /** The last substantive two-way human contact the last evaluation knew of; null: none. */
  last_contact_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The contribution the value ranking counts (profit or revenue, minor units). */
  value_minor: ColumnType<number | null, number | null | undefined, number | null>;
  /** The account's part in its owner's oversight at its last evaluation (migration 0024); null before it. */
  neglected: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  async_only: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  revenue_at_risk_minor: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface ContactsTable {
  id: string;
  account_id: string | null;
  email: string | null;
  phone: string | null;
  name: string | null;
  language: string | null;
  timezone: string | null;
  traits: Json;
  merged_into: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  account_id: string;
  contact_id: string;
  created_at: Timestamp;
}

export interface ContactAliasesTable {
  alias: string;
  contact_id: string;
  created_at: Timestamp;
}

export interface SignalsTable {
  id: string;
  account_id: string;
  kind: string;
  instance: string;
  owner_email: string | null;
  severity: number;
  value_at_stake_minor: number;
  reasons: ColumnType<string[], string, string>;
  deadline_at: Timestamp | null;
  raised_at: Timestamp;
  updated_at: Timestamp;
  cleared_at: Timestamp | null;
  /** The person the signal is about, when it is about one person rather than the account. */
  contact_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** slow-response: when the owner's manager was told the customer still waits (migration 0030). */
  manager_notified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface HealthScoresTable {
  account_id: string;
  day: string;
  score: number;
  components: ColumnType<unknown, string, string>;
  top_reasons: ColumnType<string[], string, string>;
  computed_at: Timestamp;
  /** The score with the configured (hand) weights (migration 0027); null in rows written before it. */
  configured_score: ColumnType<number | null, number | null | undefined, number | null>;
  /** The learned model's chance of loss within 13 weeks; null without a learned fit. */
  churn_probability: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface AccountActivityDaysTable {
  account_id: string;
  activity: string;
  day: string;
  count: number;
}

/** Daily counts of the disengagement activities per person in an account (migration 0013). */
export interface ContactActivityDaysTable {
  account_id: string;
  activity: string;
  day: string;
  contact_id: string;
  count: number;
}

/** Accounts an event made due, oldest first (the event lane); rows are deleted by the evaluation that saw them. */
export interface AccountEventQueueTable {
  account_id: string;
  due_at: Timestamp;
}

export interface EventReceiptsTable {
  source_id: string;
  message_id: string;
  received_at: Timestamp;
}

export interface EventsTable {
  id: string;
  source_id: string;
  message_id: string;
  type: string;
  name: string | null;
  contact_id: string | null;
  anonymous_id: string | null;
  account_id: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  properties: Json;
  context: Json;
}

export interface InteractionsTable {
  id: string;
  external_id: string | null;
  account_id: string | null;
  contact_id: string | null;
  user_email: string | null;
  channel: string;
  direction: string;
  actor: string;
  two_way: boolean;
  objective: string | null;
  summary: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
}

export interface TasksTable {
  id: string;
  idempotency_key: string | null;
  account_id: string | null;
  contact_id: string | null;
  owner_email: string;
  objective: string;
  talking_points: ColumnType<string[], string, string>;
  due_at: Timestamp;
  status: ColumnType<
    'open' | 'done' | 'cancelled',
    'open' | 'done' | 'cancelled' | undefined,
    'open' | 'done' | 'cancelled'
  >;
  outcome: 'reached' | 'no-answer' | 'saved' | 'lost' | 'other' | null;
  note: string | null;
  source: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  completed_at: Timestamp | null;
  escalated_at: Timestamp | null;
  escalated_to: string | null;
}

export interface OutboxTable {
  id: string;
  idempotency_key: string;
  run_id: string | null;
  account_id: string | null;
  contact_id: string | null;
  channel: string;
  recipient: string | null;
  payload: ColumnType<Record<string, unknown>, string, string>;
  status: OutboxStatus;
  reason: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  provider_message_id: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  worker_id: ColumnType<string | null, string | null | undefined, string | null>;
  message: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  unsubscribe_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  outcome: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set just before the provider is called: a claim without it certainly never reached the provider. */
  handed_over_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** Claimed highest first (see domain/playbooks/message-priority.ts); normal when left out. */
  priority: ColumnType<number, number | undefined, number>;
  /** The playbook whose run wrote it; null for staff notices and conversation replies. */
  playbook_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Where a message stands: waiting, being handed to the provider, done, or not sent (and why). */
export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'delivered-locally' | 'skipped' | 'failed' | 'unconfirmed';

export interface MessageLinksTable {
  token_hash: string;
  outbox_id: string;
  url: string;
}

export interface AccountFactsTable {
  account_id: string;
  name: string;
  occurred_at: Timestamp;
  contact_id: string | null;
  properties: ColumnType<Record<string, unknown>, string, string>;
}

export interface AccountFirstEventsTable {
  account_id: string;
  name: string;
  first_at: Timestamp;
}

export interface ConsentsTable {
  contact_id: string;
  channel: string;
  status: 'opted-in' | 'opted-out';
  at: Timestamp;
  source: string;
}

export interface DoNotContactTable {
  value: string;
  reason: string | null;
  at: Timestamp;
}

/** An e-mail address (lower-case) that bounced for good: no e-mail goes to it again. */
export interface UndeliverableAddressesTable {
  address: string;
  /** The delivery status code that said so, e.g. 5.1.1. */
  status: string;
  reason: string;
  /** The message whose bounce said so, when it was identified. */
  outbox_id: string | null;
  marked_at: Timestamp;
}

export interface AuditLogTable {
  id: string;
  at: Timestamp;
  actor: string;
  action: string;
  subject: string;
  details: Json;
}

/** Hashed identities of erased people, never contacted again (migration 0019). */
export interface ErasedIdentitiesTable {
  identity_hash: string;
  kind: string;
  erased_at: Timestamp;
}

/** Provider messages already acted on, so that a replay changes nothing (migration 0016). */
export interface InboundReceiptsTable {
  channel: string;
  reference: string;
  received_at: Timestamp;
}

/** One daily fit of the purchase model (BG/NBD); outcome: fitted, not-converged, failed or skipped. */
export interface ManualClockTable {
  only_row: Generated<boolean>;
  stands_at: Timestamp;
}

export interface Database extends ConversationTables {
  manual_clock: ManualClockTable;
  inbound_receipts: InboundReceiptsTable;
  audit_log: AuditLogTable;
  erased_identities: ErasedIdentitiesTable;
  sources: SourcesTable;
  write_keys: WriteKeysTable;
  admin_tokens: AdminTokensTable;
  accounts: AccountsTable;
  contacts: ContactsTable;
  memberships: MembershipsTable;
  contact_aliases: ContactAliasesTable;
  users: UsersTable;
  staff_notice_preferences: StaffNoticePreferencesTable;
  staff_digest_items: StaffDigestItemsTable;
  sessions: SessionsTable;
  one_time_links: OneTimeLinksTable;
  sign_in_failures: SignInFailuresTable;
  event_receipts: EventReceiptsTable;
  events: EventsTable;
  interactions: InteractionsTable;
  signals: SignalsTable;
  health_scores: HealthScoresTable;
  account_activity_days: AccountActivityDaysTable;
  contact_activity_days: ContactActivityDaysTable;
  tasks: TasksTable;
  playbooks: PlaybooksTable;
  playbook_versions: PlaybookVersionsTable;
  journey_runs: JourneyRunsTable;
  run_steps: RunStepsTable;
  outbox: OutboxTable;
  journey_triggers: JourneyTriggersTable;
  playbook_schedules: PlaybookSchedulesTable;
  message_links: MessageLinksTable;
  account_facts: AccountFactsTable;
  account_first_events: AccountFirstEventsTable;
  account_event_queue: AccountEventQueueTable;
  purchase_model_fits: PurchaseModelFitsTable;
  health_model_fits: HealthModelFitsTable;
  consents: ConsentsTable;
  do_not_contact: DoNotContactTable;
  undeliverable_addresses: UndeliverableAddressesTable;
}
