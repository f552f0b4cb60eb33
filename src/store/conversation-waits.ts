// How long a customer waits once they are answered up to a moment: from their oldest message after it.
// Shared by a person's reply that went out (conversation-answers.ts) and the ingest, whose rep touches
// answer the conversations of their accounts (derived-record-writes.ts).
import { type RawBuilder, sql } from 'kysely';

/**
 * The wait that is left once the customer's messages up to `answeredAt` are answered: from their
 * oldest message after it (one probe of the thread's index), or none.
 */
export function waitAfter(conversation: RawBuilder<unknown>, answeredAt: RawBuilder<unknown>): RawBuilder<Date | null> {
  return sql<Date | null>`(select min(later.at) from conversation_messages later
    where later.conversation_id = ${conversation} and later.direction = 'inbound' and later.at > ${answeredAt})`;
}

/**
 * The ingest's part (store/derived-record-writes.ts) for the rep's outbound touches of a batch (their
 * accounts and times): the conversations of those accounts waiting since before one are answered.
 */
export function answerConversationsOfAccounts(
  accountIds: readonly string[],
  times: readonly Date[],
): RawBuilder<unknown> {
  const at = times.map((time) => time.toISOString());
  return sql`update conversations set answered_at = touched.at,
      waiting_since = ${waitAfter(sql`conversations.id`, sql`touched.at`)}
    from (select account_id, max(at) as at
          from unnest(${[...accountIds]}::text[], ${at}::timestamptz[]) as touch(account_id, at)
          group by account_id) touched
    where conversations.account_id = touched.account_id and conversations.waiting_since <= touched.at`;
}
