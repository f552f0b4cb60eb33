// Concurrent writers on PostgreSQL: a deadlock with another transaction is Tend's to resolve (the
// transaction runs again), so the request that lost is answered 200 and stored once; a database that
// drops the connection is answered 503 with Retry-After, never 500. Through the Tracking API of a
// running Tend, with a second connection of the test's own playing the other writer.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTend, type TestTend, usingPostgres } from '../support/test-tend.js';

// The embedded database runs one transaction at a time: its writers cannot contend.
describe.skipIf(!usingPostgres())('writers contending on PostgreSQL', () => {
  let tend: TestTend;
  let other: pg.Client;
  beforeAll(async () => {
    tend = await startTestTend();
    if (tend.location.kind !== 'postgres') throw new Error('expected PostgreSQL');
    other = new pg.Client({ connectionString: tend.location.url });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await tend?.stop();
  });

  /** Waits until some connection of Tend's waits for a lock that the other connection holds; returns its pid. */
  async function tendWaitsForOther(): Promise<number> {
    const otherPid = (await other.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    for (let look = 0; look < 2000; look++) {
      const blocked = await other.query<{ pid: number }>(
        'select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))',
        [otherPid],
      );
      if (blocked.rows[0]) return blocked.rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error('Tend never waited for the other connection');
  }

  const storedTimes = async (messageIds: string[]): Promise<number> => {
    const query = 'select count(*)::int as count from events where message_id = any($1)';
    return (await other.query<{ count: number }>(query, [messageIds])).rows[0]!.count;
  };

  it('a deadlock with another writer is retried inside Tend: the request is answered 200 and stored once', async () => {
    const setup = [
      { type: 'identify', userId: 'dl-person', messageId: 'dl-setup-1', traits: { name: 'Dana Lock' } },
      { type: 'group', userId: 'dl-colleague', groupId: 'dl-account', messageId: 'dl-setup-2', traits: { name: 'L' } },
    ];
    expect((await tend.track('/v1/batch', { batch: setup })).status).toBe(200);

    // The other writer holds the account. Tend's transaction locks the person (identify), then waits
    // for the account (group); the other then wants the person: each waits for the other. The other
    // waits longer before looking for a deadlock, so PostgreSQL aborts Tend's transaction.
    await other.query('begin');
    await other.query("set local deadlock_timeout = '60s'");
    await other.query("update accounts set name = 'Held GmbH' where id = 'dl-account'");
    const batch = [
      { type: 'identify', userId: 'dl-person', messageId: 'dl-1', traits: { title: 'CFO' } },
      { type: 'group', userId: 'dl-person', groupId: 'dl-account', messageId: 'dl-2', traits: { plan: 'pro' } },
    ];
    const answer = tend.track('/v1/batch', { batch });
    await tendWaitsForOther();
    await other.query("update contacts set name = 'Dana Other' where id = 'dl-person'");
    await other.query('commit');

    const { status, body } = await answer;
    expect({ status, body }).toEqual({ status: 200, body: { success: true } });
    expect(await storedTimes(['dl-1', 'dl-2'])).toBe(2);
    const account = (await tend.admin('/api/v1/accounts/dl-account')).body;
    expect(account).toMatchObject({ name: 'Held GmbH', plan: 'pro' });
    const members = account.contacts.map((contact: { userId: string }) => contact.userId).sort();
    expect(members).toEqual(['dl-colleague', 'dl-person']);
  });

  it('a connection dropped mid-request is answered 503 with Retry-After, and the retry is stored once', async () => {
    const batch = [
      { type: 'identify', userId: 'cut-person', messageId: 'cut-1', traits: { name: 'Cut Off' } },
      { type: 'group', userId: 'cut-person', groupId: 'dl-account', messageId: 'cut-2', traits: { plan: 'team' } },
    ];
    await other.query('begin');
    await other.query("update accounts set name = 'Held again' where id = 'dl-account'");
    const basic = `Basic ${Buffer.from(`${tend.writeKey}:`).toString('base64')}`;
    const answer = fetch(`${tend.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic },
      body: JSON.stringify({ batch }),
    });
    const waiting = await tendWaitsForOther();
    // What a restart or a failover does to a connection in use.
    await other.query('select pg_terminate_backend($1)', [waiting]);
    await other.query('rollback');

    const response = await answer;
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.json()).toMatchObject({ success: false, error: 'unavailable' });
    expect(await storedTimes(['cut-1', 'cut-2'])).toBe(0);

    expect((await tend.track('/v1/batch', { batch })).status).toBe(200);
    expect(await storedTimes(['cut-1', 'cut-2'])).toBe(2);
  });
});
