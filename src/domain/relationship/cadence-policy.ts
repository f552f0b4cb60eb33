// Where an account stands against its tier's contact cadence: the last real conversation, when the
// next one is due, and by how many whole days it is overdue.
import type { AccountSnapshot, TouchChannel } from './account-snapshot.js';
import { lastSubstantiveContactAt } from './contact-audit.js';
import { addDays, wholeDaysBetween } from './time-spans.js';
import type { TierDefinition } from './value-tiers.js';

export interface Cadence {
  /** A substantive two-way human contact is due this often. */
  readonly everyDays: number;
  /** What the contact is for: review, value share, problem solving, … */
  readonly objective: string;
  /** Preferred methods, best first. */
  readonly methods: readonly TouchChannel[];
}

/** What the cadence depends on in the policy (tend.config.yaml): the tiers and each tier's cadence. */
export interface CadencePolicy {
  readonly value: { readonly tiers: readonly TierDefinition[] };
  /** Cadence per tier name; a tier without one uses the last tier's. */
  readonly cadence: Readonly<Record<string, Cadence>>;
}

export interface CadenceStatus {
  /** The account's tier, or the last tier before its first ranking. */
  readonly tier: string;
  /** The tier's cadence, or the last tier's; null only when neither is configured. */
  readonly cadence: Cadence | null;
  /** The last substantive two-way human contact; null when there has been none. */
  readonly lastContactAt: Date | null;
  /** What the silence is counted from: the last contact, or when the account appeared. */
  readonly since: Date;
  readonly daysSince: number;
  /** When the next contact is due (since + everyDays); null without a cadence. */
  readonly dueAt: Date | null;
  /** Whole days past the cadence: daysSince − everyDays when positive, else 0. */
  readonly overdueDays: number;
}

/** The cadence that applies to a tier: its own, else the last tier's (as the configuration promises). */
export function cadenceFor(tier: string | null, config: CadencePolicy): { tier: string; cadence: Cadence | null } {
  const lastTier = config.value.tiers[config.value.tiers.length - 1]?.name ?? '';
  const name = tier ?? lastTier;
  return { tier: name, cadence: config.cadence[name] ?? config.cadence[lastTier] ?? null };
}

/**
 * Measures the silence since the last substantive contact. Touches cover one year; a spoken touch
 * older than that (the snapshot's lastSpokenAt) still counts as the last contact when it is the only one.
 */
export function cadenceStatus(
  snapshot: Pick<AccountSnapshot, 'tier' | 'touches' | 'lastSpokenAt' | 'createdAt'>,
  config: CadencePolicy,
  now: Date,
): CadenceStatus {
  const { tier, cadence } = cadenceFor(snapshot.tier, config);
  const fromTouches = lastSubstantiveContactAt(snapshot.touches.filter((touch) => touch.at.getTime() <= now.getTime()));
  const olderSpoken =
    snapshot.lastSpokenAt !== null && wholeDaysBetween(snapshot.lastSpokenAt, now) >= 365
      ? snapshot.lastSpokenAt
      : null;
  const lastContactAt = fromTouches ?? olderSpoken;
  const since = lastContactAt ?? snapshot.createdAt;
  const daysSince = wholeDaysBetween(since, now);
  const dueAt = cadence === null ? null : addDays(since, cadence.everyDays);
  const overdueDays = cadence === null ? 0 : Math.max(0, daysSince - cadence.everyDays);
  return { tier, cadence, lastContactAt, since, daysSince, dueAt, overdueDays };
}
