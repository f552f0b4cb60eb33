// How far a playbook's sending has got, for someone watching an outage notice or a campaign go out: the
// runs that entered and its messages sent, waiting, failed or skipped per channel, over the last day.
// One statement along the runs' (playbook, entered) and the outbox's (playbook, created) indexes.
import { type Kysely, sql } from 'kysely';
import { assertNever } from '../domain/tracking-message.js';
import type { Database, OutboxStatus } from './schema.js';

/**
 * The window progress is counted over: a notice to a whole customer base goes out within it, and a
 * count that never looks further back stays as cheap however long the playbook has run.
 */
export const progressWindowMilliseconds = 86_400_000;

export interface MessageProgress {
  readonly sent: number;
  /** Waiting in the outbox, or being handed to the provider now. */
  readonly pending: number;
  readonly failed: number;
  readonly skipped: number;
  /** The provider may have it; not sent again unless a person asks (see outbox-store.ts). */
  readonly unconfirmed: number;
}

export interface ChannelProgress extends MessageProgress {
  readonly channel: string;
}

export interface PlaybookProgress {
  readonly since: Date;
  /** Runs that entered since then, treated and held out. */
  readonly entered: number;
  readonly messages: MessageProgress;
  /** Channels with a message since then, by name. */
  readonly byChannel: readonly ChannelProgress[];
}

const nothing: MessageProgress = { sent: 0, pending: 0, failed: 0, skipped: 0, unconfirmed: 0 };

/** What a message in this status counts as, for a person watching the sending. */
function progressKey(status: OutboxStatus): keyof MessageProgress {
  switch (status) {
    case 'pending':
    case 'sending':
      return 'pending';
    case 'sent':
    case 'delivered-locally':
      return 'sent';
    case 'failed':
    case 'skipped':
    case 'unconfirmed':
      return status;
    default:
      return assertNever(status);
  }
}

/** The playbook's runs entered and messages written since `since`, its messages by where they stand. */
export async function playbookProgress(
  database: Kysely<Database>,
  playbookId: string,
  since: Date,
): Promise<PlaybookProgress> {
  const rows = await sql<{ channel: string | null; status: OutboxStatus | null; count: number }>`
    select null::text as channel, null::text as status, count(*)::int as count from journey_runs
    where playbook_id = ${playbookId} and entered_at >= ${since}
    union all
    select channel, status, count(*)::int from outbox
    where playbook_id = ${playbookId} and created_at >= ${since}
    group by channel, status`.execute(database);
  let entered = 0;
  let messages = nothing;
  const channels = new Map<string, MessageProgress>();
  for (const row of rows.rows) {
    const count = Number(row.count);
    if (row.channel === null || row.status === null) {
      entered = count;
      continue;
    }
    const key = progressKey(row.status);
    messages = { ...messages, [key]: messages[key] + count };
    const channel = channels.get(row.channel) ?? nothing;
    channels.set(row.channel, { ...channel, [key]: channel[key] + count });
  }
  const byChannel = [...channels.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([channel, counts]) => ({ channel, ...counts }));
  return { since, entered, messages, byChannel };
}
