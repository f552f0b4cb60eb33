// Notices about signals, written set-wise: those an evaluation batch raised go to the accounts' owners as
// parts of the batch's one statement (no round trip of their own); customers still waiting at twice the
// allowance go to the owners' managers, claimed once each.
import { type Kysely, sql } from 'kysely';
import { signalNoticeWording } from '../domain/signal-notices.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import type { RaisedSignal } from './signal-store.js';
import { notifyStaff } from './staff-notice-store.js';
import type { WritePart } from './write-together.js';
import { retriedTransaction } from './contention-retry.js';

/** Kinds whose owner is told on any account: a customer waiting, a promise falling due. */
const alwaysTold: ReadonlySet<string> = new Set(['slow-response', 'promise-due']);

/**
 * The writes that tell each account's owner about signals raised on an account of the top tier (and about
 * slow-response on any), as each owner chose: outbox rows (e-mail, Slack when a webhook applies) or lines
 * for their digest. Parts of the evaluation's statement: they read the accounts and users, and write only
 * the outbox and the digest lines, which no other part touches.
 */
export function signalNoticeWrites(raised: readonly RaisedSignal[], topTier: string | null, now: Date): WritePart[] {
  const concerned = raised.filter((signal) => alwaysTold.has(signal.kind) || topTier !== null);
  if (concerned.length === 0) return [];
  const wordings = concerned.map((signal) => signalNoticeWording(signal));
  const column = <T>(read: (index: number) => T) => concerned.map((_, index) => read(index));
  const candidates = sql`select notice.*, person.id as user_id, person.email,
      coalesce(person.slack_webhook_url, manager.team_slack_webhook_url) is not null as slack,
      coalesce(preference.delivery, notice.default_delivery) as delivery,
      'signal:' || notice.signal_id || ':' || person.email as notice_key
    from unnest(${column((i) => concerned[i]!.signalId)}::text[], ${column((i) => concerned[i]!.accountId)}::text[],
                ${column((i) => concerned[i]!.kind)}::text[], ${column((i) => concerned[i]!.noticeTo)}::text[],
                ${column((i) => wordings[i]!.noticeKind)}::text[],
                ${column((i) => wordings[i]!.defaultDelivery)}::text[], ${column((i) => wordings[i]!.title)}::text[],
                ${column((i) => wordings[i]!.reason)}::text[], ${column((i) => wordings[i]!.path)}::text[],
                ${column(() => newId(now.getTime()))}::uuid[], ${column(() => newId(now.getTime()))}::uuid[])
      as notice(signal_id, account_id, signal_kind, notice_to, notice_kind, default_delivery, title, reason, path,
                email_id, slack_id)
    join accounts account on account.id = notice.account_id
    -- The person a signal names (a promise's deliverer) when they are an active user, else the account's owner.
    join users person on person.email = coalesce((select named.email from users named
      where named.email = notice.notice_to and named.active and named.disabled_at is null), account.owner_email)
    left join users manager on manager.id = person.manager_id
    left join staff_notice_preferences preference
      on preference.user_id = person.id and preference.kind = notice.notice_kind
    where person.disabled_at is null and person.active
      and (notice.signal_kind = any(${[...alwaysTold]}::text[]) or account.tier = ${topTier})`;
  return [
    { name: 'signal_notices', statement: candidates },
    {
      name: 'signal_notices_sent',
      statement: sql`insert into outbox (id, idempotency_key, run_id, account_id, contact_id, channel, recipient,
          payload, status, attempts, next_attempt_at, created_at)
        select message.id, notice.notice_key || ':' || message.channel, null, null, null, message.channel,
          notice.email,
          jsonb_build_object('kind', 'staff-notice', 'notice', notice.notice_kind, 'userEmail', notice.email,
            'accountId', notice.account_id, 'title', notice.title, 'reason', notice.reason, 'path', notice.path),
          'pending', 0, ${now}::timestamptz, ${now}::timestamptz
        from signal_notices notice
        cross join lateral (values (notice.email_id, 'staff-email'), (notice.slack_id, 'slack')) as message(id, channel)
        where notice.delivery = 'immediately' and (message.channel = 'staff-email' or notice.slack)
        on conflict (idempotency_key) do nothing`,
    },
    {
      name: 'signal_notices_kept',
      statement: sql`insert into staff_digest_items (idempotency_key, user_id, kind, account_id, title, reason, path,
          created_at)
        select notice.notice_key, notice.user_id, notice.notice_kind, notice.account_id, notice.title, notice.reason,
          notice.path, ${now}::timestamptz
        from signal_notices notice where notice.delivery = 'digest'
        on conflict (idempotency_key) do nothing`,
    },
  ];
}

/** An open slow-response that waits for the manager: when it reaches them depends on its instance's allowance. */
export interface SlowResponseDelays {
  /** Milliseconds after the deadline, per instance (inbound-message, new-lead). */
  readonly delayMs: (instance: string) => number;
}

const instances = ['inbound-message', 'new-lead'] as const;

/**
 * Tells the owners' managers about customers still waiting one allowance past the deadline (twice the
 * allowance in all), once each (SKIP LOCKED, and the signal marked), in batches; returns how many.
 */
export async function notifyManagersOfWaiting(
  database: Kysely<Database>,
  delays: SlowResponseDelays,
  now: Date,
  limit = 200,
): Promise<number> {
  return retriedTransaction(database, async (trx) => {
    const due = await trx
      .selectFrom('signals')
      .innerJoin('accounts', 'accounts.id', 'signals.account_id')
      .innerJoin('users as owner', 'owner.email', 'accounts.owner_email')
      .leftJoin('users as manager', 'manager.id', 'owner.manager_id')
      .select(['signals.id', 'signals.account_id', 'signals.reasons', 'signals.deadline_at', 'owner.email as owner'])
      .select(['manager.email as manager', sql<string>`coalesce(accounts.name, accounts.id)`.as('account_name')])
      .where('signals.kind', '=', 'slow-response')
      .where('signals.cleared_at', 'is', null)
      .where('signals.manager_notified_at', 'is', null)
      .where((eb) =>
        eb.or(
          instances.map((instance) =>
            eb.and([
              eb('signals.instance', '=', instance),
              eb('signals.deadline_at', '<=', new Date(now.getTime() - delays.delayMs(instance))),
            ]),
          ),
        ),
      )
      .orderBy('signals.deadline_at')
      .limit(limit)
      .forUpdate('signals')
      .skipLocked()
      .execute();
    if (due.length === 0) return 0;
    await trx
      .updateTable('signals')
      .set({ manager_notified_at: now })
      .where(
        'id',
        'in',
        due.map((row) => row.id),
      )
      .execute();
    for (const row of due) {
      if (row.manager === null) continue;
      await notifyStaff(
        trx,
        {
          kind: 'escalation',
          userEmail: row.manager,
          accountId: row.account_id,
          title: `Still waiting for an answer: ${row.account_name}`,
          reason:
            `A customer of ${row.owner} has waited twice as long as we aim to answer within.\n` +
            row.reasons.join('\n'),
          path: `/accounts/${encodeURIComponent(row.account_id)}`,
          idempotencyKey: `slow-response:${row.id}:manager:${row.manager}`,
        },
        now,
      );
    }
    return due.length;
  });
}

/** When the next open slow-response reaches a manager, after `after` and up to `until` (for the manual clock). */
export async function nextWaitingDue(
  database: Kysely<Database>,
  delays: SlowResponseDelays,
  after: Date,
  until: Date,
): Promise<Date | null> {
  let next: Date | null = null;
  for (const instance of instances) {
    const delay = delays.delayMs(instance);
    const row = await database
      .selectFrom('signals')
      .select((eb) => eb.fn.min('deadline_at').as('at'))
      .where('kind', '=', 'slow-response')
      .where('instance', '=', instance)
      .where('cleared_at', 'is', null)
      .where('manager_notified_at', 'is', null)
      .where('deadline_at', '>', new Date(after.getTime() - delay))
      .where('deadline_at', '<=', new Date(until.getTime() - delay))
      .executeTakeFirst();
    if (row?.at) {
      const at = new Date(new Date(row.at as Date).getTime() + delay);
      if (next === null || at < next) next = at;
    }
  }
  return next;
}
