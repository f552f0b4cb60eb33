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

  it('runs a round a caller waits for after the one in progress, with its outcome or its failure', async () => {
    const held = gate();
    const order: string[] = [];
    const errors: unknown[] = [];
    let rounds = 0;
    const lane = new WorkLane(
      async () => {
        rounds++;
        const round = rounds;
        order.push(`begin ${round}`);
        if (round === 1) await held.opened;
        if (round === 3) throw new Error('round 3 failed');
        order.push(`end ${round}`);
        return round;
      },
      (error) => errors.push(error),
    );
    lane.wake();
    await new Promise((resolve) => setImmediate(resolve));
    const second = lane.run();
    const third = lane.run();
    held.open();
    expect(await second).toBe(2);
    await expect(third).rejects.toThrow('round 3 failed');
    expect(order).toEqual(['begin 1', 'end 1', 'begin 2', 'end 2', 'begin 3']);
    // The caller's failure is the caller's to handle.
    expect(errors).toEqual([]);
    await lane.stop();
  });

  it('still runs a round a caller asks for after stop, which sees the lane stopping', async () => {
    const seen: boolean[] = [];
    const lane = new WorkLane(
      async (state) => {
        seen.push(state.stopping);
        return seen.length;
      },
      () => {},
    );
    expect(await lane.run()).toBe(1);
    await lane.stop();
    expect(await lane.run()).toBe(2);
    expect(seen).toEqual([false, true]);
  });

  it('starts a helping round at once when idle, and none while another is queued or under way', async () => {
    const held = gate();
    let rounds = 0;
    const lane = new WorkLane(
      async () => {
        rounds++;
        await held.opened;
      },
      () => {},
    );
    expect(lane.startIfIdle()).toBe(true);
    // Begun before the caller went on: a stop right after it waits for it.
    expect(rounds).toBe(1);
    expect(lane.startIfIdle()).toBe(false);
    held.open();
    await until(() => lane.startIfIdle());
    expect(rounds).toBe(2);
    await lane.stop();
    expect(lane.startIfIdle()).toBe(false);
    expect(rounds).toBe(2);
  });

  it('starts a woken round on the next turn of the event loop when asked, folding the wake-ups before it', async () => {
    let rounds = 0;
    const lane = new WorkLane(
      async () => {
        rounds++;
      },
      () => {},
      { wakeOnNextTurn: true },
    );
    lane.wake();
    lane.wake();
    // Promise callbacks run before the next turn of the event loop: the round has not begun.
    for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    expect(rounds).toBe(0);
    await until(() => rounds > 0);
    await until(() => rounds > 1);
    expect(rounds).toBe(1);
    // A stop before the next turn: the round woken just before it is not taken.
    lane.wake();
    await lane.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(rounds).toBe(1);
  });
});
