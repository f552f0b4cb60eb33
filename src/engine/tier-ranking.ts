// Ranks the book by value and stores each account's tier (its cadence follows from it): once a day in
// full, with the day's upkeep (event retention, the purchase model's fit, a vacuum), and in between
// places newcomers against the last ranking's entry bars. The evaluation runs it: a due account's
// tier must be known before it is evaluated, and the day's refresh reads the day's ranking.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { assignTiers, type TierCutoff, tierCutoffs, tierForNewcomer } from '../domain/relationship/value-tiers.js';
import type { EventPartitions } from '../store/event-partitions.js';
import type { Database } from '../store/schema.js';
import { vacuumChurnedTables } from '../store/store-maintenance.js';
import { accountContributions, storeTiers } from '../store/value-ranking.js';
import { refreshProbabilityAlive } from './purchase-model.js';

/** Books up to this many accounts are ranked whole when newcomers arrive, rather than placed against entry bars. */
const smallBook = 1_000;

const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

export interface TierRankingOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly config: TendConfig;
  readonly partitions: EventPartitions;
  /** Least real time between rankings triggered by new accounts (0: none; a manual clock uses 0). */
  readonly cooldownMilliseconds?: number;
  /** Vacuum the churned tables after each daily ranking (the embedded database has no autovacuum). */
  readonly vacuumDaily?: boolean;
  /** Worth an operator's look, though nothing failed: a daily purchase-model fit not used, and why. */
  readonly onWarning?: (message: string, details: Record<string, unknown>) => void;
}

export class TierRanking {
  private rankedDay: string | null = null;
  /** Real time of the last ranking: new accounts trigger a ranking at most every few seconds (O(accounts)). */
  private rankedAtMilliseconds = 0;
  /** The entry bars of the last full ranking, for accounts that arrive before the next one. */
  private cutoffs: TierCutoff[] | null = null;
  /** How many accounts the last ranking ranked: below `smallBook`, newcomers are ranked with everyone. */
  private rankedAccounts = 0;

  constructor(private readonly options: TierRankingOptions) {}

  /** Whether this process has ranked at all: before, it has no entry bars to place newcomers against. */
  get hasRanked(): boolean {
    return this.rankedDay !== null;
  }

  /** Whether the day of `now` has had its daily ranking. */
  rankedOn(now: Date): boolean {
    return this.rankedDay === dayOf(now);
  }

  /**
   * Ranks every account by contribution and stores its tier; accounts whose tier changed become due.
   * The daily run also refits the purchase model (P(alive)).
   */
  async rankValue(daily = true): Promise<number> {
    const { database, config, clock } = this.options;
    const now = clock.now();
    const rows = await accountContributions(database, config, null, now);
    const tiers = assignTiers(rows, config.value.tiers);
    this.cutoffs = tierCutoffs(rows, tiers, config.value.tiers);
    this.rankedAccounts = rows.length;
    const changed = rows
      .filter((row) => tiers.get(row.accountId) !== row.tier)
      .map((row) => ({ id: row.accountId, tier: tiers.get(row.accountId) ?? null }));
    await storeTiers(database, changed, now);
    if (daily) {
      // Retention: whole months of raw events past it go first, so the day's fit reads what is kept.
      const keepDays = config.retention.eventsDays;
      if (keepDays !== null)
        await this.options.partitions.dropMonthsBefore(new Date(now.getTime() - keepDays * 86_400_000));
      await refreshProbabilityAlive(database, now, { onWarning: this.options.onWarning });
      this.rankedDay = dayOf(now);
      if (this.options.vacuumDaily) await vacuumChurnedTables(database);
    }
    this.rankedAtMilliseconds = Date.now();
    return changed.length;
  }

  /**
   * Places accounts that arrived since the last ranking, if any, at most once per cooldown: before an
   * evaluation batch on a day already ranked.
   */
  async placeArrivals(): Promise<void> {
    const { database } = this.options;
    // Looking for unranked accounts is itself rate-limited (not only the ranking it may cause).
    const cooledDown =
      this.options.cooldownMilliseconds === 0 ||
      Date.now() - this.rankedAtMilliseconds >= (this.options.cooldownMilliseconds ?? 5000);
    if (cooledDown) this.rankedAtMilliseconds = Date.now();
    // Any account without a tier, due or not: one evaluated before it was placed is next due tomorrow
    // and would otherwise go without a tier (and its cadence) until the daily ranking.
    // Ordered as the partial index accounts_unranked_due is: with stale statistics after a ranking,
    // the planner otherwise reads every account to find none (docs/benchmarks/2026-12-01-signals.md,
    // "The look for unranked accounts").
    const unranked =
      cooledDown &&
      (await database
        .selectFrom('accounts')
        .select('id')
        .where('tier', 'is', null)
        .orderBy('next_check_at')
        .limit(1)
        .executeTakeFirst());
    if (unranked) await this.placeNewAccounts();
  }

  /**
   * Gives accounts that arrived since the last ranking a tier against its entry bars, without ranking
   * every account again (long on a large book, and no signal was evaluated meanwhile:
   * docs/benchmarks/2026-11-30-signals.md, "ranking all 1 M accounts again"); the daily ranking places
   * them exactly.
   */
  async placeNewAccounts(): Promise<number> {
    const { database, config, clock } = this.options;
    // A small book is ranked again whole (quick at that size): entry bars from a handful of accounts
    // (none at all on a fresh install) would put every newcomer in the last tier until midnight.
    if (this.cutoffs === null || this.rankedAccounts < smallBook) return this.rankValue(false);
    const now = clock.now();
    let placed = 0;
    for (let round = 0; round < 1000; round++) {
      const unranked = await database
        .selectFrom('accounts')
        .select('id')
        .where('tier', 'is', null)
        .limit(5000)
        .execute();
      if (unranked.length === 0) break;
      const rows = await accountContributions(
        database,
        config,
        unranked.map((row) => row.id),
        now,
      );
      const cutoffs = this.cutoffs;
      await storeTiers(
        database,
        rows.map((row) => ({
          id: row.accountId,
          tier: tierForNewcomer(row.contributionMinor, cutoffs, config.value.tiers),
        })),
        now,
      );
      placed += rows.length;
      if (unranked.length < 5000) break;
    }
    this.rankedAtMilliseconds = Date.now();
    return placed;
  }
}
