// The evaluation, its ranking and the scheduler that runs them, wired as `tend start` wires them (the
// default configuration, no cooldown between rankings, no playbooks unless given), for tests that
// drive them directly rather than through a running Tend.
import type { Kysely } from 'kysely';
import type { Clock } from '../../src/domain/clock.js';
import { defaultTendConfig } from '../../src/domain/relationship/tend-config.js';
import { DueEvaluation } from '../../src/engine/due-evaluation.js';
import type { JourneyEngine } from '../../src/engine/journey-engine.js';
import { Scheduler } from '../../src/engine/scheduler.js';
import { TaskEscalation } from '../../src/engine/task-escalation.js';
import { TierRanking } from '../../src/engine/tier-ranking.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import type { Database } from '../../src/store/schema.js';

export interface EvaluationSystemsOptions {
  readonly batchSize?: number;
  readonly batchMilliseconds?: number;
  readonly ingestEvaluationLimit?: number;
  readonly extraEventLanes?: number;
  readonly pollMilliseconds?: number;
  /** Rankings triggered by new accounts at most this often (default 0: whenever there are some). */
  readonly cooldownMilliseconds?: number;
  readonly journeys?: JourneyEngine;
  readonly onError?: (error: unknown) => void;
}

export interface EvaluationSystems {
  readonly ranking: TierRanking;
  readonly evaluation: DueEvaluation;
  readonly scheduler: Scheduler;
}

export function evaluationSystems(
  database: Kysely<Database>,
  clock: Clock,
  options: EvaluationSystemsOptions = {},
): EvaluationSystems {
  const partitions = new EventPartitions(database);
  const config = defaultTendConfig;
  const ranking = new TierRanking({
    database,
    clock,
    config,
    partitions,
    cooldownMilliseconds: options.cooldownMilliseconds ?? 0,
  });
  const evaluation = new DueEvaluation({
    database,
    clock,
    config,
    partitions,
    ranking,
    journeys: options.journeys,
    batchSize: options.batchSize,
    batchMilliseconds: options.batchMilliseconds,
    ingestEvaluationLimit: options.ingestEvaluationLimit,
    onError: options.onError,
  });
  const scheduler = new Scheduler({
    clock,
    evaluation,
    escalation: new TaskEscalation(database, clock),
    journeys: options.journeys,
    extraEventLanes: options.extraEventLanes,
    pollMilliseconds: options.pollMilliseconds,
    onError: options.onError,
  });
  return { ranking, evaluation, scheduler };
}
