// Checks the learning of the health weights on generated books: the component that drives loss comes to
// dominate, the fit is measured out of time against the hand weights, and too few losses keep the hand weights.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../models/random.js';
import { type HealthComponentName, healthComponentNames } from './health-model.js';
import { learnHealthWeights } from './health-learning.js';
import type { HealthSample } from './health-training-set.js';
import { defaultTendConfig } from './tend-config.js';

const hand = defaultTendConfig.health.weights;
const settings = defaultTendConfig.health.learning;

/** A book of `accounts` sampled weekly for `weeks` weeks, where a low `driver` score raises the odds of loss. */
function generatedBook(driver: HealthComponentName, accounts: number, weeks: number, seed = 7): HealthSample[] {
  const random = seededRandom(seed);
  const samples: HealthSample[] = [];
  for (let week = 0; week < weeks; week++) {
    const day = new Date(Date.UTC(2026, 0, 5) + week * 7 * 86_400_000).toISOString().slice(0, 10);
    for (let account = 0; account < accounts; account++) {
      const scores: Partial<Record<HealthComponentName, number | null>> = {};
      for (const name of healthComponentNames) scores[name] = random.next() < 0.1 ? null : random.integer(101);
      const shortfall = (100 - (scores[driver] ?? 100)) / 100;
      const lost = random.next() < 1 / (1 + Math.exp(-(-4 + 5 * shortfall))) ? 1 : 0;
      samples.push({ accountId: `account-${account}`, day, scores, lost });
    }
  }
  return samples;
}

describe('learnHealthWeights', () => {
  it('learns that the component driving loss weighs most, and ranks losses better than the hand weights', () => {
    const fit = learnHealthWeights(generatedBook('voice', 300, 20), hand, settings);
    if (fit.status !== 'learned') throw new Error(`expected a learned fit, got: ${fit.reason}`);
    expect(fit.weights.voice).toBeGreaterThan(0.7);
    for (const name of healthComponentNames) if (name !== 'voice') expect(fit.weights[name]).toBeLessThan(0.1);
    const total = Object.values(fit.weights).reduce((sum, weight) => sum + weight, 0);
    expect(total).toBeCloseTo(1, 10);
    expect(fit.quality.scoreAuc).toBeGreaterThan(fit.quality.handAuc);
    expect(fit.quality.auc).toBeGreaterThan(0.7);
    // Tested on the latest quarter of the 20 weeks: 5 weeks of 300 accounts.
    expect(fit.quality.testSamples).toBe(1500);
    expect(fit.quality.brier).toBeGreaterThan(0);
    expect(fit.quality.calibration).toHaveLength(10);
    expect(fit.churn.coefficients.voice).toBeGreaterThan(3);
  });

  it('adapts to another book where another component drives loss', () => {
    const fit = learnHealthWeights(generatedBook('effort', 300, 20, 11), hand, settings);
    if (fit.status !== 'learned') throw new Error(`expected a learned fit, got: ${fit.reason}`);
    const heaviest = healthComponentNames.reduce((best, name) => (fit.weights[name] > fit.weights[best] ? name : best));
    expect(heaviest).toBe('effort');
  });

  it('keeps the hand weights while the book has too few lost accounts, and says so', () => {
    const book = generatedBook('voice', 300, 20).map((sample) => ({
      ...sample,
      lost: sample.lost === 1 && Number(sample.accountId.slice(8)) < 20 ? sample.lost : (0 as const),
    }));
    const fit = learnHealthWeights(book, hand, settings);
    expect(fit).toMatchObject({ status: 'fallback', kind: 'too-few-losses', churn: null, quality: null });
    if (fit.status === 'fallback') expect(fit.reason).toMatch(/lost in the window, 30 needed/);
    expect(fit.lostAccounts).toBeLessThanOrEqual(20);
  });

  it('keeps the hand weights when learning is turned off', () => {
    const fit = learnHealthWeights(generatedBook('voice', 100, 8), hand, { ...settings, enabled: false });
    expect(fit).toMatchObject({ status: 'fallback', kind: 'disabled' });
  });

  it('keeps the hand weights when no component predicts loss better than they do', () => {
    // Loss at random: nothing to learn, and the learned weights must not replace the hand ones.
    const book = generatedBook('voice', 300, 20).map((sample, i) => ({
      ...sample,
      lost: seededRandom(i + 1).next() < 0.1 ? (1 as const) : (0 as const),
    }));
    const fit = learnHealthWeights(book, hand, settings);
    expect(fit.status).toBe('fallback');
  });
});
