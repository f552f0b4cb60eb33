// A person's notification settings as stored: their choice per kind of notice, their time zone, their
// Slack webhook (and on a manager the team's), and when their next digest is due. The webhook URLs are
// secrets: read here to say whether one is set and its host, never to be returned whole.
import type { Kysely } from 'kysely';
import type { AuditEntry } from '../domain/audit.js';
import { recordAuditEntry } from './audit-log.js';
import type { NoticeDelivery, StaffNoticeKind } from '../domain/staff-notices.js';
import { retriedTransaction } from './contention-retry.js';
import type { Database } from './schema.js';

export interface StoredNotificationSettings {
  readonly userId: string;
  readonly email: string;
  readonly name: string | null;
  readonly role: 'rep' | 'manager' | 'admin';
  readonly disabled: boolean;
  readonly timezone: string | null;
  readonly chosen: ReadonlyMap<StaffNoticeKind, NoticeDelivery>;
  readonly slackWebhookUrl: string | null;
  readonly teamSlackWebhookUrl: string | null;
  /** Their manager's team webhook: used when they have none of their own. */
  readonly managerTeamSlackWebhookUrl: string | null;
  readonly managerEmail: string | null;
  readonly nextDigestAt: Date | null;
}

/** Null when no user has this id or e-mail. */
export async function loadNotificationSettings(
  database: Kysely<Database>,
  idOrEmail: string,
): Promise<StoredNotificationSettings | null> {
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrEmail);
  const row = await database
    .selectFrom('users as person')
    .leftJoin('users as manager', 'manager.id', 'person.manager_id')
    .select([
      'person.id',
      'person.email',
      'person.name',
      'person.role',
      'person.disabled_at',
      'person.active',
      'person.timezone',
      'person.slack_webhook_url',
      'person.team_slack_webhook_url',
      'person.digest_due_at',
      'manager.team_slack_webhook_url as manager_team_slack_webhook_url',
      'manager.email as manager_email',
    ])
    .where(isId ? 'person.id' : 'person.email', '=', isId ? idOrEmail : idOrEmail.toLowerCase())
    .executeTakeFirst();
  if (row === undefined) return null;
  const preferences = await database
    .selectFrom('staff_notice_preferences')
    .select(['kind', 'delivery'])
    .where('user_id', '=', row.id)
    .execute();
  return {
    userId: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled_at !== null || !row.active,
    timezone: row.timezone,
    chosen: new Map(preferences.map((preference) => [preference.kind, preference.delivery])),
    slackWebhookUrl: row.slack_webhook_url,
    teamSlackWebhookUrl: row.team_slack_webhook_url,
    managerTeamSlackWebhookUrl: row.manager_team_slack_webhook_url,
    managerEmail: row.manager_email,
    nextDigestAt: row.digest_due_at,
  };
}

/** What a change sets; a field left out stays as it is, null clears it. */
export interface NotificationSettingsChange {
  readonly kinds?: Partial<Readonly<Record<StaffNoticeKind, NoticeDelivery>>>;
  readonly timezone?: string | null;
  readonly slackWebhookUrl?: string | null;
  readonly teamSlackWebhookUrl?: string | null;
}

/** Applies the change at once; a new time zone has the next digest planned again on the new clock. */
export async function saveNotificationSettings(
  database: Kysely<Database>,
  userId: string,
  change: NotificationSettingsChange,
  audit: { readonly entry: AuditEntry; readonly at: Date },
): Promise<void> {
  await retriedTransaction(database, async (trx) => {
    // Where a person's notices go (a Slack channel) is accounted for with the change, in one commit.
    await recordAuditEntry(trx, audit.entry, audit.at);
    const kinds = Object.entries(change.kinds ?? {}) as [StaffNoticeKind, NoticeDelivery][];
    if (kinds.length > 0)
      await trx
        .insertInto('staff_notice_preferences')
        .values(kinds.map(([kind, delivery]) => ({ user_id: userId, kind, delivery })))
        .onConflict((conflict) =>
          conflict.columns(['user_id', 'kind']).doUpdateSet((eb) => ({ delivery: eb.ref('excluded.delivery') })),
        )
        .execute();
    const columns = {
      ...(change.timezone === undefined ? {} : { timezone: change.timezone, digest_due_at: null }),
      ...(change.slackWebhookUrl === undefined ? {} : { slack_webhook_url: change.slackWebhookUrl }),
      ...(change.teamSlackWebhookUrl === undefined ? {} : { team_slack_webhook_url: change.teamSlackWebhookUrl }),
    };
    if (Object.keys(columns).length > 0) await trx.updateTable('users').set(columns).where('id', '=', userId).execute();
  });
}
