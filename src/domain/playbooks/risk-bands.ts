// The risk bands a playbook's results are split by: the account's health score at the moment its run
// entered, never a later one, so that a band says who the playbook reached, not who they became.
import { assertNever } from '../tracking-message.js';

/** In the order the results list them: most at risk first, then the runs with no score to go by. */
export const riskBands = ['high-risk', 'middle', 'low-risk', 'unscored'] as const;
export type RiskBand = (typeof riskBands)[number];

/**
 * Where the bands meet on the health score (0–100): below `middleFrom` is high risk, from `lowRiskFrom`
 * on is low risk, between is the middle. Half the scale marks an account losing more than it keeps;
 * three quarters, one whose components are mostly healthy. The one place these numbers live: the
 * results, the app and the README read them from here (the app through the API's `scores`).
 */
export const riskBandThresholds = { middleFrom: 50, lowRiskFrom: 75 } as const;

/** The band of a run whose account had this score when the run entered; null: not scored yet. */
export function riskBandOf(score: number | null): RiskBand {
  if (score === null) return 'unscored';
  if (score < riskBandThresholds.middleFrom) return 'high-risk';
  if (score < riskBandThresholds.lowRiskFrom) return 'middle';
  return 'low-risk';
}

/** The scores a band holds, as a half-open range [from, below); both null for the unscored band. */
export function scoresOfBand(band: RiskBand): { from: number | null; below: number | null } {
  const { middleFrom, lowRiskFrom } = riskBandThresholds;
  switch (band) {
    case 'high-risk':
      return { from: 0, below: middleFrom };
    case 'middle':
      return { from: middleFrom, below: lowRiskFrom };
    case 'low-risk':
      return { from: lowRiskFrom, below: null };
    case 'unscored':
      return { from: null, below: null };
    default:
      return assertNever(band);
  }
}
