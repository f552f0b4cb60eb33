// Contention between concurrent writers (a deadlock, a serialization failure, two first inserts of the
// same row, a lock not available) is the store's to resolve, not the caller's: the transaction is run
// again after a short jittered pause, a bounded number of times. What is not contention goes up as it
// came; a database that is really unavailable is told apart, so that the API can answer 503.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Why two transactions collided; each is resolved by running the losing one again. */
export type Contention = 'deadlock' | 'serialization-failure' | 'unique-race' | 'lock-not-available';

/** A database error that is no fault of the request: retried inside, or answered 503 with Retry-After. */
export type TransientDatabaseError =
  | { readonly kind: 'contention'; readonly contention: Contention; readonly sqlState: string }
  | { readonly kind: 'unavailable'; readonly code: string };

const contentionBySqlState: Readonly<Record<string, Contention>> = {
  '40P01': 'deadlock',
  '40001': 'serialization-failure',
  '23505': 'unique-race',
  '55P03': 'lock-not-available',
};

/** Network failures on the way to the database (the server is down, restarting or unreachable). */
const networkCodes: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** What pg says, without a code, when a connection is lost or cannot be had. */
const lostConnection = new RegExp(
  '^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|' +
    'Cannot use a pool after calling end)',
);

function codeOf(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : null;
}

/** Whether the database, not the request, is at fault: the server cannot be reached or refuses work. */
function unavailableCode(error: unknown): string | null {
  const code = codeOf(error);
  if (code !== null) {
    // 08: connection exceptions; 57P01–57P03: shut down by an administrator, crashed, or starting up;
    // 53: insufficient resources (disk full, out of memory, too many connections).
    if (/^(08|53)[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03') return code;
    // A missing socket file: the embedded database's server is gone.
    const syscall = (error as { syscall?: unknown }).syscall;
    if (networkCodes.has(code) || (code === 'ENOENT' && syscall === 'connect')) return code;
  }
  if (error instanceof Error && lostConnection.test(error.message)) return 'connection-lost';
  return null;
}

/**
 * Classifies an error, looking through its causes (an evaluation at ingest wraps the database's
 * error): contention, the database unavailable, or null for anything else (a bug or a bad request).
 * Pure: reads only the error.
 */
export function transientDatabaseError(error: unknown): TransientDatabaseError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const code = codeOf(current);
    const contention = code === null ? undefined : contentionBySqlState[code];
    if (contention !== undefined && code !== null) return { kind: 'contention', contention, sqlState: code };
    const unavailable = unavailableCode(current);
    if (unavailable !== null) return { kind: 'unavailable', code: unavailable };
    current = current instanceof Error ? current.cause : undefined;
  }
  return null;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** The pause before the first retry; each next one doubles, jittered by ±50 %, up to `longestPause`. */
  readonly firstPauseMilliseconds: number;
  readonly longestPauseMilliseconds: number;
  /** No retry starts once this much time has passed since the first attempt began. */
  readonly totalMilliseconds: number;
}

/**
 * A few attempts within about two seconds: a deadlock costs the victim the deadlock timeout (1 s by
 * default) already, and a client waiting longer than that should rather be told to come back.
 */
const contentionRetryPolicy: RetryPolicy = {
  attempts: 5,
  firstPauseMilliseconds: 10,
  longestPauseMilliseconds: 250,
  totalMilliseconds: 2_000,
};

/**
 * Times a contention is retried at most: a unique race once (the other insert has committed, the next
 * attempt sees its row; a second violation is a real duplicate).
 */
const retriesOf = (contention: Contention, policy: RetryPolicy): number =>
  contention === 'unique-race' ? 1 : policy.attempts - 1;

/** One retry, as reported: never the error's message, which may quote the rows' data. */
export interface ContentionRetry {
  readonly contention: Contention;
  readonly sqlState: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly pauseMilliseconds: number;
}

export interface RetryOptions {
  readonly policy?: RetryPolicy;
  readonly onRetry?: (retry: ContentionRetry) => void;
  /** For tests: the pause and the jitter's random draw in [0, 1). */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  readonly random?: () => number;
  readonly now?: () => number;
}

const pause = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

/**
 * Runs `work` (a whole transaction, which must have no effect outside the database before it commits)
 * and runs it again when it lost to a concurrent writer, within the policy's bounds; then, or on any
 * other error, throws the last error as it came.
 */
export async function retryOnContention<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? contentionRetryPolicy;
  const now = options.now ?? (() => performance.now());
  const random = options.random ?? Math.random;
  const began = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const transient = transientDatabaseError(error);
      if (transient?.kind !== 'contention' || attempt > retriesOf(transient.contention, policy)) throw error;
      const doubled = policy.firstPauseMilliseconds * 2 ** (attempt - 1);
      const pauseMilliseconds = Math.round(Math.min(policy.longestPauseMilliseconds, doubled) * (0.5 + random()));
      if (now() - began + pauseMilliseconds > policy.totalMilliseconds) throw error;
      options.onRetry?.({ contention: transient.contention, sqlState: transient.sqlState, attempt, pauseMilliseconds });
      await (options.sleep ?? pause)(pauseMilliseconds);
    }
  }
}

/**
 * Where each database reports its retries: set once by the process that opened it (to its log, at
 * debug), so that every transaction boundary of the store retries alike without taking a logger.
 */
const observers = new WeakMap<Kysely<Database>, (retry: ContentionRetry) => void>();

/** Reports the retries of transactions on `database` to `observer` (the entry point's log). */
export function reportContention(database: Kysely<Database>, observer: (retry: ContentionRetry) => void): void {
  observers.set(database, observer);
}

/** Retries `work` on contention, reporting to the observer set for `database` (see reportContention). */
export function retryingOn<T>(database: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  const observer = observers.get(database);
  return retryOnContention(work, observer ? { onRetry: observer } : {});
}

/** A transaction on `database`, run again when it loses to a concurrent writer. */
export function retriedTransaction<T>(
  database: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return retryingOn(database, () => database.transaction().execute(work));
}
