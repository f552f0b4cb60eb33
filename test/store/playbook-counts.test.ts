// A playbook's results count each run once per measure: sent when one of its messages went out, responded
// when its account replied or clicked after the run entered (not before), retained unless the account
// cancelled after it entered; per playbook and group, for one playbook or all. On the real databases.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import { insertEventRows } from '../../src/store/event-rows.js';
import { ownEvent } from '../../src/store/own-events.js';
import { playbookCounts } from '../../src/store/playbook-results.js';
import { freshLocation } from '../support/test-tend.js';

const day = (n: number) => new Date(Date.UTC(2026, 2, n, 9));

let store: Store;
let cleanup: () => Promise<void>;

/** A run of `playbook` for `account`, entered on day `entered` of March. */
async function run(id: string, playbook: string, account: string | null, entered: number, group = 'treated') {
  const reachedGoal = id.endsWith('9');
  await sql`
    insert into journey_runs (id, playbook_id, playbook_version, subject_key, account_id, run_group, status, state,
                              version, entered_at, goal_reached)
    values (${id}::uuid, ${playbook}, 1, ${account ?? `contact:${id}`}, ${account}, ${group}, 'completed', '{}', 1,
            ${day(entered)}, ${reachedGoal})`.execute(store.database);
}

async function message(runId: string, status: string) {
  await sql`insert into outbox (id, idempotency_key, run_id, channel, payload, status, created_at)
    values (gen_random_uuid(), ${`test:${runId}:${status}`}, ${runId}::uuid, 'email', '{}', ${status}, ${day(20)})`.execute(
    store.database,
  );
}

async function event(name: string, account: string, on: number) {
  const row = ownEvent(name, `${name}:${account}:${on}`, account, null, {}, day(on));
  await sql`${insertEventRows([row])}`.execute(store.database);
}

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

beforeAll(async () => {
  const fresh = await freshLocation();
  cleanup = fresh.cleanup;
  store = await openStore(fresh.location, { poolSize: 2 });
  await new EventPartitions(store.database).ensure([day(1), day(31)]);
  await run(id(1), 'win-back', 'replied-after', 10);
  await event('Message Replied', 'replied-after', 12);
  await run(id(2), 'win-back', 'replied-before', 10);
  await event('Message Clicked', 'replied-before', 8);
  await run(id(3), 'win-back', 'cancelled-after', 10);
  await event('Subscription Cancelled', 'cancelled-after', 15);
  await run(id(4), 'win-back', 'cancelled-before', 10);
  await event('Subscription Cancelled', 'cancelled-before', 5);
  await run(id(5), 'win-back', 'sent', 10);
  await message(id(5), 'sent');
  await message(id(5), 'delivered-locally');
  await run(id(6), 'win-back', 'failed', 10);
  await message(id(6), 'failed');
  await run(id(7), 'win-back', null, 10, 'holdout');
  await run(id(9), 'win-back', 'clicked-later', 10, 'holdout');
  await event('Message Clicked', 'clicked-later', 25);
  await run(id(8), 'renewal', 'replied-after', 1);
});
afterAll(async () => {
  await store?.close();
  await cleanup?.();
});

describe('playbook results', () => {
  it('count each measure per run, against when the run entered', async () => {
    const counts = (await playbookCounts(store.database, ['win-back'])).get('win-back');
    expect(counts?.treated).toEqual({ entered: 6, active: 0, sent: 1, responded: 1, goalReached: 0, retained: 5 });
    expect(counts?.holdout).toEqual({ entered: 2, active: 0, sent: 0, responded: 1, goalReached: 1, retained: 2 });
  });

  it('count every playbook when none is named, each apart', async () => {
    const all = await playbookCounts(store.database, null);
    expect([...all.keys()].sort()).toEqual(['renewal', 'win-back']);
    expect(all.get('win-back')).toEqual((await playbookCounts(store.database, ['win-back'])).get('win-back'));
    const renewal = { entered: 1, active: 0, sent: 0, responded: 1, goalReached: 0, retained: 1 };
    expect(all.get('renewal')?.treated).toEqual(renewal);
  });
});
