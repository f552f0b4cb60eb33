// The relationship policy a business sets in tend.config.yaml: value tiers, the contact cadence per
// tier, signal thresholds, health weights. Defaults apply where the file is silent.
import type { Cadence } from './cadence-policy.js';
import { defaultHealthLearning, type HealthLearningSettings } from './health-learning.js';
import type { HealthWeights } from './health-weights.js';
import { defaultEventTimeWindow, type EventTimeWindow } from '../time-limits.js';
import { defaultRateLimits, type RateLimits } from '../rate-limit.js';
import { defaultSignalSettings, type SignalSettings } from './signals/registry.js';
import type { TierDefinition } from './value-tiers.js';

export interface TendConfig {
  readonly value: {
    /** Tiers rank accounts by this contribution. */
    readonly basis: 'profit' | 'revenue';
    /** Invoices count toward value over this many days. */
    readonly windowDays: number;
    readonly tiers: readonly TierDefinition[];
  };
  /** Cadence per tier name; a tier without one uses the last tier's. */
  readonly cadence: Readonly<Record<string, Cadence>>;
  /** Each kind of signal's thresholds (see signals/registry.ts). */
  readonly signals: SignalSettings;
  /** The hand weights, and when to learn weights from the book's own losses instead. */
  readonly health: { readonly weights: HealthWeights; readonly learning: HealthLearningSettings };
  readonly today: { readonly size: number };
  /** Which event times ingest accepts, relative to Tend's clock (each month is a partition). */
  readonly ingest: EventTimeWindow;
  /** Rate limits of the HTTP API (per source, per admin token, per address). */
  readonly limits: RateLimits;
  /** How many days raw events are kept (null: all); whole months past it are dropped each day. */
  readonly retention: { readonly eventsDays: number | null };
  /** Sign-in: a session unused this many days ends (the person signs in again). */
  readonly people: { readonly sessionIdleDays: number };
  /** After a customer writes in, automated messages to them wait this many hours (0: not at all). */
  readonly conversations: { readonly pauseAutomationHours: number };
}

export const defaultTendConfig: TendConfig = {
  value: {
    basis: 'profit',
    windowDays: 365,
    tiers: [
      { name: 'A', upToShare: 0.5 },
      { name: 'B', upToShare: 0.8 },
      { name: 'C', upToShare: 1 },
    ],
  },
  cadence: {
    A: { everyDays: 14, objective: 'business review', methods: ['meeting', 'video', 'phone'] },
    B: { everyDays: 30, objective: 'value share', methods: ['phone', 'video'] },
    C: { everyDays: 90, objective: 'check-in', methods: ['phone', 'email'] },
  },
  signals: defaultSignalSettings,
  health: {
    weights: {
      engagement: 0.25,
      relationship: 0.25,
      voice: 0.15,
      effort: 0.1,
      money: 0.1,
      churnRisk: 0.15,
      promises: 0.1,
    },
    learning: defaultHealthLearning,
  },
  today: { size: 8 },
  ingest: defaultEventTimeWindow,
  limits: defaultRateLimits,
  retention: { eventsDays: null },
  people: { sessionIdleDays: 14 },
  conversations: { pauseAutomationHours: 72 },
};
