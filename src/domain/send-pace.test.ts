// Checks the pace a provider allows: even spacing under a limit, a pause that holds every send, Retry-After.
import { describe, expect, it } from 'vitest';
import { freshPace, pauseSends, retryAfterMilliseconds, takeSendSlot } from './send-pace.js';

describe('send pace', () => {
  it('spaces sends evenly under a limit per second, and lets them all go at once without one', () => {
    let state = freshPace;
    const starts: number[] = [];
    for (let index = 0; index < 5; index++) {
      const slot = takeSendSlot(state, 1_000, 4);
      starts.push(slot.startAt);
      state = slot.state;
    }
    expect(starts).toEqual([1_000, 1_250, 1_500, 1_750, 2_000]);
    // A quiet while later the next send starts at once: no credit is saved up for a burst.
    expect(takeSendSlot(state, 10_000, 4).startAt).toBe(10_000);
    expect(takeSendSlot(freshPace, 5, null).startAt).toBe(5);
  });

  it('holds every send of the channel while the provider asked to wait', () => {
    const paused = pauseSends(freshPace, 1_000, 30_000);
    expect(takeSendSlot(paused, 2_000, null).startAt).toBe(31_000);
    expect(takeSendSlot(paused, 2_000, 10).state.nextFreeAt).toBe(31_100);
    // A shorter pause asked later does not shorten a longer one.
    expect(pauseSends(paused, 2_000, 1_000).nextFreeAt).toBe(31_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMilliseconds('30', 0)).toBe(30_000);
    expect(retryAfterMilliseconds('Wed, 21 Oct 2026 07:28:10 GMT', Date.parse('2026-10-21T07:28:00Z'))).toBe(10_000);
    expect(retryAfterMilliseconds(null, 0)).toBeNull();
    expect(retryAfterMilliseconds('soon', 0)).toBeNull();
  });
});
