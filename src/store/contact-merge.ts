// An alias call merges the person known under a previous id into the one it names, in the ingest's
// transaction: the aliases, the traits (the newer identity wins), the memberships and the activity.
import { type Transaction, sql } from 'kysely';
import type { Database } from './schema.js';

/** Merges the contact `previousId` into `contactId` at `at`, and points every alias of it there. */
export async function mergeContact(
  trx: Transaction<Database>,
  previousId: string,
  contactId: string,
  at: Date,
): Promise<void> {
  const previous = await trx.selectFrom('contacts').selectAll().where('id', '=', previousId).executeTakeFirst();
  await trx
    .insertInto('contact_aliases')
    .values({ alias: previousId, contact_id: contactId, created_at: at })
    .onConflict((conflict) => conflict.column('alias').doUpdateSet({ contact_id: contactId }))
    .execute();
  await trx
    .updateTable('contact_aliases')
    .set({ contact_id: contactId })
    .where('contact_id', '=', previousId)
    .execute();
  if (!previous || previousId === contactId) return;
  // The newer identity wins where both have a trait; the older one fills the gaps.
  await sql`
    insert into contacts (id, account_id, email, phone, name, language, timezone, traits, created_at, updated_at)
    values (${contactId}, ${previous.account_id}, ${previous.email}, ${previous.phone}, ${previous.name},
            ${previous.language}, ${previous.timezone}, ${JSON.stringify(previous.traits)},
            ${previous.created_at}, ${at})
    on conflict (id) do update set
      account_id = coalesce(contacts.account_id, excluded.account_id), email = coalesce(contacts.email, excluded.email),
      phone = coalesce(contacts.phone, excluded.phone), name = coalesce(contacts.name, excluded.name),
      language = coalesce(contacts.language, excluded.language),
      timezone = coalesce(contacts.timezone, excluded.timezone), traits = excluded.traits || contacts.traits,
      created_at = least(contacts.created_at, excluded.created_at), updated_at = excluded.updated_at`.execute(trx);
  await sql`insert into memberships (account_id, contact_id, created_at)
    select account_id, ${contactId}, created_at from memberships where contact_id = ${previousId}
    on conflict do nothing`.execute(trx);
  await trx
    .updateTable('contacts')
    .set({ merged_into: contactId, updated_at: at })
    .where('id', '=', previousId)
    .execute();
  // The merged person's activity is the surviving one's: left behind, it would look like someone who
  // stopped signing in. Found through the accounts they were in (the key starts with the account).
  await sql`with moved as (
      delete from contact_activity_days
      where account_id in (select account_id from memberships where contact_id in (${previousId}, ${contactId}))
        and contact_id = ${previousId}
      returning account_id, activity, day, count)
    insert into contact_activity_days (account_id, activity, day, contact_id, count)
    select account_id, activity, day, ${contactId}, count from moved order by account_id, activity, day
    on conflict (account_id, activity, day, contact_id)
      do update set count = contact_activity_days.count + excluded.count`.execute(trx);
}
