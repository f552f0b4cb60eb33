// The people of one account as the account page shows them: how to reach each (e-mail, phone, language,
// time zone), what they agreed to per channel, whether anything of theirs is on the do-not-contact list,
// and the channel they answer on as Tend has learned it. A page at a time, by contact id.
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface PeopleQuery {
  readonly accountId: string;
  readonly limit: number;
  /** The last contact id of the previous page. */
  readonly after: string | null;
}

export interface ConsentRecord {
  readonly channel: string;
  readonly status: 'opted-in' | 'opted-out';
  readonly at: Date;
  readonly source: string;
}

export interface PersonRow {
  readonly id: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly language: string | null;
  readonly timezone: string | null;
  readonly since: Date;
  readonly consents: readonly ConsentRecord[];
  readonly doNotContact: boolean;
}

/** One page of the account's people (members not merged into another), and one more when there are more. */
export async function accountPeople(database: Kysely<Database>, query: PeopleQuery): Promise<PersonRow[]> {
  let people = database
    .selectFrom('memberships')
    .innerJoin('contacts', 'contacts.id', 'memberships.contact_id')
    .select(['contacts.id', 'contacts.name', 'contacts.email', 'contacts.phone', 'contacts.language'])
    .select(['contacts.timezone', 'memberships.created_at'])
    .where('memberships.account_id', '=', query.accountId)
    .where('contacts.merged_into', 'is', null)
    .orderBy('contacts.id')
    .limit(query.limit + 1);
  if (query.after !== null) people = people.where('contacts.id', '>', query.after);
  const rows = await people.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const consents = await database
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', 'in', ids)
    .orderBy('channel')
    .execute();
  // The identities the sends check (send-contact.ts): the id, the e-mail in lower case, the phone.
  const identitiesOf = (row: { id: string; email: string | null; phone: string | null }): string[] =>
    [row.id, row.email?.toLowerCase(), row.phone].filter((value): value is string => Boolean(value));
  const listed = await database
    .selectFrom('do_not_contact')
    .select('value')
    .where('value', 'in', rows.flatMap(identitiesOf))
    .execute();
  const blocked = new Set(listed.map((row) => row.value));
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    language: row.language,
    timezone: row.timezone,
    since: row.created_at,
    consents: consents
      .filter((consent) => consent.contact_id === row.id)
      .map((consent) => ({ channel: consent.channel, status: consent.status, at: consent.at, source: consent.source })),
    doNotContact: identitiesOf(row).some((value) => blocked.has(value)),
  }));
}
