// Writes notices to staff in the caller's transaction: outbox rows (e-mail, and Slack when a webhook
// applies) keyed per notice and channel, or a line kept for the person's digest. A person who is disabled
// gets nothing; the rows carry no account, contact or run, so no customer's caps, timeline or results
// ever count them.
import { type Kysely, type Transaction, sql } from 'kysely';
import {
  type NoticeDelivery,
  noticeDelivery,
  type StaffChannel,
  type StaffNotice,
  type StaffNoticePayload,
} from '../domain/staff-notices.js';
import { personalMessageRank } from '../domain/playbooks/message-priority.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** A person as their notices need them: enabled or not, and the Slack webhook that applies (own or team). */
interface NoticeRecipient {
  readonly email: string;
  readonly enabled: boolean;
  readonly slack: boolean;
  readonly delivery: NoticeDelivery | null;
  readonly userId: string;
}

/** The person a notice is for; null when nobody of that address is a user. */
export async function noticeRecipient(
  executor: Executor,
  userEmail: string,
  kind: StaffNotice['kind'] | null,
): Promise<NoticeRecipient | null> {
  const row = await sql<{
    id: string;
    email: string;
    enabled: boolean;
    slack: boolean;
    delivery: string | null;
  }>`select person.id, person.email,
      person.disabled_at is null and person.active as enabled,
      coalesce(person.slack_webhook_url, manager.team_slack_webhook_url) is not null as slack,
      preference.delivery
    from users person
    left join users manager on manager.id = person.manager_id
    left join staff_notice_preferences preference on preference.user_id = person.id and preference.kind = ${kind}
    where person.email = ${userEmail.toLowerCase()}`.execute(executor);
  const found = row.rows[0];
  if (found === undefined) return null;
  return {
    email: found.email,
    enabled: found.enabled,
    slack: found.slack,
    delivery: kind === null ? null : noticeDelivery(kind, found.delivery),
    userId: found.id,
  };
}

/** Writes one outbox row per channel for the person; a key already written is left as it is. */
export async function writeStaffMessages(
  executor: Executor,
  recipient: { readonly email: string; readonly slack: boolean },
  payload: StaffNoticePayload,
  idempotencyKey: string,
  now: Date,
): Promise<void> {
  const channels: StaffChannel[] = recipient.slack ? ['staff-email', 'slack'] : ['staff-email'];
  await executor
    .insertInto('outbox')
    .values(
      channels.map((channel) => ({
        id: newId(now.getTime()),
        idempotency_key: `${idempotencyKey}:${channel}`,
        run_id: null,
        account_id: null,
        contact_id: null,
        channel,
        recipient: recipient.email,
        // Someone is waiting on each, and they are few: ahead of routine and marketing sends.
        priority: personalMessageRank,
        payload: JSON.stringify(payload),
        status: 'pending' as const,
        reason: null,
        next_attempt_at: now,
        provider_message_id: null,
        created_at: now,
        sent_at: null,
      })),
    )
    .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
    .execute();
}

/**
 * Tells a staff member about something that concerns them, as they chose for its kind: at once on their
 * channels, kept for their daily digest, or not at all. Exactly once per idempotency key, in the
 * transaction that made the cause.
 */
export async function notifyStaff(executor: Executor, notice: StaffNotice, now: Date): Promise<void> {
  const recipient = await noticeRecipient(executor, notice.userEmail, notice.kind);
  if (recipient === null || !recipient.enabled) return;
  switch (recipient.delivery) {
    case 'off':
    case null:
      return;
    case 'digest':
      await executor
        .insertInto('staff_digest_items')
        .values({
          idempotency_key: notice.idempotencyKey,
          user_id: recipient.userId,
          kind: notice.kind,
          account_id: notice.accountId,
          title: notice.title,
          reason: notice.reason,
          path: notice.path,
          created_at: now,
          digested_at: null,
        })
        .onConflict((conflict) => conflict.column('idempotency_key').doNothing())
        .execute();
      return;
    case 'immediately': {
      const payload: StaffNoticePayload = {
        kind: 'staff-notice',
        notice: notice.kind,
        userEmail: recipient.email,
        accountId: notice.accountId,
        title: notice.title,
        reason: notice.reason,
        path: notice.path,
      };
      await writeStaffMessages(executor, recipient, payload, notice.idempotencyKey, now);
      return;
    }
  }
}

/** A message for one staff member, whatever they chose for notices. */
export interface StaffMail {
  readonly userEmail: string;
  readonly subject: string;
  readonly text: string;
  /** The app path the link opens. */
  readonly path: string;
  readonly idempotencyKey: string;
}

/**
 * A message straight to a staff member by e-mail, whatever their preferences (e.g. "this BCC'd mail could
 * not be logged"); nothing for an unknown or disabled person.
 */
export async function mailStaff(executor: Executor, mail: StaffMail, now: Date): Promise<void> {
  const recipient = await noticeRecipient(executor, mail.userEmail, null);
  if (recipient === null || !recipient.enabled) return;
  const payload: StaffNoticePayload = {
    kind: 'staff-notice',
    notice: 'mail',
    userEmail: recipient.email,
    accountId: null,
    title: mail.subject,
    reason: mail.text,
    path: mail.path,
  };
  await writeStaffMessages(executor, { email: recipient.email, slack: false }, payload, mail.idempotencyKey, now);
}

/** What sending a staff message reads as it goes out: the person (still enabled?), their Slack URL, the account. */
export interface StaffDeliveryFacts {
  readonly enabled: boolean;
  readonly name: string | null;
  /** Their own Slack webhook, else their manager's team webhook; null: none applies (any more). */
  readonly slackWebhookUrl: string | null;
  readonly accountName: string | null;
}

/** Null when the person is no longer a user. */
export async function staffDeliveryFacts(
  executor: Executor,
  userEmail: string,
  accountId: string | null,
): Promise<StaffDeliveryFacts | null> {
  const result = await sql<{
    enabled: boolean;
    name: string | null;
    slack_webhook_url: string | null;
    account_name: string | null;
  }>`select person.disabled_at is null and person.active as enabled, person.name,
      coalesce(person.slack_webhook_url, manager.team_slack_webhook_url) as slack_webhook_url,
      (select coalesce(account.name, account.id) from accounts account where account.id = ${accountId}) as account_name
    from users person left join users manager on manager.id = person.manager_id
    where person.email = ${userEmail.toLowerCase()}`.execute(executor);
  const row = result.rows[0];
  if (row === undefined) return null;
  return {
    enabled: row.enabled,
    name: row.name,
    slackWebhookUrl: row.slack_webhook_url,
    accountName: row.account_name,
  };
}

/** Why a staff message must not go out now: the person was disabled or removed meanwhile; null: it may. */
export async function staffReasonNotToSend(executor: Executor, userEmail: string): Promise<string | null> {
  const row = await executor
    .selectFrom('users')
    .select(['disabled_at', 'active'])
    .where('email', '=', userEmail.toLowerCase())
    .executeTakeFirst();
  if (row === undefined) return `${userEmail} is no longer a user of Tend`;
  if (row.disabled_at !== null || !row.active) return `${userEmail} is disabled`;
  return null;
}
