// The weights the health score uses: the hand weights of tend.config.yaml, or weights learned from the
// book's own losses with the churn model they came from. Shared by the score and by the learning, so
// that a score in the history and a sample in the training set read components the same way.
import type { HealthWeights } from './health-weights.js';

export type HealthComponentName = keyof HealthWeights;

/** The components in the order the score lists them. */
export const healthComponentNames: readonly HealthComponentName[] = [
  'engagement',
  'relationship',
  'voice',
  'effort',
  'money',
  'churnRisk',
  'promises',
];

/** A day's component scores, 0–100; null (or absent) when the component had no input. */
export type ComponentScores = Readonly<Partial<Record<HealthComponentName, number | null>>>;

/** A churn model on the components' shortfalls: P(lost within the horizon) = σ(intercept + Σ βᵢ × shortfallᵢ). */
export interface ShortfallModel {
  readonly intercept: number;
  readonly coefficients: HealthWeights;
}

export type HealthModel =
  | { readonly source: 'hand' }
  | {
      readonly source: 'learned';
      /** The recorded fit these weights come from. */
      readonly fitId: string;
      /** max(βᵢ, 0), normalised to sum 1. */
      readonly weights: HealthWeights;
      readonly churn: ShortfallModel;
    };

export const handModel: HealthModel = { source: 'hand' };

/** How far a component falls short of perfect, 0–1; 0 when it had no input (as the training set reads it). */
export function shortfall(score: number | null | undefined): number {
  return score === null || score === undefined ? 0 : (100 - score) / 100;
}

/** The features of the churn model, in healthComponentNames' order. */
export function shortfalls(scores: ComponentScores): number[] {
  return healthComponentNames.map((name) => shortfall(scores[name]));
}

/**
 * Σ weightᵢ × scoreᵢ over the components with input, the weights shared out among them; the plain mean
 * when none of them has weight; 100 when no component has input. Unrounded.
 */
export function weightedScore(scores: ComponentScores, weights: HealthWeights): number {
  let weighted = 0;
  let weight = 0;
  let plain = 0;
  let present = 0;
  for (const name of healthComponentNames) {
    const score = scores[name];
    if (score === null || score === undefined) continue;
    weighted += weights[name] * score;
    weight += weights[name];
    plain += score;
    present++;
  }
  if (weight > 0) return weighted / weight;
  return present > 0 ? plain / present : 100;
}

/** The model's chance the account is lost within its horizon (13 weeks). */
export function churnProbabilityOf(model: ShortfallModel, scores: ComponentScores): number {
  let linear = model.intercept;
  for (const name of healthComponentNames) linear += model.coefficients[name] * shortfall(scores[name]);
  return linear >= 0 ? 1 / (1 + Math.exp(-linear)) : Math.exp(linear) / (1 + Math.exp(linear));
}

/**
 * Learned weights from a churn model's coefficients: a component whose shortfall raises the odds of loss
 * weighs in proportion; one whose shortfall does not (β ≤ 0) weighs 0. Null when none raises them.
 */
export function weightsFromCoefficients(coefficients: HealthWeights): HealthWeights | null {
  const positive = healthComponentNames.map((name) => Math.max(coefficients[name], 0));
  const total = positive.reduce((sum, value) => sum + value, 0);
  if (!(total > 0)) return null;
  return weightsOf(healthComponentNames.map((_, i) => positive[i]! / total));
}

/** A weights record from values in healthComponentNames' order. */
export function weightsOf(values: readonly number[]): HealthWeights {
  const [engagement = 0, relationship = 0, voice = 0, effort = 0, money = 0, churnRisk = 0, promises = 0] = values;
  return { engagement, relationship, voice, effort, money, churnRisk, promises };
}
