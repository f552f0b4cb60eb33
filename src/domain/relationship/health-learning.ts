// Learns the health score's weights from the book's own losses: a regularised logistic regression of loss
// within 13 weeks on the components' shortfalls, measured out of time against the hand weights, and used
// only when the book has enough losses to learn from and the learned weights rank its losses better.
import { areaUnderCurve, type CalibrationBin, calibrationTable } from '../models/churn-classifier.js';
import { fitLogisticRegression } from '../models/logistic-regression.js';
import {
  churnProbabilityOf,
  type ShortfallModel,
  shortfalls,
  weightedScore,
  weightsFromCoefficients,
  weightsOf,
} from './health-model.js';
import type { HealthSample } from './health-training-set.js';
import type { HealthWeights } from './health-weights.js';

export interface HealthLearningSettings {
  /** false: always the hand weights. */
  readonly enabled: boolean;
  /** Below this many distinct accounts lost in the training window, the hand weights stay. */
  readonly minimumLostAccounts: number;
}

export const defaultHealthLearning: HealthLearningSettings = { enabled: true, minimumLostAccounts: 30 };

/** L2 penalty of the fit: keeps coefficients finite when a component separates the classes. */
const penalty = 1;
/** The share of the labelled sample days, latest first, held out to test the fit on. */
const testShare = 0.25;

/** How the fit ranked the latest labelled weeks' losses, fitted on the weeks before them. */
export interface HealthFitQuality {
  readonly testSamples: number;
  readonly testLosses: number;
  /** AUC of the churn probability. */
  readonly auc: number;
  /** AUC of the score with the learned weights (lower score, higher risk). */
  readonly scoreAuc: number;
  /** AUC of the score with the hand weights, on the same samples. */
  readonly handAuc: number;
  /** Mean squared error of the churn probability. */
  readonly brier: number;
  readonly calibration: readonly CalibrationBin[];
}

export type HealthFallbackKind =
  | 'disabled'
  | 'too-few-losses'
  | 'too-few-weeks'
  | 'untestable'
  | 'no-predictive-component'
  | 'not-better';

interface FitCounts {
  /** Labelled samples in the window. */
  readonly samples: number;
  /** Distinct accounts lost within the horizon of one of their samples. */
  readonly lostAccounts: number;
}

export type HealthFit =
  | (FitCounts & {
      readonly status: 'learned';
      readonly weights: HealthWeights;
      readonly churn: ShortfallModel;
      readonly quality: HealthFitQuality;
    })
  | (FitCounts & {
      readonly status: 'fallback';
      readonly kind: HealthFallbackKind;
      readonly reason: string;
      /** The model fitted on the older weeks, when there was one, for the record. */
      readonly churn: ShortfallModel | null;
      readonly quality: HealthFitQuality | null;
    });

/**
 * Fits the weights on the labelled samples: tested on the latest quarter of the sample days after a fit
 * on the others, then refitted on all of them for use. Falls back to the hand weights, saying why.
 */
export function learnHealthWeights(
  samples: readonly HealthSample[],
  handWeights: HealthWeights,
  settings: HealthLearningSettings,
): HealthFit {
  const lostAccounts = new Set(samples.flatMap((sample) => (sample.lost === 1 ? [sample.accountId] : []))).size;
  const counts = { samples: samples.length, lostAccounts };
  const fallback = (kind: HealthFallbackKind, reason: string, churn: ShortfallModel | null = null) =>
    ({ ...counts, status: 'fallback', kind, reason, churn, quality: null }) as const;
  if (!settings.enabled) return fallback('disabled', 'learning is turned off (health.learning.enabled: false)');
  if (lostAccounts < settings.minimumLostAccounts)
    return fallback(
      'too-few-losses',
      `too few losses to learn from: ${lostAccounts} accounts lost in the window, ` +
        `${settings.minimumLostAccounts} needed (health.learning.minimumLostAccounts)`,
    );
  const days = [...new Set(samples.map((sample) => sample.day))].sort();
  const testDays = Math.max(1, Math.round(days.length * testShare));
  if (days.length - testDays < 1)
    return fallback('too-few-weeks', `only ${days.length} sample week(s): nothing left to test the fit on`);
  const firstTestDay = days[days.length - testDays]!;
  const training = samples.filter((sample) => sample.day < firstTestDay);
  const test = samples.filter((sample) => sample.day >= firstTestDay);
  const testLosses = test.filter((sample) => sample.lost === 1).length;
  const classes = (part: readonly HealthSample[]) => new Set(part.map((sample) => sample.lost)).size;
  if (classes(training) < 2 || classes(test) < 2)
    return fallback(
      'untestable',
      `the older weeks (${training.length} samples) or the latest ${testDays} (${test.length} samples, ` +
        `${testLosses} lost) hold only one outcome: the fit cannot be tested out of time`,
    );
  const trial = fitShortfalls(training);
  const trialWeights = weightsFromCoefficients(trial.coefficients);
  if (trialWeights === null)
    return fallback('no-predictive-component', "no component's shortfall raised the odds of loss", trial);
  const quality = measure(test, trial, trialWeights, handWeights);
  if (quality.scoreAuc <= quality.handAuc)
    return {
      ...fallback(
        'not-better',
        `the learned weights ranked the latest weeks' losses no better than the hand weights ` +
          `(AUC ${quality.scoreAuc.toFixed(3)} against ${quality.handAuc.toFixed(3)})`,
        trial,
      ),
      quality,
    };
  const churn = fitShortfalls(samples);
  const weights = weightsFromCoefficients(churn.coefficients);
  if (weights === null)
    return fallback('no-predictive-component', "no component's shortfall raised the odds of loss", churn);
  return { ...counts, status: 'learned', weights, churn, quality };
}

function fitShortfalls(samples: readonly HealthSample[]): ShortfallModel {
  const model = fitLogisticRegression(
    samples.map((sample) => shortfalls(sample.scores)),
    samples.map((sample) => sample.lost),
    { penalty },
  );
  return { intercept: model.intercept, coefficients: weightsOf(model.coefficients) };
}

function measure(
  test: readonly HealthSample[],
  churn: ShortfallModel,
  weights: HealthWeights,
  handWeights: HealthWeights,
): HealthFitQuality {
  const outcomes = test.map((sample) => sample.lost);
  const probabilities = test.map((sample) => churnProbabilityOf(churn, sample.scores));
  // A lower score means more risk: the AUC ranks by the score's negative.
  const risk = (of: HealthWeights) => test.map((sample) => -weightedScore(sample.scores, of));
  return {
    testSamples: test.length,
    testLosses: outcomes.filter((outcome) => outcome === 1).length,
    auc: areaUnderCurve(probabilities, outcomes),
    scoreAuc: areaUnderCurve(risk(weights), outcomes),
    handAuc: areaUnderCurve(risk(handWeights), outcomes),
    brier: probabilities.reduce((sum, p, i) => sum + (p - outcomes[i]!) ** 2, 0) / test.length,
    calibration: calibrationTable(probabilities, outcomes),
  };
}
