// The clocks Tend can run on: the system's, or a manual one that stands still until moved (for demos,
// tests, and anyone checking Tend's behaviour over months in minutes).
import type { Clock } from '../domain/clock.js';

export const systemClock: Clock = { now: () => new Date() };

export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Moves to a later instant (never back: what happened stays in the past). */
  moveTo(at: Date): Date {
    if (at.getTime() > this.current) this.current = at.getTime();
    return this.now();
  }
  advanceBy(milliseconds: number): Date {
    if (!(milliseconds >= 0)) throw new RangeError('A manual clock only moves forward.');
    this.current += milliseconds;
    return this.now();
  }
}
