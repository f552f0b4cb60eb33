// One evaluation (DueEvaluation) in its own process, as a second `tend start` would run it: opens the store,
// does a value ranking (timed apart), says it is ready, and on "go" evaluates due accounts until none
// is left or its time is up, then reports what it did and the CPU it used. For a sweep at the turn of
// a day, the ranking is the previous day's, so the engine meets the day as a running one does: the
// deadlines first, then the day's ranking, then the refresh.
import { ManualClock } from '../../src/engine/clocks.js';
import { DueEvaluation } from '../../src/engine/due-evaluation.js';
import { TierRanking } from '../../src/engine/tier-ranking.js';
import { defaultTendConfig } from '../../src/domain/relationship/tend-config.js';
import type { StoreLocation } from '../../src/config/settings.js';
import { openStore } from '../../src/store/database.js';
import { EventPartitions } from '../../src/store/event-partitions.js';

export interface SweepWorkerInput {
  readonly location: StoreLocation;
  readonly at: string;
  readonly batchSize: number;
  /** Stop taking new batches after this many seconds (a full sweep at 1 M accounts can take long). */
  readonly limitSeconds: number;
  /** Rank as of a day before `at` (a running engine at the turn of the day), instead of at `at`. */
  readonly rankedTheDayBefore: boolean;
}

export type SweepWorkerMessage =
  | { kind: 'ready'; rankMilliseconds: number }
  | {
      kind: 'done';
      evaluated: number;
      raised: number;
      cleared: number;
      milliseconds: number;
      cpuMilliseconds: number;
      finished: boolean;
      /**
       * Accounts evaluated in the deadline lane before the day's ranking, and when this engine's last
       * such batch committed (the ranking can make more accounts due; those are not counted here).
       */
      deadlineEvaluated: number;
      deadlineMilliseconds: number;
    }
  | { kind: 'failed'; message: string };

const send = (message: SweepWorkerMessage): void => void process.send?.(message);

try {
  const input = JSON.parse(process.argv[2] ?? '{}') as SweepWorkerInput;
  // The embedded database belongs to the benchmark process; this one shares it through its socket.
  const store = await openStore(input.location, { migrate: false, shareRunning: true, poolSize: 4 });
  const at = new Date(input.at);
  const clock = new ManualClock(input.rankedTheDayBefore ? new Date(at.getTime() - 86_400_000) : at);
  const partitions = new EventPartitions(store.database);
  const ranking = new TierRanking({
    database: store.database,
    clock,
    config: defaultTendConfig,
    partitions,
    // As `tend start` on the system clock: the check for unranked accounts runs at most every 5 s.
    cooldownMilliseconds: 5000,
  });
  const evaluation = new DueEvaluation({
    database: store.database,
    clock,
    config: defaultTendConfig,
    partitions,
    ranking,
    batchSize: input.batchSize,
  });
  const rankBegan = performance.now();
  await ranking.rankValue();
  clock.moveTo(at);
  send({ kind: 'ready', rankMilliseconds: performance.now() - rankBegan });
  await new Promise<void>((go) => process.once('message', () => go()));
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  // The evaluation's round (one evaluateDueBatch after another), with a time limit.
  const outcome = { evaluated: 0, raised: 0, cleared: 0, deadlineEvaluated: 0, deadlineMilliseconds: 0 };
  let dayRanked = false;
  let finished = false;
  while (performance.now() - began < input.limitSeconds * 1000) {
    const batch = await evaluation.evaluateDueBatch();
    if (batch.evaluated === 0) {
      finished = true;
      break;
    }
    outcome.evaluated += batch.evaluated;
    outcome.raised += batch.raised;
    outcome.cleared += batch.cleared;
    dayRanked ||= batch.rankedFirst;
    if (batch.lane === 'deadline' && !dayRanked) {
      outcome.deadlineEvaluated += batch.evaluated;
      outcome.deadlineMilliseconds = performance.now() - began;
    }
  }
  const milliseconds = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  send({ kind: 'done', ...outcome, milliseconds, cpuMilliseconds: (cpu.user + cpu.system) / 1000, finished });
  await store.close();
  process.disconnect?.();
} catch (error) {
  send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  process.disconnect?.();
}
