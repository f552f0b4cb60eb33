// Checks that sends wait for their slot at the provider's pace, and that a pause holds every send back.
import { describe, expect, it } from 'vitest';
import { SendPace } from './send-pace.js';

/** A timer that only moves when a send waits: the waits are recorded instead of slept. */
function fakeTimer() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    timer: {
      now: () => now,
      wait: async (milliseconds: number) => {
        waits.push(milliseconds);
        now += milliseconds;
      },
    },
  };
}

describe('SendPace', () => {
  it('lets ten sends a second go one every 100 ms, and none wait without a limit', async () => {
    const paced = fakeTimer();
    const pace = new SendPace(10, paced.timer);
    for (let index = 0; index < 4; index++) await pace.take();
    expect(paced.waits).toEqual([100, 100, 100]);
    const free = fakeTimer();
    const unlimited = new SendPace(null, free.timer);
    for (let index = 0; index < 4; index++) await unlimited.take();
    expect(free.waits).toEqual([]);
  });

  it('holds the next send for as long as the provider asked', async () => {
    const paced = fakeTimer();
    const pace = new SendPace(null, paced.timer);
    pace.pause(30_000);
    await pace.take();
    expect(paced.waits).toEqual([30_000]);
  });
});
