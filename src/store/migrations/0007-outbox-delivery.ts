// Delivery of the outbox through real channels: a row is claimed ('sending', by a named worker)
// before the provider is called, so that a crash mid-send is recognised afterwards as a send whose
// outcome is unknown ('unconfirmed') rather than silently repeated; the rendered message is kept for
// the record; one-click unsubscribe tokens are stored hashed; provider outcomes are dated.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table outbox drop constraint outbox_status_check;
    alter table outbox add constraint outbox_status_check
      check (status in ('pending', 'sending', 'sent', 'delivered-locally', 'skipped', 'failed', 'unconfirmed'));
    alter table outbox add column worker_id text;
    alter table outbox add column message jsonb;
    alter table outbox add column unsubscribe_token_hash text;
    alter table outbox add column delivered_at timestamptz;
    alter table outbox add column outcome text;
    alter table outbox add column handed_over_at timestamptz;
    create index outbox_sending on outbox (worker_id) where status = 'sending';
    create unique index outbox_unsubscribe_token on outbox (unsubscribe_token_hash)
      where unsubscribe_token_hash is not null;
    create index outbox_provider_message on outbox (provider_message_id) where provider_message_id is not null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop index outbox_provider_message; drop index outbox_unsubscribe_token; drop index outbox_sending;
    alter table outbox drop column handed_over_at, drop column outcome, drop column delivered_at,
      drop column unsubscribe_token_hash, drop column message, drop column worker_id;
    alter table outbox drop constraint outbox_status_check;
    alter table outbox add constraint outbox_status_check
      check (status in ('pending', 'sent', 'delivered-locally', 'skipped', 'failed'));
  `.execute(database);
}
