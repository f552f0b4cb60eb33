// What each automated message to a person led to, per channel: a reply or a click within a week of
// the send counts as a response, and so does a message they start themselves. The journey engine
// learns from it which channel that person answers (`best` in a send step).
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export interface ChannelSendOutcome {
  readonly channel: string;
  readonly responded: boolean;
}

/**
 * The contact's sends of the last year on e-mail and SMS, each with whether it got a response, and
 * the messages they wrote to us on either channel (each counted as an answered send).
 */
export async function channelSendOutcomes(
  database: Kysely<Database>,
  contactId: string,
  now: Date,
): Promise<ChannelSendOutcome[]> {
  return (await channelSendOutcomesOf(database, [contactId], now)).get(contactId) ?? [];
}

/** The same for several people at once (the people of an account), by contact id. */
export async function channelSendOutcomesOf(
  database: Kysely<Database>,
  contactIds: readonly string[],
  now: Date,
): Promise<Map<string, ChannelSendOutcome[]>> {
  const yearAgo = new Date(now.getTime() - 365 * 86_400_000);
  const result = await sql<{ contact_id: string; channel: string; responded: boolean }>`
    select outbox.contact_id, outbox.channel, exists (
      select 1 from events
      where events.contact_id = outbox.contact_id and events.name in ('Message Replied', 'Message Clicked')
        and events.occurred_at >= outbox.sent_at and events.occurred_at < outbox.sent_at + interval '7 days'
        and coalesce(events.properties->>'channel', outbox.channel) = outbox.channel
    ) as responded
    from outbox
    where outbox.contact_id = any(${[...contactIds]}::text[]) and outbox.channel in ('email', 'sms')
      and outbox.status in ('sent', 'delivered-locally')
      and outbox.sent_at > ${yearAgo} and outbox.sent_at <= ${now}
    union all
    -- A message the person wrote to us on a channel is as good a sign that they answer there.
    select events.contact_id, events.properties->>'channel', true
    from events
    where events.contact_id = any(${[...contactIds]}::text[]) and events.name = 'Message Replied'
      and events.properties->>'channel' in ('email', 'sms')
      and coalesce(events.properties->>'direction', 'inbound') = 'inbound'
      and events.occurred_at > ${yearAgo} and events.occurred_at <= ${now}`.execute(database);
  const outcomes = new Map<string, ChannelSendOutcome[]>();
  for (const row of result.rows) {
    const list = outcomes.get(row.contact_id) ?? [];
    list.push({ channel: row.channel, responded: row.responded });
    outcomes.set(row.contact_id, list);
  }
  return outcomes;
}
