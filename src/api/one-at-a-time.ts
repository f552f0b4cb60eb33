// Runs the work for one key at a time, in order of arrival: sign-in attempts for one e-mail address (or
// from one network address) check the failure count, hash the password, and record a failure one after
// another, so that a burst of parallel guesses cannot all pass the check while the first is hashing.
export class OneAtATime {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier call holding any of `keys` has finished. */
  async run<T>(keys: readonly string[], work: () => Promise<T>): Promise<T> {
    const earlier = keys.map((key) => this.tails.get(key)).filter((tail) => tail !== undefined);
    const settled = Promise.allSettled(earlier);
    const mine = settled.then(work);
    const tail = mine.catch(() => undefined);
    for (const key of keys) this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      // The last in line clears the way, so the map holds only keys with work in hand.
      for (const key of keys) if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
