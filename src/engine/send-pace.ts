// Keeps a channel's sends at the provider's pace (TEND_SMTP_MAX_PER_SECOND, …) and honours a pause the
// provider asks for. Real time, not Tend's clock: a provider's limit is about its own seconds, whatever
// time the business clock says (the manual clock of a test or demo included).
import { freshPace, type PaceState, pauseSends, takeSendSlot } from '../domain/send-pace.js';

/** How the pace reads and waits out real time; tests hand in their own. */
export interface PaceTimer {
  now(): number;
  wait(milliseconds: number): Promise<void>;
}

const realTimer: PaceTimer = {
  now: () => performance.now(),
  wait: (milliseconds) => new Promise((resume) => setTimeout(resume, milliseconds)),
};

export class SendPace {
  private state: PaceState = freshPace;

  /** `perSecond`: the provider's limit; null for none (only pauses it asks for hold sends back). */
  constructor(
    readonly perSecond: number | null,
    private readonly timer: PaceTimer = realTimer,
  ) {}

  /** Resolves when the next send may start: at once, or at its slot. */
  async take(): Promise<void> {
    const now = this.timer.now();
    const slot = takeSendSlot(this.state, now, this.perSecond);
    this.state = slot.state;
    if (slot.startAt > now) await this.timer.wait(slot.startAt - now);
  }

  /** The provider asked to wait: no send of this channel starts for `milliseconds`. */
  pause(milliseconds: number): void {
    this.state = pauseSends(this.state, this.timer.now(), milliseconds);
  }
}
