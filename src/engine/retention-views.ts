// The retention report as a viewer sees it: the company's accounts read once, the viewer's grouped and
// held against the whole company's, the flagged sellers named in words; and, for the manager's
// oversight, just the sellers of a team whose customers leave faster than the company's.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import {
  type RetentionGrouping,
  retentionReport,
  sellerLosingCustomersWords,
} from '../domain/models/retention-report.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import type { Book } from '../domain/viewer.js';
import type { Database } from '../store/schema.js';
import { userNames, wonAccounts } from '../store/won-accounts.js';

export interface RetentionContext {
  readonly database: Kysely<Database>;
  readonly config: TendConfig;
  readonly clock: Clock;
}

/** The report grouped `by`, of the accounts won by the book's people (all for the whole book). */
export async function retentionReportFor(context: RetentionContext, book: Book, by: RetentionGrouping) {
  const now = context.clock.now();
  const accounts = await wonAccounts(context.database, book, context.config.signals.atRisk.probabilityAlive, now);
  const report = retentionReport(
    accounts,
    accounts.filter((account) => account.inView),
    by,
    now,
  );
  const names = await userNames(
    context.database,
    report.sellersLosingCustomers.map((flag) => flag.seller),
  );
  return {
    asOf: now.toISOString(),
    ...report,
    sellersLosingCustomers: report.sellersLosingCustomers.map((flag) => ({
      ...flag,
      name: names.get(flag.seller) ?? null,
      words: sellerLosingCustomersWords(flag, names.get(flag.seller) ?? null),
    })),
  };
}

/** The flagged sellers among the book's people, for the oversight. */
export async function sellersLosingCustomersFor(context: RetentionContext, book: Book) {
  return (await retentionReportFor(context, book, 'seller')).sellersLosingCustomers;
}
