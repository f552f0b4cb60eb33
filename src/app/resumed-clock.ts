// A manual clock (TEND_CLOCK=manual) resumed at start where it last stood on this store.
import { ManualClock } from '../engine/clocks.js';
import type { Store } from '../store/database.js';
import { storeClockInstant, storedClockInstant } from '../store/manual-clock-store.js';

/**
 * A manual clock goes on from where it last stood on this store (a restart must not send it back to
 * TEND_CLOCK_START, behind the events and runs it already saw), or from a later TEND_CLOCK_START.
 */
export async function resumedManualClock(store: Store, start: Date): Promise<ManualClock> {
  const stood = await storedClockInstant(store.database);
  const clock = new ManualClock(stood !== null && stood > start ? stood : start);
  await storeClockInstant(store.database, clock.now());
  return clock;
}
