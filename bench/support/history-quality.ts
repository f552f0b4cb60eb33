// How well a ranking of the active accounts finds the ones that leave: the precision among the lowest 10 %
// for churn in the next 13 weeks at chosen moments, and the lead time (how many weeks before leaving an
// account first entered the lowest 10 %). Pure: it reads the replay's weekly samples and scores.
import type { WeekSample } from './history-replay.js';

const horizonDays = 91;
/** How far back a churner's first warning is looked for. */
const lookbackDays = 182;
const flaggedShare = 0.1;
const activeStages = new Set(['onboarding', 'active', 'renewal']);

/** How much at risk each account looked in a week (higher: more at risk); null: not ranked. */
export type RiskOf = (sample: WeekSample, accountId: string) => number | null;

export interface MomentPrecision {
  readonly week: number;
  readonly active: number;
  readonly flagged: number;
  readonly churners: number;
  readonly caught: number;
  readonly precision: number;
}

export interface RankingQuality {
  readonly name: string;
  readonly moments: readonly MomentPrecision[];
  /** Caught over flagged, all moments pooled. */
  readonly precision: number;
  /** Caught over flagged pooled over every week from the 13th whose 13 weeks ahead are in the replay. */
  readonly everyWeekPrecision: number;
  /** Median weeks between first entering the lowest 10 % and leaving; a churner never flagged counts 0. */
  readonly medianLeadWeeks: number | null;
  /** Churners flagged at least once in the lookback before they left. */
  readonly flaggedChurners: number;
  readonly churners: number;
}

function isActive(sample: WeekSample, accountId: string): boolean {
  const account = sample.accounts.get(accountId);
  return account !== undefined && activeStages.has(account.outcome.stage);
}

/** The accounts a ranking puts in the lowest 10 % of the week's active accounts (ties broken by id). */
export function flaggedIn(sample: WeekSample, risk: RiskOf): Set<string> {
  const ranked: { id: string; risk: number }[] = [];
  for (const id of sample.accounts.keys()) {
    if (!isActive(sample, id)) continue;
    ranked.push({ id, risk: risk(sample, id) ?? Number.NEGATIVE_INFINITY });
  }
  ranked.sort((a, b) => b.risk - a.risk || (a.id < b.id ? -1 : 1));
  return new Set(ranked.slice(0, Math.ceil(flaggedShare * ranked.length)).map(({ id }) => id));
}

export function rankingQuality(
  name: string,
  samples: readonly WeekSample[],
  churnDays: ReadonlyMap<string, number>,
  momentWeeks: readonly number[],
  risk: RiskOf,
): RankingQuality {
  const flaggedByWeek = samples.map((sample) => flaggedIn(sample, risk));
  const lastDay = samples[samples.length - 1]?.day ?? 0;
  const everyWeek = samples.filter((sample) => sample.week >= 13 && sample.day + horizonDays <= lastDay);
  const pooled = momentsAt(
    everyWeek.map((sample) => sample.week),
    samples,
    flaggedByWeek,
    churnDays,
  );
  const moments = momentsAt(momentWeeks, samples, flaggedByWeek, churnDays);
  const flagged = moments.reduce((total, moment) => total + moment.flagged, 0);
  const caught = moments.reduce((total, moment) => total + moment.caught, 0);
  const pooledFlagged = pooled.reduce((total, moment) => total + moment.flagged, 0);
  const pooledCaught = pooled.reduce((total, moment) => total + moment.caught, 0);
  const leads: number[] = [];
  const firstDay = samples[0]?.day ?? 0;
  for (const [id, churnDay] of churnDays) {
    // Only churners whose whole lookback lies inside the replay can say how early they were seen.
    if (churnDay - lookbackDays < firstDay || churnDay > lastDay) continue;
    let lead = 0;
    samples.forEach((sample, index) => {
      if (sample.day >= churnDay || sample.day < churnDay - lookbackDays || lead > 0) return;
      if (flaggedByWeek[index]!.has(id)) lead = (churnDay - sample.day) / 7;
    });
    leads.push(lead);
  }
  return {
    name,
    moments,
    precision: flagged === 0 ? 0 : caught / flagged,
    everyWeekPrecision: pooledFlagged === 0 ? 0 : pooledCaught / pooledFlagged,
    medianLeadWeeks: median(leads),
    flaggedChurners: leads.filter((lead) => lead > 0).length,
    churners: leads.length,
  };
}

function momentsAt(
  momentWeeks: readonly number[],
  samples: readonly WeekSample[],
  flaggedByWeek: readonly Set<string>[],
  churnDays: ReadonlyMap<string, number>,
): MomentPrecision[] {
  return momentWeeks.flatMap((week): MomentPrecision[] => {
    const index = samples.findIndex((sample) => sample.week === week);
    const sample = samples[index];
    if (sample === undefined) return [];
    const churnsSoon = (id: string) => {
      const day = churnDays.get(id);
      return day !== undefined && day > sample.day && day <= sample.day + horizonDays;
    };
    const active = [...sample.accounts.keys()].filter((id) => isActive(sample, id));
    const flagged = flaggedByWeek[index]!;
    const caught = [...flagged].filter(churnsSoon).length;
    return [
      {
        week,
        active: active.length,
        flagged: flagged.size,
        churners: active.filter(churnsSoon).length,
        caught,
        precision: flagged.size === 0 ? 0 : caught / flagged.size,
      },
    ];
  });
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
