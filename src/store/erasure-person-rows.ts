// The person's own records in an erasure: each row keyed by one of their ids is either deleted (what
// only says who they are: aliases, their activity, queued triggers) or kept under their erased id with
// its personal content removed (events, messages, consents, signals, tasks, runs), so that the
// account's history and counts stay and nothing points back to them.
import { type RawBuilder, sql, type Transaction } from 'kysely';
import { keptPropertyKeys } from '../domain/personal-data.js';
import {
  type ErasureCounts,
  type ErasureScope,
  eraseMentionsInJson,
  erasedText,
  type MentionRewrite,
  ownPattern,
} from './erasure-mentions.js';
import type { Database } from './schema.js';
import { anonymousAlias } from './tracking-writer.js';

/** What of a JSON object an erasure keeps: numbers, booleans and codes (keptPropertyKeys) not quoting the person. */
function keptProperties(scope: ErasureScope, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`case when jsonb_typeof(${column}) = 'object' then (
      select coalesce(jsonb_object_agg(property.key, property.value), '{}'::jsonb)
      from jsonb_each(${column}) as property(key, value)
      where (jsonb_typeof(property.value) in ('number', 'boolean')
          or (jsonb_typeof(property.value) = 'string' and property.key = any(${[...keptPropertyKeys]}::text[])))
        and (property.value #>> '{}') !~* ${ownPattern(scope)}
    ) else '{}'::jsonb end`;
}

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0);

/** Rewrites or deletes every row keyed by the person; their contact row and aliases last. */
export async function erasePersonRows(
  trx: Transaction<Database>,
  scope: ErasureScope,
  counts: ErasureCounts,
): Promise<void> {
  const { erasedId, now } = scope;
  const run = async (table: string, statement: RawBuilder<unknown>) =>
    counts.add(table, affected(await statement.execute(trx)));
  const rewrite: MentionRewrite = { trx, patterns: scope.own, erasedId };
  const ids = sql`${[...scope.ids]}::text[]`;
  const accounts = sql`${[...scope.accountIds]}::text[]`;
  const text = (column: string) => erasedText(rewrite, sql.ref(column));
  const key = (column: string) => erasedText(rewrite, sql.ref(column), true);
  const pattern = ownPattern(scope);
  const theirEvents = (alias: string) => {
    const contact = sql.ref(`${alias}.contact_id`);
    const anonymous = sql.ref(`${alias}.anonymous_id`);
    const anonymousIds = sql`${[...scope.anonymousIds]}::text[]`;
    return sql`(${contact} = any(${ids}) or (${contact} is null and ${anonymous} = any(${anonymousIds})))`;
  };

  // Receipts first: they are found through the events' message ids, which change next.
  await run(
    'event_receipts',
    sql`update event_receipts set message_id = ${key('event_receipts.message_id')}
    from events where ${theirEvents('events')} and events.message_id ~* ${pattern}
      and event_receipts.source_id = events.source_id and event_receipts.message_id = events.message_id`,
  );
  await run(
    'events',
    sql`update events set contact_id = ${erasedId}, anonymous_id = null, context = '{}'::jsonb,
      message_id = case when message_id ~* ${pattern} then ${key('message_id')} else message_id end,
      properties = case when type = 'identify' then '{}'::jsonb else ${keptProperties(scope, sql.ref('properties'))} end
    where ${theirEvents('events')}`,
  );
  await run(
    'account_facts',
    sql`update account_facts
    set contact_id = ${erasedId}, properties = ${keptProperties(scope, sql.ref('properties'))}
    where account_id = any(${accounts}) and contact_id = any(${ids})`,
  );
  await run(
    'contact_activity_days',
    sql`delete from contact_activity_days
    where account_id = any(${accounts}) and contact_id = any(${ids})`,
  );
  await run('journey_triggers', sql`delete from journey_triggers where contact_id = any(${ids})`);
  await run(
    'interactions',
    sql`update interactions set contact_id = ${erasedId}, summary = null, objective = null,
      external_id = case when external_id ~* ${pattern} then ${key('external_id')} else external_id end
    where contact_id = any(${ids})`,
  );

  // Messages: the record of what was sent goes; what kind of message it was, when, and its fate stay.
  const emails = scope.person.emails.map((email) => email.trim().toLowerCase());
  const phones = scope.person.phones;
  await run(
    'outbox',
    sql`update outbox set contact_id = ${erasedId}, recipient = null, message = null,
      payload = jsonb_build_object('template', payload->'template', 'tone', payload->'tone'),
      idempotency_key = case when idempotency_key ~* ${pattern} then ${key('idempotency_key')} else idempotency_key end,
      status = case when status = 'pending' then 'skipped' else status end,
      next_attempt_at = case when status = 'pending' then null else next_attempt_at end,
      reason = case when status = 'pending' then 'the person was erased before it was sent' else ${text('reason')} end
    where contact_id = any(${ids})
      or (contact_id is null
        and (lower(recipient) = any(${emails}::text[]) or recipient = any(${[...phones]}::text[])))`,
  );
  // A link from an old e-mail then leads nowhere: its address may have carried the person's own data.
  await run(
    'message_links',
    sql`delete from message_links
    where outbox_id in (select id from outbox where contact_id = ${erasedId})`,
  );

  // Signals and tasks about the person end: nobody can act on a person Tend no longer knows.
  await run(
    'signals',
    sql`update signals set contact_id = ${erasedId}, instance = ${key('instance')},
      cleared_at = coalesce(cleared_at, ${now}::timestamptz), updated_at = ${now}::timestamptz
    where contact_id = any(${ids})`,
  );
  await eraseMentionsInJson(rewrite, 'signals', ['reasons'], sql`contact_id = ${erasedId}`, ['id']);
  await run(
    'tasks',
    sql`update tasks set contact_id = ${erasedId}, objective = ${text('objective')},
      idempotency_key = ${key('idempotency_key')},
      note = case when status = 'open' then 'cancelled: the person was erased' else null end,
      completed_at = case when status = 'open' then ${now}::timestamptz else completed_at end,
      status = case when status = 'open' then 'cancelled' else status end
    where contact_id = any(${ids})`,
  );
  await eraseMentionsInJson(rewrite, 'tasks', ['talking_points'], sql`contact_id = ${erasedId}`, ['id']);

  // Runs end; the new version makes a worker that holds one fail to save over the exit.
  const exit = sql`jsonb_build_object('status', 'exited', 'endedAt', ${now.toISOString()}::text,
    'endReason', 'the person was erased', 'version', version + 1)`;
  const triggerProperties = keptProperties(scope, sql`trigger->'properties'`);
  await run(
    'journey_runs',
    sql`update journey_runs set contact_id = ${erasedId}, subject_key = ${key('subject_key')},
      state = case when status = 'active' then state || ${exit} else state end,
      version = case when status = 'active' then version + 1 else version end,
      ended_at = case when status = 'active' then ${now}::timestamptz else ended_at end,
      end_reason = case when status = 'active' then 'the person was erased' else end_reason end,
      status = case when status = 'active' then 'exited' else status end,
      next_due_at = null, awaiting_event = null,
      trigger = case when jsonb_typeof(trigger->'properties') = 'object'
        then jsonb_set(trigger, '{properties}', ${triggerProperties}) else trigger end
    where contact_id = any(${ids})`,
  );
  await eraseMentionsInJson(rewrite, 'journey_runs', ['state', 'trigger'], sql`contact_id = ${erasedId}`, ['id']);
  const theirRuns = sql`run_id in (select id from journey_runs where contact_id = ${erasedId})`;
  const stepKey = ['run_id', 'version'];
  counts.add('run_steps', await eraseMentionsInJson(rewrite, 'run_steps', ['action', 'outcome'], theirRuns, stepKey));

  // Consents stay as a count under the erased id (the latest per channel); the opt-out that matters is kept hashed.
  await run(
    'consents',
    sql`
    with gone as (delete from consents where contact_id = any(${ids}) returning channel, status, at, source)
    insert into consents (contact_id, channel, status, at, source)
    select distinct on (channel) ${erasedId}, channel, status, at, ${text('source')}
    from gone order by channel, at desc`,
  );
  const phoneDigits = phones.map((phone) => phone.replace(/[^0-9+]/g, ''));
  const values = [...scope.ids, ...emails, ...phones];
  await run(
    'do_not_contact',
    sql`delete from do_not_contact where value = any(${values}::text[])
    or regexp_replace(value, '[^0-9+]', '', 'g') = any(${phoneDigits}::text[])`,
  );
  // A bounced address is theirs too; a new message to it is stopped by the erasure itself.
  await run('undeliverable_addresses', sql`delete from undeliverable_addresses where address = any(${emails}::text[])`);

  const [main, ...merged] = scope.ids;
  await run('memberships', sql`delete from memberships where contact_id = any(${merged}::text[])`);
  await run('memberships', sql`update memberships set contact_id = ${erasedId} where contact_id = ${main}`);
  await run('contacts', sql`delete from contacts where id = any(${merged}::text[]) or merged_into = any(${ids})`);
  await run(
    'contacts',
    sql`update contacts
    set id = ${erasedId}, email = null, phone = null, name = null, language = null, timezone = null,
      traits = '{}'::jsonb, merged_into = null, updated_at = ${now}::timestamptz
    where id = ${main}`,
  );
  const aliases = [...scope.ids, ...scope.anonymousIds.map(anonymousAlias)];
  await run(
    'contact_aliases',
    sql`delete from contact_aliases
    where contact_id = any(${ids}) or alias = any(${aliases}::text[])`,
  );
}
