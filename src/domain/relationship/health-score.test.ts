// Checks the health score: component scores, the sharing of missing components' weights, and the reasons.
import { describe, expect, it } from 'vitest';
import { callAt, snapshotOf } from './account-snapshot-fixture.js';
import { evaluateAccount } from './account-signals.js';
import type { AccountSnapshot } from './account-snapshot.js';
import type { HealthModel } from './health-model.js';
import { healthScore } from './health-score.js';
import { defaultTendConfig as config } from './tend-config.js';

function healthOf(snapshot: AccountSnapshot, at: string) {
  const now = new Date(at);
  return healthScore(snapshot, evaluateAccount(snapshot, config, now), config, now);
}

const recentlyCalled = snapshotOf({
  touches: [callAt('2026-01-20T00:00:00Z')],
  lastSpokenAt: new Date('2026-01-20T00:00:00Z'),
});

describe('healthScore', () => {
  it('is 100 for an account within cadence and nothing else known, with every other weight shared out', () => {
    const health = healthOf(recentlyCalled, '2026-02-01T00:00:00Z');
    expect(health.score).toBe(100);
    expect(health.components.find((component) => component.name === 'relationship')).toMatchObject({
      weight: 1,
      score: 100,
    });
    expect(
      health.components.filter((component) => component.score === null).map((component) => component.name),
    ).toEqual(['engagement', 'voice', 'effort', 'money', 'churnRisk', 'promises']);
    expect(health.components.find((component) => component.name === 'churnRisk')).toMatchObject({
      weight: 0,
      score: null,
    });
    expect(health.topReasons).toEqual([]);
  });

  it('shares weights among the components with input, proportionally', () => {
    // relationship 0.25 at 100, churnRisk 0.15 at 40: weights 0.625 and 0.375 → 62.5 + 15 = 77.5
    const health = healthOf({ ...recentlyCalled, churnProbability: 0.6 }, '2026-02-01T00:00:00Z');
    const churn = health.components.find((component) => component.name === 'churnRisk');
    expect(churn?.weight).toBeCloseTo(0.375, 10);
    expect(churn?.score).toBe(40);
    expect(health.score).toBe(78);
    expect(health.topReasons).toEqual(['The churn model gives a 60 % chance they leave']);
  });

  it('falls with neglect and a bad survey, and explains itself by what pulled it down most', () => {
    const snapshot = {
      ...recentlyCalled,
      surveys: [{ at: new Date('2026-03-01T00:00:00Z'), score: 2, comment: null, contactId: null }],
    };
    // 2026-03-10: 49 days since the call, tier B cadence 30: 19 days overdue → relationship 100 × (1 − 19/30) ≈ 37
    const health = healthOf(snapshot, '2026-03-10T00:00:00Z');
    const relationship = Math.round(100 * (1 - 19 / 30));
    const voice = 20;
    expect(health.score).toBe(Math.round((0.25 * relationship + 0.15 * voice) / 0.4));
    expect(health.topReasons).toEqual([
      'No two-way conversation for 49 days; tier B expects one every 30 days',
      'Last survey: 2 out of 10 on 2026-03-01',
    ]);
  });

  it('scores engagement as recent activity against the usual, and money by late payments', () => {
    const usual = Array.from({ length: 8 * 7 }, () => 2);
    const dropped = Array.from({ length: 2 * 7 }, (_, day) => (day % 7 < 4 ? 1 : 0));
    const snapshot: AccountSnapshot = {
      ...recentlyCalled,
      activity: [
        { activity: 'Signed In', dailyCounts: [...usual, ...dropped], through: new Date('2026-01-31T00:00:00Z') },
      ],
      invoices: [
        {
          invoiceId: 'INV-1',
          issuedAt: new Date('2026-01-01T00:00:00Z'),
          dueAt: new Date('2026-01-22T00:00:00Z'),
          amountMinor: 10_000,
          paidAt: null,
          failedAt: null,
        },
      ],
    };
    const health = healthOf(snapshot, '2026-02-01T00:00:00Z');
    const engagement = health.components.find((component) => component.name === 'engagement');
    expect(engagement?.score).toBe(Math.round((100 * 4) / 14));
    expect(engagement?.reasons).toEqual(['Signed In fell from about 14 a week to 4']);
    const money = health.components.find((component) => component.name === 'money');
    expect(money?.score).toBe(100 - (40 + 10)); // 10 days late: severity 40 + 60 × 10/60
    expect(health.topReasons[0]).toBe('Signed In fell from about 14 a week to 4');
  });

  it('uses learned weights when a fit is in effect, and still gives the configured score and each pull', () => {
    const snapshot = {
      ...recentlyCalled,
      churnProbability: 0.6,
      surveys: [{ at: new Date('2026-01-25T00:00:00Z'), score: 2, comment: null, contactId: null }],
    };
    const now = new Date('2026-02-01T00:00:00Z');
    const evaluation = evaluateAccount(snapshot, config, now);
    const model: HealthModel = {
      source: 'learned',
      fitId: 'fit-1',
      weights: { engagement: 0, relationship: 0.2, voice: 0.8, effort: 0, money: 0, churnRisk: 0, promises: 0 },
      churn: {
        intercept: -3,
        coefficients: { engagement: 0, relationship: 1, voice: 4, effort: 0, money: 0, churnRisk: -1, promises: 0 },
      },
    };
    const learned = healthScore(snapshot, evaluation, config, now, model);
    const configured = healthScore(snapshot, evaluation, config, now);
    // relationship 100, voice 20, churnRisk 40 (learned weight 0): 0.2 × 100 + 0.8 × 20 = 36.
    expect(learned.score).toBe(36);
    expect(learned.configuredScore).toBe(configured.score);
    expect(configured.configuredScore).toBe(configured.score);
    expect(learned.weightsSource).toBe('learned');
    expect(configured.weightsSource).toBe('hand');
    expect(configured.churnProbability).toBeNull();
    // σ(−3 + 1 × 0 + 4 × 0.8 − 1 × 0.6)
    expect(learned.churnProbability).toBeCloseTo(1 / (1 + Math.exp(-(-3 + 3.2 - 0.6))), 10);
    const voice = learned.components.find((component) => component.name === 'voice');
    expect(voice).toMatchObject({ weight: 0.8, score: 20 });
    expect(voice?.pull).toBeCloseTo(64, 10);
    expect(learned.components.find((component) => component.name === 'churnRisk')?.pull).toBe(0);
    expect(learned.topReasons[0]).toBe('Last survey: 2 out of 10 on 2026-01-25');
  });
});
