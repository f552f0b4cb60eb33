// Token buckets: how much a caller (a source, an admin token, an address) may send, refilled at a steady
// rate up to a burst. Pure: every call is given the time, so tests move it and the API passes the
// process clock; the buckets live in memory, one set per Tend process.

/** A steady rate with a burst allowance: up to `burst` at once, refilled at `perSecond`. */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** The limits of `limits:` in tend.config.yaml. */
export interface RateLimits {
  /** Per source (write key), on the Tracking API. */
  readonly tracking: { readonly requests: RateLimit; readonly events: RateLimit };
  /** On the admin API: per admin token, per caller's address, and failed authentications per address. */
  readonly admin: {
    readonly perToken: RateLimit;
    readonly perAddress: RateLimit;
    readonly failedAuthentications: RateLimit;
  };
}

/**
 * Generous: a busy backend sending through the Segment SDKs stays well inside them (README, "Limits",
 * says why these figures); they stop a runaway loop or a flood, not a business's ordinary traffic.
 */
export const defaultRateLimits: RateLimits = {
  tracking: {
    requests: { perSecond: 200, burst: 1_000 },
    events: { perSecond: 5_000, burst: 50_000 },
  },
  admin: {
    perToken: { perSecond: 100, burst: 200 },
    perAddress: { perSecond: 200, burst: 400 },
    failedAuthentications: { perSecond: 0.5, burst: 20 },
  },
};

export type Admission =
  | { readonly kind: 'admitted' }
  /** Retry-After: whole seconds until the bucket holds a token again. */
  | { readonly kind: 'refused'; readonly retryAfterSeconds: number };

const admitted: Admission = { kind: 'admitted' };

interface Bucket {
  tokens: number;
  /** When `tokens` was last computed, in milliseconds. */
  at: number;
}

/**
 * One bucket per key, all under the same limit. A key never seen holds a full bucket; full buckets are
 * forgotten when the map grows past `maximumKeys`, so a flood of new keys cannot grow it without end.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly limit: RateLimit,
    private readonly maximumKeys = 10_000,
  ) {}

  /**
   * Admits while the key's bucket holds at least one token, then takes `cost` tokens. The bucket may
   * go below zero: a batch larger than what is left (or than the burst) is admitted once and repaid
   * before the next, rather than never. A cost of 0 only asks whether the next request would pass.
   */
  take(key: string, cost: number, nowMilliseconds: number): Admission {
    const tokens = this.tokensAt(key, nowMilliseconds);
    if (tokens < 1) return { kind: 'refused', retryAfterSeconds: this.secondsUntilOneToken(tokens) };
    if (cost > 0) this.keep(key, tokens - cost, nowMilliseconds);
    return admitted;
  }

  /** Takes `cost` tokens whatever the bucket holds: for what is known only afterwards (a failed sign-in). */
  charge(key: string, cost: number, nowMilliseconds: number): void {
    this.keep(key, this.tokensAt(key, nowMilliseconds) - cost, nowMilliseconds);
  }

  /** Keys with a bucket not yet full again (for tests and for sizing). */
  get size(): number {
    return this.buckets.size;
  }

  private tokensAt(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return this.limit.burst;
    // A clock that stepped back refills nothing rather than taking tokens away.
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    return Math.min(this.limit.burst, bucket.tokens + elapsedSeconds * this.limit.perSecond);
  }

  /** HTTP's Retry-After is in whole seconds, and the Segment SDKs wait at least one. */
  private secondsUntilOneToken(tokens: number): number {
    return Math.max(1, Math.ceil((1 - tokens) / this.limit.perSecond));
  }

  private keep(key: string, tokens: number, now: number): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      bucket.tokens = tokens;
      bucket.at = now;
      return;
    }
    if (this.buckets.size >= this.maximumKeys) this.forget(now);
    this.buckets.set(key, { tokens, at: now });
  }

  /**
   * Forgets the buckets that are full again (the same as no bucket); if that is not enough, those
   * known longest, which gives their keys a fresh burst: the price of a bounded map under a flood of keys.
   */
  private forget(now: number): void {
    for (const [key] of this.buckets) {
      if (this.tokensAt(key, now) >= this.limit.burst) this.buckets.delete(key);
    }
    const target = Math.floor(this.maximumKeys * 0.9);
    for (const [key] of this.buckets) {
      if (this.buckets.size <= target) break;
      this.buckets.delete(key);
    }
  }
}
