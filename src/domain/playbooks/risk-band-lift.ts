// A playbook's retention lift over its holdout within each risk band (the account's health score when
// the run entered): the accounts most at risk are not always the ones a nudge saves (Ascarza, "Retention
// Futility", Journal of Marketing Research 2018), so the results say where the playbook changes the outcome.
import {
  compareRates,
  type Lift,
  type RateSummary,
  summariseRate,
  twoProportionPValue,
} from '../models/experiment-statistics.js';
import { assertNever } from '../tracking-message.js';
import { addCounts, type GroupCounts, noRuns } from './group-counts.js';
import type { RunGroup } from './holdout.js';
import { type RiskBand, riskBandOf, riskBands, scoresOfBand } from './risk-bands.js';

/** The runs of one group whose accounts had this health score when they entered (null: none yet). */
export interface CountsAtEntryScore {
  readonly group: RunGroup;
  readonly entryScore: number | null;
  readonly counts: GroupCounts;
}

/**
 * Below this many runs in either group a band's lift is shown but not judged: its interval is then so
 * wide that "no effect shown" would say more than the runs do, and a lucky few would read as "helps".
 */
export const minimumRunsPerGroup = 20;

/** What the band's retention lift says, in the words the app and the README use. */
export const bandVerdicts = ['too-few-to-judge', 'helps', 'no-effect-shown', 'harms'] as const;
export type BandVerdict = (typeof bandVerdicts)[number];

export interface BandRetention {
  readonly treated: RateSummary;
  readonly holdout: RateSummary;
  /** Treated minus held out retained share, with its 95 % interval (Newcombe). */
  readonly lift: Lift;
  /** Two-sided, from the two-proportion test. */
  readonly pValue: number;
}

export interface BandLift {
  readonly band: RiskBand;
  readonly scores: { readonly from: number | null; readonly below: number | null };
  readonly treated: GroupCounts;
  readonly holdout: GroupCounts;
  /** Null while either group has no runs in the band. */
  readonly retention: BandRetention | null;
  readonly verdict: BandVerdict;
  readonly explanation: string;
}

/** Both groups' counts over every band: the playbook's results as a whole. */
export function totalCounts(rows: readonly CountsAtEntryScore[]): { treated: GroupCounts; holdout: GroupCounts } {
  const totals = { treated: noRuns(), holdout: noRuns() };
  for (const row of rows) totals[row.group] = addCounts(totals[row.group], row.counts);
  return totals;
}

/**
 * Each band, most at risk first, with its groups' counts, the retention lift and a verdict. The verdict
 * follows the interval (helps or harms when it excludes zero), as the playbook's overall lift does; the
 * p-value stands beside it for those who read tests, and can sit just across 0.05 when the interval's
 * end is just across zero.
 */
export function liftByRiskBand(rows: readonly CountsAtEntryScore[]): BandLift[] {
  return riskBands.map((band) => {
    const inBand = rows.filter((row) => riskBandOf(row.entryScore) === band);
    const { treated, holdout } = totalCounts(inBand);
    const retention = treated.entered === 0 || holdout.entered === 0 ? null : retentionOf(treated, holdout);
    const verdict = verdictOf(treated, holdout, retention);
    return {
      band,
      scores: scoresOfBand(band),
      treated,
      holdout,
      retention,
      verdict,
      explanation: explain(verdict, treated, holdout, retention),
    };
  });
}

function retentionOf(treated: GroupCounts, holdout: GroupCounts): BandRetention {
  const treatedRate = summariseRate(treated.retained, treated.entered);
  const holdoutRate = summariseRate(holdout.retained, holdout.entered);
  return {
    treated: treatedRate,
    holdout: holdoutRate,
    lift: compareRates(treatedRate, holdoutRate),
    pValue: twoProportionPValue(treatedRate, holdoutRate),
  };
}

function verdictOf(treated: GroupCounts, holdout: GroupCounts, retention: BandRetention | null): BandVerdict {
  const enough = treated.entered >= minimumRunsPerGroup && holdout.entered >= minimumRunsPerGroup;
  if (!enough || retention === null) return 'too-few-to-judge';
  if (!retention.lift.significant) return 'no-effect-shown';
  return retention.lift.absolute > 0 ? 'helps' : 'harms';
}

const points = (share: number): string => `${(Math.round(share * 1000) / 10).toFixed(1)}`;
const signed = (share: number): string => `${share > 0 ? '+' : ''}${points(share)}`;

function explain(
  verdict: BandVerdict,
  treated: GroupCounts,
  holdout: GroupCounts,
  retention: BandRetention | null,
): string {
  if (verdict === 'too-few-to-judge' || retention === null)
    return (
      `Too few to judge: each group needs ${minimumRunsPerGroup} runs; ` +
      `this band has ${treated.entered} treated and ${holdout.entered} held out.`
    );
  const { lift } = retention;
  const retained =
    `${points(retention.treated.rate)} % of treated accounts retained against ` +
    `${points(retention.holdout.rate)} % held out`;
  const interval = `${signed(lift.absolute)} points, 95 % interval ${signed(lift.lower)} to ${signed(lift.upper)}`;
  switch (verdict) {
    case 'helps':
      return `Helps: ${retained} (${interval}).`;
    case 'harms':
      return `Harms: ${retained} (${interval}).`;
    case 'no-effect-shown':
      return `No effect shown: ${retained} (${interval}); the interval includes zero.`;
    default:
      return assertNever(verdict);
  }
}
