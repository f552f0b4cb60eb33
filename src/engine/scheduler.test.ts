// The scheduler's order of work, with systems that only write down what they did and when (no database).
import { describe, expect, it } from 'vitest';
import type { SweepOutcome } from './due-evaluation.js';
import type { LaneWork } from './due-work.js';
import { ManualClock } from './clocks.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';
import type { LaneState } from './work-lane.js';

const start = new Date('2026-04-01T09:00:00Z');
const hours = (count: number) => new Date(start.getTime() + count * 3_600_000);

/** Lets queued rounds run. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Systems that write down what they did, at what time: each is due at the times in `due` (the manual
 * clock stops there) and does nothing else.
 */
function recordingSystems(clock: ManualClock, due: Partial<Record<'evaluate' | 'escalate' | 'runs' | 'send', Date[]>>) {
  const log: string[] = [];
  const asked: string[] = [];
  const system = (name: 'evaluate' | 'escalate' | 'runs' | 'send'): LaneWork<number> => ({
    runDue: async () => {
      log.push(`${name} at ${clock.now().toISOString().slice(11, 16)}`);
      return 0;
    },
    nextDue: async (now, until) => {
      asked.push(name);
      return due[name]?.find((at) => at > now && at <= until) ?? null;
    },
    roundFailed: () => {},
  });
  const sweep: SweepOutcome = { evaluated: 1, raised: 0, cleared: 0 };
  const evaluation = {
    ...system('evaluate'),
    runDue: async (lane: LaneState) => {
      await system('evaluate').runDue(lane);
      return sweep;
    },
    runQueued: async () => {
      log.push('queued');
    },
  };
  return {
    log,
    asked,
    options: {
      clock,
      evaluation,
      escalation: system('escalate'),
      journeys: system('runs'),
      outbox: system('send'),
    } satisfies SchedulerOptions,
  };
}

describe('Scheduler', () => {
  it('on a manual clock, runs each round whole: evaluation, escalation, the runs, the sends', async () => {
    const clock = new ManualClock(start);
    const { log, options } = recordingSystems(clock, {});
    const scheduler = new Scheduler({ ...options, runInline: true });
    expect(await scheduler.runUntilIdle()).toEqual({ evaluated: 1, raised: 0, cleared: 0 });
    expect(log).toEqual(['evaluate at 09:00', 'escalate at 09:00', 'runs at 09:00', 'send at 09:00']);
    await scheduler.stop();
  });

  it('otherwise has the runs and then the sends follow on their own lanes, without waiting for them', async () => {
    const clock = new ManualClock(start);
    const { log, options } = recordingSystems(clock, {});
    let finishRuns = () => {};
    const runsHeld = new Promise<void>((resolve) => (finishRuns = resolve));
    const scheduler = new Scheduler({
      ...options,
      journeys: {
        ...options.journeys,
        runDue: async () => {
          await runsHeld;
          log.push('runs ended');
          return 1;
        },
      },
    });
    await scheduler.runUntilIdle();
    expect(log).toEqual(['evaluate at 09:00', 'escalate at 09:00']);
    finishRuns();
    await until(() => log.length === 4);
    expect(log.slice(2)).toEqual(['runs ended', 'send at 09:00']);
    await scheduler.stop();
  });

  it('moves a manual clock through every due time on the way, earliest first, asking each system in turn', async () => {
    const clock = new ManualClock(start);
    const { log, asked, options } = recordingSystems(clock, {
      evaluate: [hours(5)],
      escalate: [hours(2)],
      runs: [hours(3)],
      send: [hours(1)],
    });
    const scheduler = new Scheduler({ ...options, runInline: true });
    const moves: string[] = [];
    await scheduler.advanceTo(hours(6), (at) => moves.push(clock.moveTo(at).toISOString().slice(11, 16)));
    expect(moves).toEqual(['10:00', '11:00', '12:00', '14:00', '15:00']);
    expect(log.filter((line) => line.startsWith('evaluate'))).toEqual([
      'evaluate at 09:00',
      'evaluate at 10:00',
      'evaluate at 11:00',
      'evaluate at 12:00',
      'evaluate at 14:00',
      'evaluate at 15:00',
    ]);
    expect(asked.slice(0, 4)).toEqual(['evaluate', 'escalate', 'runs', 'send']);
    await scheduler.stop();
  });

  it('takes wake-ups only between start and stop, and lends the evaluation an extra event lane', async () => {
    const clock = new ManualClock(start);
    const { log, options } = recordingSystems(clock, {});
    const scheduler = new Scheduler({ ...options, runInline: true, extraEventLanes: 1, pollMilliseconds: 60_000 });
    scheduler.wake();
    scheduler.wakeJourneys();
    await until(() => log.length > 0);
    expect(log).toEqual([]);
    scheduler.start();
    // The extra lane's round begins at once; the main round on the next turn of the event loop.
    expect(log).toEqual(['queued']);
    await until(() => log.length === 5);
    expect(log).toEqual(['queued', 'evaluate at 09:00', 'escalate at 09:00', 'runs at 09:00', 'send at 09:00']);
    await scheduler.stop();
    scheduler.wake();
    await until(() => log.length > 5);
    expect(log).toHaveLength(5);
  });

  it('stops the outbox last, so that what the last round of runs wrote still goes out', async () => {
    const clock = new ManualClock(start);
    const { log, options } = recordingSystems(clock, {});
    let finishRuns = () => {};
    const runsHeld = new Promise<void>((resolve) => (finishRuns = resolve));
    const scheduler = new Scheduler({
      ...options,
      journeys: {
        ...options.journeys,
        runDue: async (lane) => {
          await runsHeld;
          log.push(`runs ended, stopping: ${lane.stopping}`);
          return 1;
        },
      },
    });
    await scheduler.runUntilIdle();
    await until(() => false);
    const stopped = scheduler.stop();
    finishRuns();
    await stopped;
    expect(log).toEqual(['evaluate at 09:00', 'escalate at 09:00', 'runs ended, stopping: true', 'send at 09:00']);
  });
});
