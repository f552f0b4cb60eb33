// Where a sweep's time goes: the engine's batch (DueEvaluation.evaluateDueBatch, without the
// daily ranking) done step by step with a timer around each step, over a sample of accounts, while
// the V8 profiler samples this process. Keep the steps in step with src/engine/due-evaluation.ts.
import { Session } from 'node:inspector/promises';
import { type Kysely, sql } from 'kysely';
import { evaluateAccount } from '../../src/domain/relationship/account-signals.js';
import { cadenceStatus } from '../../src/domain/relationship/cadence-policy.js';
import { healthScore } from '../../src/domain/relationship/health-score.js';
import { accountOversight } from '../../src/domain/relationship/oversight.js';
import { contributionOf } from '../../src/domain/relationship/value-tiers.js';
import { defaultTendConfig } from '../../src/domain/relationship/tend-config.js';
import type { AccountSnapshot } from '../../src/domain/relationship/account-snapshot.js';
import { startOfNextUtcDay } from '../../src/domain/relationship/time-spans.js';
import { loadEvaluationInputs } from '../../src/store/account-snapshots.js';
import { claimDueAccounts, nextCheckWrites, type PlannedCheck } from '../../src/store/account-due-times.js';
import type { Database } from '../../src/store/schema.js';
import { type AccountSignals, signalWrites } from '../../src/store/signal-store.js';
import { type HealthRow, healthRowOf, healthWrites } from '../../src/store/health-queries.js';
import { writeTogether } from '../../src/store/write-together.js';

const config = defaultTendConfig;

export interface Breakdown {
  readonly accounts: number;
  readonly milliseconds: number;
  /** Wall milliseconds per step, summed over batches. */
  readonly steps: Record<string, number>;
  /** The profiled functions with the most self time: name, place, milliseconds. */
  readonly hotFunctions: { name: string; place: string; milliseconds: number }[];
  /** Self time by where the code lives (Tend's domain, store, pg driver, Kysely, GC, idle …). */
  readonly byPlace: Record<string, number>;
  /** evaluateAccount + healthScore alone, on snapshots already in memory, JIT warm: µs per account. */
  readonly domainMicroseconds: number;
}

/** The floor the domain code sets: evaluation and health score of loaded snapshots, third pass timed. */
function domainFloor(snapshots: readonly AccountSnapshot[], now: Date): number {
  let microseconds = 0;
  for (let pass = 0; pass < 3; pass++) {
    const began = performance.now();
    for (const snapshot of snapshots) healthScore(snapshot, evaluateAccount(snapshot, config, now), config, now);
    microseconds = ((performance.now() - began) * 1000) / Math.max(1, snapshots.length);
  }
  return microseconds;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

function placeOf(url: string): string {
  if (url === '') return '(native / runtime)';
  const path = url.replace(/^file:\/\//, '');
  const repository = path.indexOf('/src/');
  if (repository !== -1 && !path.includes('node_modules')) return path.slice(repository + 1);
  const module = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(path);
  if (module?.[1]) return module[1];
  if (path.startsWith('node:')) return 'node core';
  return path.split('/').slice(-2).join('/');
}

function summarise(nodes: ProfileNode[], totalMilliseconds: number): Pick<Breakdown, 'hotFunctions' | 'byPlace'> {
  const hits = nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const perHit = hits === 0 ? 0 : totalMilliseconds / hits;
  const byFunction = new Map<string, { name: string; place: string; milliseconds: number }>();
  const byPlace: Record<string, number> = {};
  for (const node of nodes) {
    const milliseconds = (node.hitCount ?? 0) * perHit;
    if (milliseconds === 0) continue;
    const { functionName, url } = node.callFrame;
    const name = functionName || '(anonymous)';
    const special = /^\((idle|garbage collector|program)\)$/.test(name);
    const place = special ? name : placeOf(url);
    byPlace[place] = (byPlace[place] ?? 0) + milliseconds;
    const key = `${name}@${url}:${node.callFrame.lineNumber}`;
    // tsx's transpiled code keeps no line numbers worth showing; the file says enough.
    const entry = byFunction.get(key) ?? { name, place: special ? '' : place, milliseconds: 0 };
    entry.milliseconds += milliseconds;
    byFunction.set(key, entry);
  }
  const hotFunctions = [...byFunction.values()].sort((a, b) => b.milliseconds - a.milliseconds).slice(0, 15);
  return { hotFunctions, byPlace };
}

/**
 * Makes every `every`-th account due at `now` and evaluates them in batches exactly as the engine
 * does, timing each step; returns the totals and the CPU profile's summary.
 */
export async function breakdownSweep(
  database: Kysely<Database>,
  now: Date,
  accounts: number,
  every: number,
  batchSize: number,
): Promise<Breakdown> {
  await sql`update accounts set next_check_at = ${now} where id in (select 'acct_' || n from generate_series(0, ${accounts - 1}::int8, ${every}::int8) n)`.execute(
    database,
  );
  const steps: Record<string, number> = {
    claim: 0,
    'load snapshots': 0,
    'evaluate signals': 0,
    'health score': 0,
    'apply signals': 0,
    'write health': 0,
    'plan next check': 0,
    'begin + commit': 0,
  };
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await work();
    } finally {
      steps[step] = (steps[step] ?? 0) + performance.now() - began;
    }
  };
  const timedNow = <T>(step: string, work: () => T): T => {
    const began = performance.now();
    const result = work();
    steps[step] = (steps[step] ?? 0) + performance.now() - began;
    return result;
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 1000 });
  await session.post('Profiler.start');
  const began = performance.now();
  let evaluated = 0;
  const kept: AccountSnapshot[] = [];
  for (;;) {
    const batchBegan = performance.now();
    let inside = 0;
    const count = await database.transaction().execute(async (trx) => {
      const insideBegan = performance.now();
      const due = await timed('claim', () => claimDueAccounts(trx, 'deadline', now, batchSize));
      if (due.length === 0) return 0;
      const { snapshots, openSignals } = await timed('load snapshots', () =>
        loadEvaluationInputs(
          trx,
          due.map((row) => row.id),
          now,
          config,
          { withPeople: true },
        ),
      );
      if (kept.length < 5000) kept.push(...snapshots);
      const batch: AccountSignals[] = [];
      const healthRows: HealthRow[] = [];
      const nextChecks: PlannedCheck[] = [];
      for (const snapshot of snapshots) {
        const evaluation = timedNow('evaluate signals', () => evaluateAccount(snapshot, config, now));
        batch.push({ accountId: snapshot.accountId, owner: snapshot.ownerEmail, active: evaluation.signals });
        const health = timedNow('health score', () => healthScore(snapshot, evaluation, config, now));
        healthRows.push(healthRowOf(snapshot.accountId, health, now));
        const standing = {
          ...accountOversight(evaluation.signals),
          healthScore: Math.round(health.score),
          lastContactAt: cadenceStatus(snapshot, config, now).lastContactAt,
          valueMinor: Math.round(contributionOf(snapshot, config.value.basis)),
        };
        nextChecks.push({ accountId: snapshot.accountId, at: evaluation.nextCheckAt, standing });
      }
      // The engine writes these three in one statement; apart here, to time each.
      await timed('apply signals', () => writeTogether(trx, signalWrites(batch, now, openSignals).parts));
      await timed('write health', () => writeTogether(trx, healthWrites(healthRows)));
      await timed('plan next check', () => writeTogether(trx, nextCheckWrites(nextChecks, startOfNextUtcDay(now))));
      inside = performance.now() - insideBegan;
      return snapshots.length;
    });
    steps['begin + commit'] = (steps['begin + commit'] ?? 0) + performance.now() - batchBegan - inside;
    if (count === 0) break;
    evaluated += count;
  }
  const milliseconds = performance.now() - began;
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return {
    accounts: evaluated,
    milliseconds,
    steps,
    ...summarise(profile.nodes as ProfileNode[], milliseconds),
    domainMicroseconds: domainFloor(kept, now),
  };
}
