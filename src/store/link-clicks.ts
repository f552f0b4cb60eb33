// Clicks on tracked links: the provider-independent outcome of an e-mail. A click is recorded once per
// link as Tend's own event and wakes the runs waiting for a response.
import type { Kysely } from 'kysely';
import { wakeRunsAwaiting } from './journey-store.js';
import { recordOwnEventOnce } from './own-events.js';
import type { Database } from './schema.js';
import { retriedTransaction } from './contention-retry.js';

/** Where a tracked link leads, without recording anything; null when the token is unknown. */
export async function linkTarget(database: Kysely<Database>, tokenHash: string): Promise<string | null> {
  const link = await database
    .selectFrom('message_links')
    .select('url')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return link?.url ?? null;
}

/**
 * A click on a tracked link: where it leads, after recording Message Clicked (once per link) and
 * waking the runs that wait for a response; null when the token is unknown.
 */
export async function recordLinkClick(
  database: Kysely<Database>,
  tokenHash: string,
  now: Date,
): Promise<string | null> {
  return retriedTransaction(database, async (trx) => {
    const link = await trx
      .selectFrom('message_links')
      .innerJoin('outbox', 'outbox.id', 'message_links.outbox_id')
      .select([
        'message_links.url',
        'outbox.id',
        'outbox.account_id',
        'outbox.contact_id',
        'outbox.channel',
        'outbox.run_id',
      ])
      .where('message_links.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!link) return null;
    const first = await recordOwnEventOnce(
      trx,
      'Message Clicked',
      `click:${tokenHash}`,
      link.account_id,
      link.contact_id,
      { channel: link.channel, outboxId: link.id, runId: link.run_id, url: link.url },
      now,
    );
    if (first && link.account_id !== null) await wakeRunsAwaiting(trx, [link.account_id], ['Message Clicked'], now);
    return link.url;
  });
}
