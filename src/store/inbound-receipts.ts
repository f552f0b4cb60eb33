// Which provider messages Tend has already acted on: an inbound request is keyed by the provider's own
// id (Twilio's MessageSid, Mailgun's token), so a replay or a retry of it changes nothing.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Records that `reference` on `channel` is being acted on; false when it already was. Call it in the
 * transaction that acts on the message, so that a failed attempt leaves no receipt behind.
 */
export async function firstReceipt(
  database: Kysely<Database>,
  channel: string,
  reference: string,
  now: Date,
): Promise<boolean> {
  const inserted = await database
    .insertInto('inbound_receipts')
    .values({ channel, reference, received_at: now })
    .onConflict((conflict) => conflict.columns(['channel', 'reference']).doNothing())
    .returning('reference')
    .executeTakeFirst();
  return inserted !== undefined;
}
