import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type ConnectionPool, ConnectionTurns, inBackground } from './connection-turns.js';

/** A pool of `size` connections that hands out plain objects and counts what is checked out. */
function countingPool(size: number): ConnectionPool & { out: number } {
  const pool = {
    out: 0,
    async connect(): Promise<pg.PoolClient> {
      if (pool.out >= size) throw new Error('the pool was asked for more connections than it has');
      pool.out++;
      let released = false;
      return {
        release: () => {
          if (released) throw new Error('Release called on client which has already been released to the pool.');
          released = true;
          pool.out--;
        },
      } as unknown as pg.PoolClient;
    },
    end: async () => {},
  };
  return pool;
}

/** Lets every settled promise's callbacks run. */
const settle = () => new Promise((done) => setImmediate(done));

describe('ConnectionTurns', () => {
  it('gives a free connection at once, and never more than the pool has', async () => {
    const pool = countingPool(2);
    const turns = new ConnectionTurns(pool, 2);
    const first = await turns.connect();
    const second = await turns.connect();
    let third: pg.PoolClient | null = null;
    void turns.connect().then((client) => (third = client));
    await settle();
    expect(third).toBeNull();
    expect(turns.waiting).toEqual({ requests: 1, rounds: 0 });
    first.release();
    await settle();
    expect(third).not.toBeNull();
    expect(pool.out).toBe(2);
    second.release();
    third!.release();
    expect(pool.out).toBe(0);
  });

  it('serves requests before background rounds that queued earlier', async () => {
    const turns = new ConnectionTurns(countingPool(1), 1);
    const holder = await turns.connect();
    const order: string[] = [];
    const take = async (name: string) => {
      const client = await turns.connect();
      order.push(name);
      client.release();
    };
    const rounds = [inBackground(() => take('round 1')), inBackground(() => take('round 2'))];
    const requests = [take('request 1'), take('request 2')];
    expect(turns.waiting).toEqual({ requests: 2, rounds: 2 });
    holder.release();
    await Promise.all([...rounds, ...requests]);
    expect(order).toEqual(['request 1', 'request 2', 'round 1', 'round 2']);
  });

  it('lets a round that has waited its patience go before newer requests', async () => {
    let now = 0;
    const turns = new ConnectionTurns(countingPool(1), 1, 250, () => now);
    let holder = await turns.connect();
    const order: string[] = [];
    const round = inBackground(async () => {
      const client = await turns.connect();
      order.push('round');
      client.release();
    });
    // Requests keep coming, each holding the connection 100 ms: the round goes once it has waited 250.
    for (let request = 1; request <= 4; request++) {
      const next = turns.connect();
      now += 100;
      holder.release();
      holder = await next;
      order.push(`request ${request}`);
    }
    holder.release();
    await round;
    expect(order).toEqual(['request 1', 'request 2', 'round', 'request 3', 'request 4']);
  });

  it('hands the turn on when the pool cannot connect', async () => {
    let fail = true;
    const pool = countingPool(1);
    const failing: ConnectionPool = {
      connect: () => (fail ? Promise.reject(new Error('connection refused')) : pool.connect()),
      end: pool.end,
    };
    const turns = new ConnectionTurns(failing, 1);
    await expect(turns.connect()).rejects.toThrow('connection refused');
    fail = false;
    const client = await turns.connect();
    client.release();
    expect(() => client.release()).toThrow('already been released');
    // The second release threw before handing on a turn: one connection, one turn.
    const again = await turns.connect();
    expect(turns.waiting).toEqual({ requests: 0, rounds: 0 });
    again.release();
  });
});
