// Tend's own events (Signal Raised, Task Created, …) go into the same events table as the customer's,
// under Tend's own source, so that journeys, reports and the timeline read one vocabulary.
import type { Transaction } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

/** The source Tend's own events are recorded under (created by migration 0002). */
export const tendSourceId = '00000000-0000-7000-8000-000000000001';

/** An events-table row for something Tend did; `messageId` makes the record idempotent per cause. */
export function ownEvent(
  name: string,
  messageId: string,
  accountId: string | null,
  contactId: string | null,
  properties: Record<string, unknown>,
  at: Date,
) {
  return {
    id: newId(at.getTime()),
    source_id: tendSourceId,
    message_id: messageId,
    type: 'track',
    name,
    contact_id: contactId,
    anonymous_id: null,
    account_id: accountId,
    occurred_at: at,
    received_at: at,
    properties: JSON.stringify(properties),
    context: '{}',
  };
}

/**
 * Records an event of Tend's own once per `messageId` (a provider repeating a callback adds nothing); true
 * when new.
 */
export async function recordOwnEventOnce(
  trx: Transaction<Database>,
  name: string,
  messageId: string,
  accountId: string | null,
  contactId: string | null,
  properties: Record<string, unknown>,
  at: Date,
): Promise<boolean> {
  const receipt = await trx
    .insertInto('event_receipts')
    .values({ source_id: tendSourceId, message_id: messageId, received_at: at })
    .onConflict((conflict) => conflict.doNothing())
    .returning('message_id')
    .executeTakeFirst();
  if (!receipt) return false;
  await trx
    .insertInto('events')
    .values(ownEvent(name, messageId, accountId, contactId, properties, at))
    .execute();
  return true;
}
