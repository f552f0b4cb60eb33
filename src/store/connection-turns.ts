// Who gets the database's next free connection: work somebody is waiting on (an API request, an
// ingest group) before background rounds (signal evaluation, playbook runs, sending), so that a round
// queued for the connection never adds its whole length to a request's wait. On the embedded
// database there is one connection, and under load the group committer keeps it busy most of the
// time (docs/benchmarks/2026-12-01-signals.md, "what else held PGlite's connection"); first
// come, first served, a request arriving during a group waited for that group and then for every
// lane's round that had queued before it. A round that has waited `backgroundPatience` goes first
// anyway, so a steady stream of requests delays background work but never starves it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

const backgroundWork = new AsyncLocalStorage<true>();

/** Runs `work`, and everything it awaits, as background work: its connections wait for requests'. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return backgroundWork.run(true, work);
}

/** What ConnectionTurns needs of a pool: pg.Pool, sized to the same number of connections. */
export interface ConnectionPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

interface Waiting {
  readonly since: number;
  readonly begin: () => void;
}

export class ConnectionTurns {
  private holders = 0;
  private readonly requests: Waiting[] = [];
  private readonly rounds: Waiting[] = [];

  /** `connections` must be the pool's own size, so that a turn given is a connection free. */
  constructor(
    private readonly pool: ConnectionPool,
    private readonly connections: number,
    private readonly backgroundPatienceMilliseconds = 250,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async connect(): Promise<pg.PoolClient> {
    await this.turn();
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      this.handOn();
      throw error;
    }
    // pg's pool gives each checkout its own release (it throws when called twice, so the turn is
    // handed on once).
    const release = client.release;
    client.release = (error?: Error | boolean) => {
      release.call(client, error);
      this.handOn();
    };
    return client;
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  /** How many wait for a connection, requests and background rounds (for tests and diagnostics). */
  get waiting(): { requests: number; rounds: number } {
    return { requests: this.requests.length, rounds: this.rounds.length };
  }

  private turn(): Promise<void> {
    if (this.holders < this.connections) {
      this.holders++;
      return Promise.resolve();
    }
    const queue = backgroundWork.getStore() ? this.rounds : this.requests;
    return new Promise((begin) => queue.push({ since: this.now(), begin }));
  }

  private handOn(): void {
    const next = this.next();
    if (next) next.begin();
    else this.holders--;
  }

  private next(): Waiting | undefined {
    const round = this.rounds[0];
    if (round && (this.requests.length === 0 || this.now() - round.since >= this.backgroundPatienceMilliseconds))
      return this.rounds.shift();
    return this.requests.shift();
  }
}
