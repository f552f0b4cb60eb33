// Tend's own events (Signal Raised, Task Created, …) go into the same events table as the customer's,
// under Tend's own source, so that journeys, reports and the timeline read one vocabulary.
import { newId } from './ids.js';

/** The source Tend's own events are recorded under (created by migration 0002). */
export const tendSourceId = '00000000-0000-7000-8000-000000000001';

/** An events-table row for something Tend did; `messageId` makes the record idempotent per cause. */
export function ownEvent(name: string, messageId: string, accountId: string | null, contactId: string | null, properties: Record<string, unknown>, at: Date) {
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
