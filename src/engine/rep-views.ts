// What a rep and a manager look at: the rep's ranked "today" list, evaluated live from the same
// snapshots as the signals, and the manager's oversight of the team's books, added up from what those
// evaluations stored on each account.
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { evaluateAccount } from '../domain/relationship/account-signals.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { rankToday, type TodayEntry } from '../domain/relationship/today-list.js';
import { teamOversight } from '../domain/relationship/oversight.js';
import { loadAccountSnapshots } from '../store/account-snapshots.js';
import { repBooks, unownedBook } from '../store/rep-books.js';
import { sellersLosingCustomersFor } from './retention-views.js';
import type { Database } from '../store/schema.js';
import { findUser, teamOf, type UserView } from '../store/users.js';

export interface RepViewContext {
  readonly database: Kysely<Database>;
  readonly config: TendConfig;
  readonly clock: Clock;
}

/**
 * Whose views the caller may see (domain/viewer.ts mayViewUser); anyone else is as unknown as a wrong
 * id. The commands run on Tend's own machine see everyone's.
 */
export type MayViewUser = (email: string) => boolean;

async function requireUser(
  database: Kysely<Database>,
  idOrEmail: string,
  role: string,
  mayView: MayViewUser,
): Promise<UserView> {
  const user = await findUser(database, idOrEmail);
  if (!user || !mayView(user.email)) {
    throw new TendError(
      'not_found',
      `No user ${JSON.stringify(idOrEmail)}: create the ${role} with POST /api/v1/users or \`tend import users\`.`,
      [{ field: 'id', message: 'is not a known user' }],
    );
  }
  return user;
}

/**
 * The rep's short ranked list of whom to contact today, and why. Only accounts with open signals can
 * be on it, so the stored signals (kept current by the engine) pick the candidates: the most valuable
 * and most at risk few times the list's length, ranked by value × risk. Those are evaluated live, so
 * reasons and talking points are as of now, and ranked by value × risk × overdue.
 */
export async function todayFor(
  context: RepViewContext,
  repIdOrEmail: string,
  size: number | undefined,
  mayView: MayViewUser,
) {
  const rep = await requireUser(context.database, repIdOrEmail, 'rep', mayView);
  const now = context.clock.now();
  const wanted = size ?? context.config.today.size;
  const valueColumn = context.config.value.basis === 'revenue' ? 'accounts.revenue_minor' : 'accounts.profit_minor';
  // The book's size and the candidates in one statement: on the embedded database statements queue
  // one behind another, and each costs a round trip.
  const picked = await sql<{ owned: number; candidates: string[] }>`
    select (select count(*) from accounts where owner_email = ${rep.email})::int as owned,
      (select coalesce(array_agg(account_id order by rank), '{}') from (
        select signals.account_id, row_number() over (
          -- value (log scale, as in the ranking) times the chance that at least one signal is real; in
          -- float8: numeric's log and exp cost most of the statement on a large book
          order by (1 + log(1 + greatest(coalesce(${sql.ref(valueColumn)}, 0), 0) / 100.0::float8))
                 * (1 - exp(sum(ln(greatest(0.0001::float8, 1 - least(100, signals.severity) / 100.0::float8)))))
                 desc, bool_or(signals.kind = 'promise-broken') desc, signals.account_id) as rank
        from signals join accounts on accounts.id = signals.account_id
        where signals.owner_email = ${rep.email} and signals.cleared_at is null and accounts.owner_email = ${rep.email}
        group by signals.account_id, ${sql.ref(valueColumn)}
        order by rank
        limit ${Math.max(wanted * 5, 40)}) ranked) as candidates`.execute(context.database);
  const { owned, candidates } = picked.rows[0]!;
  const snapshots = await loadAccountSnapshots(context.database, candidates, now, context.config);
  const book = snapshots.map((snapshot) => ({ snapshot, evaluation: evaluateAccount(snapshot, context.config, now) }));
  const ranked = rankToday(book, context.config, now, wanted);
  const contacts = await whomToContact(context.database, ranked);
  const entries = ranked.map((entry) => ({
    ...entry,
    deadlineAt: entry.deadlineAt?.toISOString() ?? null,
    contact: contacts.get(entry.accountId) ?? null,
  }));
  return {
    rep: { id: rep.id, email: rep.email, name: rep.name },
    asOf: now.toISOString(),
    accountsOwned: owned,
    entries,
  };
}

/**
 * The person to contact at each listed account: the one its most severe signal is about, else the person
 * of the account whose record changed last (the likeliest to be current). One statement for the list.
 */
async function whomToContact(database: Kysely<Database>, entries: readonly TodayEntry[]) {
  const found = new Map<string, { id: string; name: string | null; email: string | null; phone: string | null }>();
  if (entries.length === 0) return found;
  const named = entries.flatMap((entry) => (entry.contactId === null ? [] : [entry.contactId]));
  const rows = await sql<{
    account_id: string;
    id: string;
    name: string | null;
    email: string | null;
    phone: string | null;
  }>`
    select distinct on (account_id) account_id, id, name, email, phone from contacts
    where account_id = any(${entries.map((entry) => entry.accountId)}::text[]) and merged_into is null
    order by account_id, (id = any(${named}::text[])) desc, updated_at desc, id`.execute(database);
  for (const row of rows.rows) {
    found.set(row.account_id, { id: row.id, name: row.name, email: row.email, phone: row.phone });
  }
  return found;
}

/**
 * Per rep of the manager's team (and the manager's own book, when they own accounts): coverage, neglect,
 * response times, money at risk; added up from what each account's evaluation stored (store/rep-books.ts).
 */
export async function oversightFor(context: RepViewContext, managerIdOrEmail: string, mayView: MayViewUser) {
  const manager = await requireUser(context.database, managerIdOrEmail, 'manager', mayView);
  const now = context.clock.now();
  const team = await teamOf(context.database, manager.id);
  const emails = [manager.email, ...team.map((member) => member.email)];
  const books = await repBooks(context.database, emails, now);
  const reps = teamOversight(books).filter((row, index) => index > 0 || row.accountsOwned > 0);
  const book = { kind: 'owned-by', ownerEmails: emails } as const;
  return {
    manager: { id: manager.id, email: manager.email, name: manager.name },
    asOf: now.toISOString(),
    reps,
    sellersLosingCustomers: await sellersLosingCustomersFor(context, book),
  };
}

/**
 * The same figures for the whole company: every rep and manager, and anyone else who owns accounts, by
 * e-mail, whether or not they are a Tend user; each row as their manager's oversight shows it.
 */
export async function companyOversight(context: RepViewContext) {
  const now = context.clock.now();
  // The people of the company, and every other owner the accounts name (a CRM's owner nobody invited
  // yet): their accounts go dark like anyone's. The owners are found by skipping along the oversight
  // index from one owner to the next, a probe per owner rather than a read of every account.
  const members = await sql<{ email: string }>`
    with recursive owners(email) as (
      (select owner_email from accounts where owner_email is not null order by owner_email limit 1)
      union all
      select (select owner_email from accounts where owner_email > owners.email order by owner_email limit 1)
      from owners where owners.email is not null)
    select email from users
    where (role in ('rep', 'manager') and disabled_at is null)
      or exists (select 1 from accounts where accounts.owner_email = users.email)
    union
    select email from owners where email is not null
    order by email`.execute(context.database);
  const books = await repBooks(
    context.database,
    members.rows.map((member) => member.email),
    now,
  );
  // Accounts nobody owns are nobody's to call: shown apart, so that someone gives them an owner.
  return {
    manager: null,
    asOf: now.toISOString(),
    reps: teamOversight(books),
    sellersLosingCustomers: await sellersLosingCustomersFor(context, { kind: 'everything' }),
    unowned: await unownedBook(context.database),
  };
}
