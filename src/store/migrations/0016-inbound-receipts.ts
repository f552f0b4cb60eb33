// The provider messages Tend has acted on (Twilio's MessageSid of a STOP or START, a Mailgun token):
// a request replayed later is recognised and changes nothing. Twilio's signature covers no time, so
// a captured START could otherwise opt someone back in after a later STOP.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table inbound_receipts (
      channel text not null,
      reference text not null,
      received_at timestamptz not null,
      primary key (channel, reference)
    );
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table inbound_receipts`.execute(database);
}
