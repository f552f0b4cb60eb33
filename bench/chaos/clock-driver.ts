// Moves Tend's manual clock forward through POST /api/v1/clock/advance as the run progresses, so that
// invoices fall due, waits end and playbooks send within minutes; remembers the latest instant Tend
// confirmed and the furthest one it was asked for (a kill can land in the middle of an advance).
import { callUntilAnswered, type Tally } from './http.js';

export class ClockDriver {
  private confirmed: Date;
  private furthest: Date;
  /** Advances Tend answered, and the real milliseconds they took. */
  readonly advances: number[] = [];

  constructor(
    private readonly url: () => string,
    private readonly adminToken: string,
    start: Date,
    private readonly tally: Tally,
  ) {
    this.confirmed = start;
    this.furthest = start;
  }

  /** Tend's time as last confirmed: what the traffic stamps its events with. */
  now(): Date {
    return this.confirmed;
  }

  /**
   * Where a restarted Tend's clock should stand so that time never runs backwards: the furthest
   * instant an advance was asked for (it may have got part of the way before the kill).
   */
  resumeAt(): Date {
    return this.furthest;
  }

  /** Moves the clock to `target` (no-op if already there); retries through kills. */
  async advanceTo(target: Date): Promise<void> {
    if (target.getTime() <= this.confirmed.getTime()) return;
    if (target.getTime() > this.furthest.getTime()) this.furthest = target;
    const began = performance.now();
    const call = {
      method: 'POST' as const,
      headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: target.toISOString() }),
      timeoutMilliseconds: 600_000,
    };
    const label = 'POST /api/v1/clock/advance';
    const answer = await callUntilAnswered(`${this.url()}/api/v1/clock/advance`, call, this.tally, label);
    if (answer.status !== 200) {
      // A restarted Tend may already stand at the target (it resumed there): read where it is.
      await this.read();
      if (this.confirmed.getTime() < target.getTime()) {
        const answered = `HTTP ${answer.status} ${answer.text.slice(0, 300)}`;
        throw new Error(`The clock did not move to ${target.toISOString()}: ${answered}`);
      }
      return;
    }
    const took = performance.now() - began;
    this.advances.push(took);
    if (process.env.CHAOS_VERBOSE) console.error(`clock: to ${target.toISOString()} in ${took.toFixed(0)} ms`);
    this.confirmed = new Date((JSON.parse(answer.text) as { now: string }).now);
  }

  /** Reads Tend's clock; returns it. */
  async read(): Promise<Date> {
    const headers = { authorization: `Bearer ${this.adminToken}` };
    const answer = await callUntilAnswered(`${this.url()}/api/v1/clock`, { headers }, this.tally, 'GET /api/v1/clock');
    const now = new Date((JSON.parse(answer.text) as { now: string }).now);
    if (now.getTime() > this.confirmed.getTime()) this.confirmed = now;
    return now;
  }
}
