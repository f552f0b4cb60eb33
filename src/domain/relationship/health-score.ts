// The health score of one account, 0–100, from weighted components (engagement, relationship, voice,
// effort, money, churn risk, promises), each with its reasons and its pull, so the score always explains itself.
import type { AccountSnapshot } from './account-snapshot.js';
import { cadenceStatus } from './cadence-policy.js';
import type { AccountEvaluation, ActiveSignal, SignalKind } from './signal.js';
import { signalDefinitions } from './signals/registry.js';
import type { HealthEffect } from './signals/signal-definition.js';
import { percent } from './signals/signal-context.js';
import {
  churnProbabilityOf,
  type ComponentScores,
  type HealthComponentName,
  type HealthModel,
  handModel,
  healthComponentNames,
  weightedScore,
} from './health-model.js';
import type { HealthWeights } from './health-weights.js';
import type { TendConfig } from './tend-config.js';
import { addDays, isoDay } from './time-spans.js';

export type { HealthComponentName } from './health-model.js';

export interface HealthComponent {
  readonly name: HealthComponentName;
  /** The weight in effect after missing components' weights were shared out (present weights sum to 1). */
  readonly weight: number;
  /** 0–100; null when its input is missing (then its weight is 0). */
  readonly score: number | null;
  /** How many points it takes off the score: weight × (100 − score); 0 without input. */
  readonly pull: number;
  readonly reasons: readonly string[];
}

export interface HealthScore {
  /** With the weights in effect: learned from the book's losses, or the configured ones. */
  readonly score: number;
  /** With the configured (hand) weights, whichever are in effect, so the two can be compared. */
  readonly configuredScore: number;
  /** The learned churn model's chance the account is lost within 13 weeks; null with hand weights. */
  readonly churnProbability: number | null;
  readonly weightsSource: HealthModel['source'];
  readonly components: readonly HealthComponent[];
  /** The reasons of the components that pulled the score down most, most first (at most 3). */
  readonly topReasons: readonly string[];
}

/** A component before weighting. */
interface Reading {
  readonly score: number | null;
  readonly reasons: readonly string[];
}

/**
 * Scores the account for the health history and the account page. Score = Σ weightᵢ × scoreᵢ over
 * the components with input, where weightᵢ = weightᵢ in effect / Σ weights in effect of those
 * components, from the components' whole-number scores (so the shown figures add up); rounded to a
 * whole number. A component pulls the score down by weightᵢ × (100 − scoreᵢ). The weights in effect are
 * the model's when it was learned, the configured ones otherwise.
 */
export function healthScore(
  snapshot: AccountSnapshot,
  evaluation: AccountEvaluation,
  config: TendConfig,
  now: Date,
  model: HealthModel = handModel,
): HealthScore {
  const readings: Record<HealthComponentName, Reading> = {
    engagement: engagementReading(evaluation),
    relationship: relationshipReading(snapshot, config, now),
    voice: voiceReading(snapshot),
    effort: effortReading(snapshot),
    money: moneyReading(snapshot),
    churnRisk: churnReading(snapshot),
    promises: promisesReading(snapshot, now),
  };
  for (const name of healthComponentNames)
    readings[name] = withSignals(readings[name], effects[name], evaluation.signals);
  const scores: Partial<Record<HealthComponentName, number | null>> = {};
  for (const name of healthComponentNames) {
    const score = readings[name].score;
    scores[name] = score === null ? null : Math.round(clamp(score));
  }
  const weights = model.source === 'learned' ? model.weights : config.health.weights;
  const shares = sharedWeights(scores, weights);
  const components: HealthComponent[] = healthComponentNames.map((name) => {
    const score = scores[name] ?? null;
    const weight = shares[name];
    return { name, weight, score, pull: score === null ? 0 : weight * (100 - score), reasons: readings[name].reasons };
  });
  const pulls = components
    .filter((component) => component.pull > 0 && component.reasons.length > 0)
    .sort((a, b) => b.pull - a.pull);
  return {
    score: Math.round(clamp(weightedScore(scores, weights))),
    configuredScore: Math.round(clamp(weightedScore(scores, config.health.weights))),
    churnProbability: model.source === 'learned' ? churnProbabilityOf(model.churn, scores) : null,
    weightsSource: model.source,
    components,
    topReasons: pulls.flatMap((component) => component.reasons).slice(0, 3),
  };
}

/** Each component's share of the score: its weight over the present components' total; 0 without input. */
function sharedWeights(scores: ComponentScores, weights: HealthWeights): Record<HealthComponentName, number> {
  const present = (name: HealthComponentName) => scores[name] !== null && scores[name] !== undefined;
  const total = healthComponentNames.reduce((sum, name) => sum + (present(name) ? weights[name] : 0), 0);
  const shares = {} as Record<HealthComponentName, number>;
  for (const name of healthComponentNames) shares[name] = present(name) && total > 0 ? weights[name] / total : 0;
  return shares;
}

/** Activity against the account's own baseline: 100 × recent / usual, capped at 100, averaged over activities. */
function engagementReading(evaluation: AccountEvaluation): Reading {
  const scores: number[] = [];
  const reasons: string[] = [];
  for (const { verdict } of evaluation.activity) {
    if (verdict.kind === 'insufficient-history' || verdict.baselinePerWeek <= 0) continue;
    const ratio = verdict.recentPerWeek / verdict.baselinePerWeek;
    scores.push(100 * Math.min(1, ratio));
    if (ratio < 0.9) reasons.push(verdict.reason);
  }
  if (scores.length === 0) return { score: null, reasons: [] };
  return { score: scores.reduce((total, score) => total + score, 0) / scores.length, reasons };
}

/**
 * Cadence: 100 within the tier's cadence, falling linearly to 0 when a further full cadence has
 * passed; the signals then take their part (async-only and never-spoken 25 each: see withSignals).
 */
function relationshipReading(snapshot: AccountSnapshot, config: TendConfig, now: Date): Reading {
  const status = cadenceStatus(snapshot, config, now);
  if (status.cadence === null) return { score: null, reasons: [] };
  return { score: 100 * Math.max(0, 1 - status.overdueDays / status.cadence.everyDays), reasons: [] };
}

/** The latest survey score × 10 (50 without one), 20 off per negative reply of the last 30 days. */
function voiceReading(snapshot: AccountSnapshot): Reading {
  const latest = [...snapshot.surveys].sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  if (latest === undefined && snapshot.negativeReplies.length === 0) return { score: null, reasons: [] };
  const reasons: string[] = [];
  let score = latest === undefined ? 50 : latest.score * 10;
  if (latest !== undefined && latest.score < 9)
    reasons.push(`Last survey: ${latest.score} out of 10 on ${isoDay(latest.at)}`);
  for (const reply of snapshot.negativeReplies) {
    score -= 20;
    reasons.push(`Negative reply on ${isoDay(reply.at)}${reply.summary === null ? '' : `: "${reply.summary}"`}`);
  }
  return { score, reasons };
}

/** 100, less what the signals take (high-effort, messages left unanswered); null without inbound contacts. */
function effortReading(snapshot: AccountSnapshot): Reading {
  return snapshot.inbound.length === 0 ? { score: null, reasons: [] } : { score: 100, reasons: [] };
}

/** 100, less what the signals take (late payments' severities); null without invoices. */
function moneyReading(snapshot: AccountSnapshot): Reading {
  return snapshot.invoices.length === 0 ? { score: null, reasons: [] } : { score: 100, reasons: [] };
}

/** 100 × (1 − churn probability), or 100 × P(alive); the lower when both are known. */
function churnReading(snapshot: AccountSnapshot): Reading {
  const readings: { score: number; reason: string }[] = [];
  if (snapshot.churnProbability !== null) {
    readings.push({
      score: 100 * (1 - snapshot.churnProbability),
      reason: `The churn model gives a ${percent(snapshot.churnProbability)} chance they leave`,
    });
  }
  if (snapshot.probabilityAlive !== null) {
    readings.push({
      score: 100 * snapshot.probabilityAlive,
      reason: `A ${percent(snapshot.probabilityAlive)} chance they are still an active customer`,
    });
  }
  const worst = readings.sort((a, b) => a.score - b.score)[0];
  return worst === undefined ? { score: null, reasons: [] } : { score: worst.score, reasons: [worst.reason] };
}

/**
 * 100, less what broken promises take (promise-broken's severity each); null when no promise is open, and
 * none was kept or withdrawn in the last year: an account nobody promised anything has no such component.
 */
function promisesReading(snapshot: AccountSnapshot, now: Date): Reading {
  const yearAgo = addDays(now, -365).getTime();
  const current = snapshot.promises.some(
    (promise) => promise.status === 'open' || (promise.closedAt !== null && promise.closedAt.getTime() > yearAgo),
  );
  return current ? { score: 100, reasons: [] } : { score: null, reasons: [] };
}

/** The health effects of the kinds of signal, per component, in evaluation order. */
const effects: Readonly<Record<HealthComponentName, readonly { kind: SignalKind; effect: HealthEffect }[]>> = {
  engagement: effectsOn('engagement'),
  relationship: effectsOn('relationship'),
  voice: effectsOn('voice'),
  effort: effectsOn('effort'),
  money: effectsOn('money'),
  churnRisk: effectsOn('churnRisk'),
  promises: effectsOn('promises'),
};

function effectsOn(component: HealthComponentName): { kind: SignalKind; effect: HealthEffect }[] {
  return signalDefinitions.flatMap(({ kind, health }) =>
    health?.component === component ? [{ kind, effect: health }] : [],
  );
}

/**
 * A component with the open signals' part: each takes its points off and adds its reasons, kind by kind
 * in evaluation order. A component without input (score null) stays without.
 */
function withSignals(
  reading: Reading,
  kinds: readonly { kind: SignalKind; effect: HealthEffect }[],
  signals: readonly ActiveSignal[],
): Reading {
  if (reading.score === null || kinds.length === 0) return reading;
  let score = reading.score;
  const reasons = [...reading.reasons];
  for (const { kind, effect } of kinds) {
    for (const signal of signals) {
      if (signal.kind !== kind) continue;
      const points = effect.pointsOff(signal);
      if (points === null) continue;
      score -= points;
      reasons.push(...(effect.reasons === 'first' ? signal.reasons.slice(0, 1) : signal.reasons));
    }
  }
  return { score, reasons };
}

function clamp(score: number): number {
  return Math.max(0, Math.min(100, score));
}
