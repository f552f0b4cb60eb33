// The tables of conversations as Kysely sees them (migration 0031): a thread per customer, and the
// messages they wrote and the replies people wrote from Tend.
import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type OptionalTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ConversationsTable {
  id: string;
  contact_id: string;
  /** The contact's account as of their latest message; its owner owns the conversation. */
  account_id: string | null;
  /** How the customer last wrote: a reply goes the same way. */
  channel: 'email' | 'sms';
  /** The e-mail address or phone number the customer last wrote from. */
  customer_address: string;
  /** Where they wrote to: a thread address on the reply domain, or Tend's SMS number. */
  tend_address: string | null;
  /** The subject of their latest e-mail. */
  subject: string | null;
  /** The Message-ID of their latest e-mail, which a reply names in In-Reply-To and References. */
  last_message_id: string | null;
  /** Their oldest message not answered yet; null when answered. */
  waiting_since: OptionalTimestamp;
  answered_at: OptionalTimestamp;
  last_inbound_at: Timestamp;
  last_message_at: Timestamp;
  created_at: Timestamp;
}

export interface ConversationMessagesTable {
  id: string;
  conversation_id: string;
  contact_id: string;
  account_id: string | null;
  direction: 'inbound' | 'outbound';
  channel: 'email' | 'sms';
  /** The provider's message (email:<Message-ID>, twilio:<sid>) or the reply's outbox row: a message once. */
  reference: string;
  sender: string | null;
  /** The person who wrote a reply. */
  user_email: string | null;
  outbox_id: string | null;
  subject: string | null;
  body: string;
  at: Timestamp;
}

/** The conversation tables of the `Database` (schema.ts). */
export interface ConversationTables {
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
}
