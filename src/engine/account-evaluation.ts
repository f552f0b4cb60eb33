// Evaluates accounts this transaction holds (claimed by an engine's lane, or locked by the ingest
// transaction that made them due): their snapshots, signals raised and cleared, the playbooks those
// start, the day's health row, when each is next looked at, and its standing in the account list and in
// its owner's oversight. One function for every path, so that an account evaluated at ingest ends
// exactly as one a lane evaluated.
import type { Transaction } from 'kysely';
import { evaluateAccount } from '../domain/relationship/account-signals.js';
import { cadenceStatus } from '../domain/relationship/cadence-policy.js';
import type { HealthModel } from '../domain/relationship/health-model.js';
import { healthScore } from '../domain/relationship/health-score.js';
import { accountOversight } from '../domain/relationship/oversight.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { startOfNextUtcDay } from '../domain/relationship/time-spans.js';
import { contributionOf } from '../domain/relationship/value-tiers.js';
import { loadEvaluationInputs } from '../store/account-snapshots.js';
import { type ClaimedAccount, nextCheckWrites } from '../store/account-due-times.js';
import type { Database } from '../store/schema.js';
import { signalNoticeWrites } from '../store/signal-notices.js';
import { signalWrites } from '../store/signal-store.js';
import { writeTogether } from '../store/write-together.js';
import { healthRowOf, healthWrites } from '../store/health-queries.js';
import type { JourneyEngine } from './journey-engine.js';

export interface EvaluationOutcome {
  readonly evaluated: number;
  readonly raised: number;
  readonly cleared: number;
  /** Playbook runs the evaluation started (their first steps are the journeys' lane's work). */
  readonly entered: number;
}

/**
 * Evaluates `accounts` at `now`; the caller holds their rows locked until it commits. `judgePeople`:
 * the daily refresh judges each person's activity too; other evaluations leave people's signals be.
 * `healthModel`: the weights in effect (learned or configured), held in memory by the caller.
 */
export async function evaluateHeldAccounts(
  trx: Transaction<Database>,
  accounts: readonly ClaimedAccount[],
  now: Date,
  config: TendConfig,
  journeys: JourneyEngine | undefined,
  { judgePeople, healthModel }: { judgePeople: boolean; healthModel: HealthModel },
): Promise<EvaluationOutcome> {
  const { snapshots, openSignals } = await loadEvaluationInputs(
    trx,
    accounts.map((row) => row.id),
    now,
    config,
    { withPeople: judgePeople },
  );
  const batch = [];
  const healthRows = [];
  const nextChecks = [];
  for (const snapshot of snapshots) {
    const evaluation = evaluateAccount(snapshot, config, now);
    batch.push({ accountId: snapshot.accountId, owner: snapshot.ownerEmail, active: evaluation.signals });
    const health = healthScore(snapshot, evaluation, config, now, healthModel);
    healthRows.push(healthRowOf(snapshot.accountId, health, now));
    const standing = {
      ...accountOversight(evaluation.signals),
      healthScore: Math.round(health.score),
      lastContactAt: cadenceStatus(snapshot, config, now).lastContactAt,
      valueMinor: Math.round(contributionOf(snapshot, config.value.basis)),
    };
    nextChecks.push({ accountId: snapshot.accountId, at: evaluation.nextCheckAt, standing });
  }
  const signals = signalWrites(batch, now, openSignals, { judgedPeople: judgePeople });
  // The signals, the notices they give the owners, the day's health rows and the due-times in one
  // statement: none reads another's rows. Look again at the next deadline, and at the next midnight.
  const notices = signalNoticeWrites(signals.changes.raisedSignals, config.value.tiers[0]?.name ?? null, now);
  await writeTogether(
    trx,
    [...signals.parts, ...notices, ...healthWrites(healthRows), ...nextCheckWrites(nextChecks, startOfNextUtcDay(now))],
    { prepare: true },
  );
  const changes = signals.changes;
  let entered = 0;
  if (journeys) {
    const subjects = new Map(snapshots.map((snapshot) => [snapshot.accountId, snapshot]));
    if (changes.raisedSignals.length > 0)
      entered += await journeys.enterForSignals(trx, changes.raisedSignals, now, subjects);
    entered += await journeys.enterForSegments(trx, subjects, now);
  }
  return { evaluated: snapshots.length, raised: changes.raised, cleared: changes.cleared, entered };
}
