// The contact audit as the API shows it: for one account, or for a book (a rep's, or everyone's),
// touches by channel, direction and actor over 30/90/365 days, and attention against value.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { TendError } from '../domain/errors.js';
import { attentionAgainstValue, noOwner } from '../domain/relationship/attention-audit.js';
import type { Touch } from '../domain/relationship/account-snapshot.js';
import { auditContacts } from '../domain/relationship/contact-audit.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { contributionOf } from '../domain/relationship/value-tiers.js';
import type { Book } from '../domain/viewer.js';
import { loadAccountSnapshots } from '../store/account-snapshots.js';
import { isAccountInBook, personInBook } from '../store/book-scope.js';
import type { Database } from '../store/schema.js';

export interface AttentionContext {
  readonly database: Kysely<Database>;
  readonly config: TendConfig;
  readonly clock: Clock;
}

/** Books larger than this are audited by owner, to keep the answer quick. */
export const auditLimit = 5000;

/** The contact audit of an account in the book; outside it the account is as unknown as a wrong id. */
export async function accountAudit(context: AttentionContext, accountId: string, book: Book) {
  const now = context.clock.now();
  const visible = book.kind === 'everything' || (await isAccountInBook(context.database, accountId, book));
  const [snapshot] = visible ? await loadAccountSnapshots(context.database, [accountId], now, context.config) : [];
  if (!snapshot)
    throw new TendError('not_found', `No account with id ${JSON.stringify(accountId)}.`, [
      { field: 'accountId', message: 'is not known' },
    ]);
  const audit = auditContacts(snapshot.touches, now);
  return {
    accountId,
    asOf: now.toISOString(),
    tier: snapshot.tier,
    lastSpokenAt: snapshot.lastSpokenAt?.toISOString() ?? null,
    ...audit,
    lastSubstantiveContactAt: audit.lastSubstantiveContactAt?.toISOString() ?? null,
  };
}

/** Attention against value over the book's accounts, or one owner's among them (`ownerEmail`). */
export async function bookAudit(context: AttentionContext, ownerEmail: string | null, book: Book) {
  const now = context.clock.now();
  let query = context.database
    .selectFrom('accounts')
    .select('id')
    .where(personInBook(book, 'accounts.owner_email'))
    .orderBy('id')
    .limit(auditLimit + 1);
  if (ownerEmail !== null) query = query.where('owner_email', '=', ownerEmail.toLowerCase());
  const ids = (await query.execute()).map((row) => row.id);
  if (ids.length > auditLimit)
    throw new TendError(
      'invalid_request',
      `More than ${auditLimit} accounts: audit one owner at a time with ?ownerId=.`,
      [{ field: 'ownerId', message: 'is needed for a book this large' }],
    );
  const snapshots = await loadAccountSnapshots(context.database, ids, now, context.config);
  const touchesByOwner = new Map<string, Touch[]>();
  for (const snapshot of snapshots) {
    const owner = snapshot.ownerEmail ?? noOwner;
    const touches = touchesByOwner.get(owner) ?? [];
    touches.push(...snapshot.touches);
    touchesByOwner.set(owner, touches);
  }
  const report = attentionAgainstValue(
    snapshots.map((snapshot) => ({
      accountId: snapshot.accountId,
      name: snapshot.name,
      ownerEmail: snapshot.ownerEmail,
      tier: snapshot.tier,
      valueMinor: contributionOf(snapshot, context.config.value.basis),
      audit: auditContacts(snapshot.touches, now),
    })),
  );
  return {
    asOf: now.toISOString(),
    owner: ownerEmail,
    unattendedValuable: report.unattendedValuable,
    overAttended: report.overAttended,
    // Each rep's book as one: its touches over 30/90/365 days by channel, direction, who and two-way.
    byRep: report.byRep.map((rep) => ({
      ...rep,
      windows: auditContacts(touchesByOwner.get(rep.repEmail) ?? [], now).windows,
    })),
    accounts: report.accounts.map((row) => ({
      accountId: row.accountId,
      name: row.name,
      owner: row.ownerEmail,
      tier: row.tier,
      value: row.valueMinor / 100,
      valueShare: row.valueShare,
      attentionShare: row.attentionShare,
      touches90: row.touches90,
      daysSinceSubstantiveContact: row.audit.daysSinceSubstantiveContact,
      windows: row.audit.windows,
    })),
  };
}
