// Sizes the engine's evaluation batches, and the journeys' rounds of playbook runs, to a time budget.
// On the embedded database one connection serves ingest and the engine alike, and a batch holds it
// for its whole transaction: a daily refresh in batches of 500 held it for many times the budget, and
// every ingest and API read behind it waited as long (docs/benchmarks/2026-12-01-signals.md, "Short
// engine batches on the embedded database"). Batches sized to a budget keep each wait short; the
// refresh takes a little longer in all. Counted in accounts or in runs: whatever one batch takes.
const firstBatch = 10;
/** Weight of the latest batch in the running estimate (the rest is the estimate so far). */
const latestWeight = 0.3;

export class BatchSizer {
  private millisecondsPerAccount: number | null = null;

  /** `budgetMilliseconds` null: every batch takes as many accounts as it may. */
  constructor(private readonly budgetMilliseconds: number | null) {}

  /** How many accounts (or runs) the next batch should take, at most `most`. */
  next(most: number): number {
    if (this.budgetMilliseconds === null) return most;
    if (this.millisecondsPerAccount === null) return Math.min(most, firstBatch);
    // The per-account estimate carries the batch's fixed costs too, so this settles on the size whose
    // whole transaction fits the budget.
    return Math.max(1, Math.min(most, Math.floor(this.budgetMilliseconds / this.millisecondsPerAccount)));
  }

  /** Records that a batch of `accounts` took `milliseconds`, claim to commit. */
  record(accounts: number, milliseconds: number): void {
    if (accounts === 0 || this.budgetMilliseconds === null) return;
    const sample = milliseconds / accounts;
    this.millisecondsPerAccount =
      this.millisecondsPerAccount === null
        ? sample
        : (1 - latestWeight) * this.millisecondsPerAccount + latestWeight * sample;
  }
}
