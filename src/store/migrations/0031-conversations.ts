// Conversations: one thread per customer (contact), with the messages they wrote in and the replies a
// person wrote from Tend; Tend's automated messages stay in the outbox and are read beside them. A
// conversation remembers how long the customer has waited (since their oldest unanswered message).
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table conversations (
      id uuid primary key,
      contact_id text not null unique,
      account_id text,
      channel text not null check (channel in ('email', 'sms')),
      customer_address text not null,
      tend_address text,
      subject text,
      last_message_id text,
      waiting_since timestamptz,
      answered_at timestamptz,
      last_inbound_at timestamptz not null,
      last_message_at timestamptz not null,
      created_at timestamptz not null
    );
    create index conversations_account on conversations (account_id, last_message_at desc);
    create index conversations_waiting on conversations (waiting_since, id) where waiting_since is not null;
    create index conversations_answered on conversations (last_message_at desc, id) where waiting_since is null;

    create table conversation_messages (
      id uuid primary key,
      conversation_id uuid not null references conversations (id) on delete cascade,
      contact_id text not null,
      account_id text,
      direction text not null check (direction in ('inbound', 'outbound')),
      channel text not null check (channel in ('email', 'sms')),
      reference text not null unique,
      sender text,
      user_email text,
      outbox_id uuid,
      subject text,
      body text not null,
      at timestamptz not null
    );
    create index conversation_messages_thread on conversation_messages (conversation_id, at desc);
    create index conversation_messages_inbound on conversation_messages (at) where direction = 'inbound';
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table conversation_messages; drop table conversations`.execute(database);
}
