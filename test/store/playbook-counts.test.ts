// A playbook's results count each run once per measure: sent when one of its messages went out, responded
// when its account replied or clicked after the run entered (not before), retained unless the account
// cancelled after it entered; per playbook and group, for one playbook or all, and per health score at
// entry (the risk bands), which older runs get from the health history when migrated. On the real databases.
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import { insertEventRows } from '../../src/store/event-rows.js';
import { ownEvent } from '../../src/store/own-events.js';
import * as runEntryHealth from '../../src/store/migrations/0028-run-entry-health.js';
import { playbookCounts, playbookCountsByEntryScore } from '../../src/store/playbook-results.js';
import { freshLocation } from '../support/test-tend.js';

const day = (n: number) => new Date(Date.UTC(2026, 2, n, 9));

let store: Store;
let cleanup: () => Promise<void>;

/** A run of `playbook` for `account`, entered on day `entered` of March. */
async function run(
  id: string,
  playbook: string,
  account: string | null,
  entered: number,
  group = 'treated',
  entryScore: number | null = null,
) {
  const reachedGoal = id.endsWith('9');
  await sql`
    insert into journey_runs (id, playbook_id, playbook_version, subject_key, account_id, run_group, status, state,
                              version, entered_at, goal_reached, entry_health_score)
    values (${id}::uuid, ${playbook}, 1, ${account ?? `contact:${id}`}, ${account}, ${group}, 'completed', '{}', 1,
            ${day(entered)}, ${reachedGoal}, ${entryScore})`.execute(store.database);
}

async function health(account: string, on: number, score: number) {
  await sql`insert into health_scores (account_id, day, score, components, top_reasons, computed_at)
    values (${account}, ${day(on).toISOString().slice(0, 10)}::date, ${score}, '[]', '[]', ${day(on)})`.execute(
    store.database,
  );
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
  // A playbook whose runs kept their accounts' scores at entry: two at 40, one at 80, one unscored.
  await run(id(11), 'nudge', 'low-a', 10, 'treated', 40);
  await run(id(12), 'nudge', 'low-b', 10, 'treated', 40);
  await event('Subscription Cancelled', 'low-b', 12);
  await run(id(13), 'nudge', 'high', 10, 'holdout', 80);
  await run(id(14), 'nudge', 'new', 10, 'treated');
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
    expect([...all.keys()].sort()).toEqual(['nudge', 'renewal', 'win-back']);
    expect(all.get('win-back')).toEqual((await playbookCounts(store.database, ['win-back'])).get('win-back'));
    const renewal = { entered: 1, active: 0, sent: 0, responded: 1, goalReached: 0, retained: 1 };
    expect(all.get('renewal')?.treated).toEqual(renewal);
  });
});

describe('playbook results by health score at entry', () => {
  it('count each group per score the runs kept, in the same measures', async () => {
    const rows = await playbookCountsByEntryScore(store.database, 'nudge');
    const sorted = [...rows].sort((a, b) => (a.entryScore ?? -1) - (b.entryScore ?? -1));
    const counts = (entered: number, retained: number) => ({ ...none, entered, retained });
    const none = { entered: 0, active: 0, sent: 0, responded: 0, goalReached: 0, retained: 0 };
    expect(sorted).toEqual([
      { group: 'treated', entryScore: null, counts: counts(1, 1) },
      { group: 'treated', entryScore: 40, counts: counts(2, 1) },
      { group: 'holdout', entryScore: 80, counts: counts(1, 1) },
    ]);
    expect(await playbookCountsByEntryScore(store.database, 'no-such-playbook')).toEqual([]);
  });

  it('give runs from before the migration the score of their entry day, or the latest before it', async () => {
    await run(id(21), 'backfill', 'scored-that-day', 10);
    await health('scored-that-day', 3, 30);
    await health('scored-that-day', 10, 60);
    await health('scored-that-day', 11, 90); // after the run entered: not its score
    await run(id(22), 'backfill', 'scored-before', 10);
    await health('scored-before', 4, 20);
    await run(id(23), 'backfill', 'scored-after', 10);
    await health('scored-after', 12, 70);
    await run(id(24), 'backfill', null, 10);
    // A migration takes the database untyped, as the migrator hands it over.
    const untyped = store.database as unknown as Kysely<unknown>;
    await runEntryHealth.down(untyped);
    await runEntryHealth.up(untyped);
    const kept = await sql<{ id: string; entry_health_score: number | null }>`
      select id, entry_health_score from journey_runs where playbook_id = 'backfill' order by id`.execute(
      store.database,
    );
    expect(kept.rows).toEqual([
      { id: id(21), entry_health_score: 60 },
      { id: id(22), entry_health_score: 20 },
      { id: id(23), entry_health_score: null },
      { id: id(24), entry_health_score: null },
    ]);
    // The runs of the other playbooks kept theirs from the same history: none had any.
    const nudge = await playbookCountsByEntryScore(store.database, 'nudge');
    expect(nudge.every((row) => row.entryScore === null)).toBe(true);
  });
});
