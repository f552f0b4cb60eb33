// E-mail addresses that bounced for good (a delivery status notification with Action: failed and a 5.x.x
// status): no e-mail goes to them again. Keyed by the address, not the contact, so a contact who gives a
// new address is reachable at once, and the same dead address on two contacts is known dead for both.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table undeliverable_addresses (
      address text primary key check (address = lower(address)),
      status text not null,
      reason text not null,
      outbox_id uuid,
      marked_at timestamptz not null
    )
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table undeliverable_addresses`.execute(database);
}
