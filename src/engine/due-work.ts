// What the scheduler asks of each system it runs (evaluation, escalation, journeys, outbox): a round
// that does everything due at the clock's time, and, for the manual clock, when more falls due.
import type { LaneState } from './work-lane.js';

export interface DueWork<Outcome> {
  /** Does what is due now, batch by batch; ends after the batch in progress once `lane` is stopping. */
  runDue(lane: LaneState): Promise<Outcome>;
  /** The first time after `now`, up to `until`, at which more of this work falls due; null: none. */
  nextDue(now: Date, until: Date): Promise<Date | null>;
}

/** Due work with a lane of its own: a round that failed there is its to report (the next wake retries). */
export interface LaneWork<Outcome> extends DueWork<Outcome> {
  roundFailed(error: unknown): void;
}
