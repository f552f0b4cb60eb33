// One lane of background work in this process (evaluating signals, moving playbook runs on, sending
// messages): rounds run one at a time, wake-ups that arrive while a round is already queued fold into
// it, and a stop waits for the round in progress. Work on its own lane never holds up another lane's
// work, so a slow provider or a slow playbook step never delays the evaluation of signals. Rounds
// woken here are background work: their statements wait for requests' (see ConnectionTurns).
import { inBackground } from '../store/connection-turns.js';

/** What a round may ask of the lane it runs for: whether to end after the batch in progress. */
export interface LaneState {
  readonly stopping: boolean;
}

export interface WorkLaneOptions {
  /**
   * A wake-up starts its round on the next turn of the event loop, not as soon as the caller awaits:
   * the request that woke the lane goes on to its own statements first.
   */
  readonly wakeOnNextTurn?: boolean;
}

export class WorkLane<Outcome = unknown> implements LaneState {
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private stopped = false;
  /** Rounds queued or under way. */
  private pending = 0;

  constructor(
    private readonly round: (lane: LaneState) => Promise<Outcome>,
    private readonly onError: (error: unknown) => void,
    private readonly options: WorkLaneOptions = {},
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  /** Asks for a round soon; calls coalesce. */
  wake(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.pending++;
    if (this.options.wakeOnNextTurn) setImmediate(() => this.queueWokenRound());
    else this.queueWokenRound();
  }

  private queueWokenRound(): void {
    this.chain = this.chain.then(async () => {
      this.queued = false;
      try {
        if (this.stopped) return;
        await inBackground(() => this.round(this)).catch((error: unknown) => this.report(error));
      } finally {
        this.pending--;
      }
    });
  }

  /**
   * Begins a round at once, when none is queued or under way; otherwise leaves the work to that one.
   * For a lane that lends a hand beside another (rounds that claim with SKIP LOCKED share the work).
   */
  startIfIdle(): boolean {
    if (this.stopped || this.pending > 0) return false;
    this.pending++;
    this.chain = inBackground(() => this.round(this))
      .catch((error: unknown) => this.report(error))
      .finally(() => this.pending--);
    return true;
  }

  /**
   * A round for a caller that waits for its outcome (the manual clock, a poll, a test): after every
   * round queued before it, as the caller's own work (background only if the caller is), its failure
   * the caller's. It runs even after a stop: the round itself ends at once when the lane is stopping.
   */
  run(): Promise<Outcome> {
    this.pending++;
    const next = this.chain.then(() => this.round(this)).finally(() => this.pending--);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Takes no more rounds and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
  }

  /** A failing error handler must not break the lane (an unhandled rejection ends the process). */
  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // Nothing more can be done with it here.
    }
  }
}
