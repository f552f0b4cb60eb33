// What the database said about a secret (a write key, an admin token), remembered briefly so that a
// request does not ask it every time, and short enough that a revocation made by another process (the
// `tend` command) takes effect promptly. Keyed by the secret's hash: the secret itself is never kept.

export interface VerdictLifetimes {
  /** How long a known secret is trusted; after that it is looked up again (see `verdict`). */
  readonly knownMilliseconds: number;
  /** How long an unknown (or revoked) secret is refused without asking the database. */
  readonly unknownMilliseconds: number;
  /** Secrets remembered of each kind, known and unknown apart: the oldest make room for new ones. */
  readonly entries: number;
}

interface Entry<T> {
  readonly value: T;
  readonly until: number;
}

export class VerdictCache<T> {
  private readonly known = new Map<string, Entry<T>>();
  private readonly unknown = new Map<string, number>();
  private readonly pending = new Map<string, Promise<T | null>>();

  constructor(
    private readonly lookUp: (secret: string) => Promise<T | null>,
    private readonly lifetimes: VerdictLifetimes,
  ) {}

  /**
   * The value for a secret, or null when it is unknown. A known secret past its lifetime is answered
   * from memory for one more lifetime while it is looked up in the background, so that a busy key never
   * waits on the database; past that, the caller waits. So a revocation takes effect within two
   * lifetimes at most. However many requests ask at once, a secret is looked up once at a time.
   */
  async verdict(secret: string, hash: string, now: number): Promise<T | null> {
    const known = this.known.get(hash);
    if (known !== undefined) {
      if (now < known.until) return known.value;
      if (now < known.until + this.lifetimes.knownMilliseconds) {
        // A failed look-up is left to the next caller past the grace, who waits for its own.
        if (!this.pending.has(hash)) this.refresh(secret, hash, now).catch(() => undefined);
        return known.value;
      }
    }
    const refusedUntil = this.unknown.get(hash);
    if (refusedUntil !== undefined && now < refusedUntil) return null;
    return this.pending.get(hash) ?? this.refresh(secret, hash, now);
  }

  private refresh(secret: string, hash: string, now: number): Promise<T | null> {
    const looking = this.lookUp(secret).then((value) => {
      if (value === null) {
        this.known.delete(hash);
        remember(this.unknown, hash, now + this.lifetimes.unknownMilliseconds, this.lifetimes.entries);
      } else {
        this.unknown.delete(hash);
        remember(this.known, hash, { value, until: now + this.lifetimes.knownMilliseconds }, this.lifetimes.entries);
      }
      return value;
    });
    this.pending.set(hash, looking);
    const done = (): void => void this.pending.delete(hash);
    looking.then(done, done);
    return looking;
  }
}

/** Sets an entry as the newest one, dropping the oldest when the map is full. */
function remember<V>(map: Map<string, V>, key: string, value: V, entries: number): void {
  map.delete(key);
  if (map.size >= entries) map.delete(map.keys().next().value!);
  map.set(key, value);
}
