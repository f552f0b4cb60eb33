import { describe, expect, it } from 'vitest';
import { WorkLane } from './work-lane.js';

/** A promise and the function that settles it, for rounds that finish when the test says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lets queued rounds run (a stop would drop the ones not started). */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('WorkLane', () => {
  it('runs one round at a time and folds the wake-ups that arrive meanwhile into one more round', async () => {
    const first = gate();
    let rounds = 0;
    let running = 0;
    let most = 0;
    const lane = new WorkLane(
      async () => {
        rounds++;
        running++;
        most = Math.max(most, running);
        if (rounds === 1) await first.opened;
        running--;
      },
      () => {},
    );
    lane.wake();
    await new Promise((resolve) => setImmediate(resolve));
    for (let index = 0; index < 5; index++) lane.wake();
    first.open();
    // Wait long enough for any further rounds to start, had the wake-ups not been folded into one.
    await until(() => rounds > 2);
    await lane.stop();
    expect(rounds).toBe(2);
    expect(most).toBe(1);
  });

  it('keeps going after a failing round, even when the error handler itself throws', async () => {
    let rounds = 0;
    const seen: unknown[] = [];
    const lane = new WorkLane(
      async () => {
        rounds++;
        throw new Error(`round ${rounds} failed`);
      },
      (error) => {
        seen.push(error);
        throw new Error('the handler failed too');
      },
    );
    lane.wake();
    await new Promise((resolve) => setImmediate(resolve));
    lane.wake();
    await until(() => seen.length === 2);
    await expect(lane.stop()).resolves.toBeUndefined();
    expect(rounds).toBe(2);
    expect(seen.map((error) => (error as Error).message)).toEqual(['round 1 failed', 'round 2 failed']);
  });

  it('takes no round after stop, and stop waits for the round in progress', async () => {
    const held = gate();
    let finished = false;
    const lane = new WorkLane(
      async () => {
        await held.opened;
        finished = true;
      },
      () => {},
    );
    lane.wake();
    await new Promise((resolve) => setImmediate(resolve));
    const stopped = lane.stop();
    lane.wake();
    held.open();
    await stopped;
    expect(finished).toBe(true);
    expect(lane.stopping).toBe(true);
  });
});
