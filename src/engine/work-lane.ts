// One lane of background work in this process (sending messages, moving playbook runs on): rounds
// run one at a time, wake-ups that arrive while a round is already queued fold into it, and a stop
// waits for the round in progress. Work on its own lane never holds up another lane's work, so a
// slow provider or a slow playbook step never delays the evaluation of signals. Rounds are
// background work: their statements wait for requests' (see ConnectionTurns).
import { inBackground } from '../store/connection-turns.js';

export class WorkLane {
  private chain: Promise<unknown> = Promise.resolve();
  private queued = false;
  private stopped = false;

  constructor(
    private readonly round: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {}

  get stopping(): boolean {
    return this.stopped;
  }

  /** Asks for a round soon; calls coalesce. */
  wake(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      if (this.stopped) return;
      await inBackground(this.round).catch((error: unknown) => {
        // A failing error handler must not break the lane (an unhandled rejection ends the process).
        try {
          this.onError(error);
        } catch {
          // Nothing more can be done with it here.
        }
      });
    });
  }

  /** Takes no more rounds and waits for the one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
  }
}
