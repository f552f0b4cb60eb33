// Notifications to staff: each person's choice per kind of notice (immediately, in the daily digest, or
// not at all), their Slack incoming webhooks (their own, and on a manager the team's), the notices kept
// for the next digest, when each person's next digest falls due (08:00 in their own time zone), and which
// customers left waiting have been brought to a manager.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    alter table users add column slack_webhook_url text, add column team_slack_webhook_url text,
      add column digest_due_at timestamptz;
    create index users_digest_due on users (digest_due_at);
    create table staff_notice_preferences (
      user_id uuid not null references users(id) on delete cascade,
      kind text not null check (kind in ('alert', 'task', 'escalation', 'reply', 'signal')),
      delivery text not null check (delivery in ('immediately', 'digest', 'off')),
      primary key (user_id, kind)
    );
    create table staff_digest_items (
      idempotency_key text primary key,
      user_id uuid not null references users(id) on delete cascade,
      kind text not null,
      account_id text,
      title text not null,
      reason text not null,
      path text not null,
      created_at timestamptz not null,
      digested_at timestamptz
    );
    create index staff_digest_items_waiting on staff_digest_items (user_id, created_at) where digested_at is null;
    -- Notices to staff carry no account: an erasure finds those that may quote the person through this.
    create index outbox_staff_notices on outbox (created_at) where payload->>'kind' = 'staff-notice';
    -- A customer left waiting: the owner's manager hears once the wait reaches twice the allowance.
    alter table signals add column manager_notified_at timestamptz;
    create index signals_slow_response_waiting on signals (deadline_at)
      where kind = 'slow-response' and cleared_at is null and manager_notified_at is null;
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`
    drop index outbox_staff_notices; drop index signals_slow_response_waiting;
    alter table signals drop column manager_notified_at;
    drop table staff_digest_items; drop table staff_notice_preferences; drop index users_digest_due;
    alter table users drop column digest_due_at, drop column team_slack_webhook_url, drop column slack_webhook_url;
  `.execute(database);
}
