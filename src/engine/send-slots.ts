// At most so many sends in a provider's hands at once: a message is marked handed over only when a
// connection is free to take it, so that one a crash leaves unconfirmed was really on its way, not
// waiting in the mailer's queue (where it is certainly unsent, yet could no longer be sent again).

export class SendSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  /** `size`: how many sends at once; null for no limit. */
  constructor(size: number | null) {
    this.free = size ?? Number.POSITIVE_INFINITY;
  }

  /** Runs `work` once a slot is free, and frees it when `work` has settled. */
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resume) => this.waiting.push(resume));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
