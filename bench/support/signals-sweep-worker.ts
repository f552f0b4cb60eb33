// One relationship engine in its own process, as a second `tend start` would run it: opens the store,
// does the day's value ranking (timed apart), says it is ready, and on "go" evaluates due accounts
// until none is left or its time is up, then reports what it did and the CPU it used.
import { ManualClock } from '../../src/engine/clocks.js';
import { RelationshipEngine } from '../../src/engine/relationship-engine.js';
import { defaultTendConfig } from '../../src/domain/relationship/tend-config.js';
import { type StoreLocation, openStore } from '../../src/store/database.js';
import { EventPartitions } from '../../src/store/event-partitions.js';

export interface SweepWorkerInput {
  readonly location: StoreLocation;
  readonly at: string;
  readonly batchSize: number;
  /** Stop taking new batches after this many seconds (a full sweep at 1 M accounts can take long). */
  readonly limitSeconds: number;
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
    /** Accounts evaluated in the deadline lane, and when this engine's last such batch committed. */
    deadlineEvaluated: number;
    deadlineMilliseconds: number;
  }
  | { kind: 'failed'; message: string };

const send = (message: SweepWorkerMessage): void => void process.send?.(message);

try {
  const input = JSON.parse(process.argv[2] ?? '{}') as SweepWorkerInput;
  // The embedded database belongs to the benchmark process; this one shares it through its socket.
  const store = await openStore(input.location, { migrate: false, shareRunning: true, poolSize: 4 });
  const clock = new ManualClock(new Date(input.at));
  const engine = new RelationshipEngine({
    database: store.database,
    clock,
    config: defaultTendConfig,
    partitions: new EventPartitions(store.database),
    batchSize: input.batchSize,
    // As `tend start` on the system clock: the check for unranked accounts runs at most every 5 s.
    rankingCooldownMilliseconds: 5000,
  });
  const rankBegan = performance.now();
  await engine.rankValue();
  send({ kind: 'ready', rankMilliseconds: performance.now() - rankBegan });
  await new Promise<void>((go) => process.once('message', () => go()));
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  // runUntilIdle's loop (one evaluateDueBatch after another), with a time limit.
  const outcome = { evaluated: 0, raised: 0, cleared: 0, deadlineEvaluated: 0, deadlineMilliseconds: 0 };
  let finished = false;
  while (performance.now() - began < input.limitSeconds * 1000) {
    const batch = await engine.evaluateDueBatch();
    if (batch.evaluated === 0) {
      finished = true;
      break;
    }
    outcome.evaluated += batch.evaluated;
    outcome.raised += batch.raised;
    outcome.cleared += batch.cleared;
    if (batch.lane === 'deadline') {
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
