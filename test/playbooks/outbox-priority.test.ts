// A payment failure is not queued behind a marketing batch: with 10,000 marketing messages waiting (an
// hour overdue), the late-payment playbook's e-mail goes out in the dispatcher's next round, and the
// marketing backlog is still there after it. The claim walks the priority index, not the whole queue.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { assignGroup } from '../../src/domain/playbooks/holdout.js';
import { priorityRank } from '../../src/domain/playbooks/message-priority.js';
import type { LaneState } from '../../src/engine/work-lane.js';
import { advance, group, now, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const backlog = 10_000;
let tend: TestTend;
let dispatcherRound: (lane: LaneState) => Promise<number>;

/** A lane that lets the dispatcher take one round (one claim, its messages sent), then asks it to stop. */
function oneRound(): LaneState {
  let asked = 0;
  return {
    get stopping() {
      return asked++ > 0;
    },
  };
}

beforeAll(async () => {
  expect(assignGroup('late-payment', 'orbit', 0.1)).toBe('treated');
  const folder = mkdtempSync(join(tmpdir(), 'tend-priority-'));
  writeFileSync(join(folder, 'late-payment.yaml'), readFileSync(join(builtInPlaybooks, 'late-payment.yaml')));
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-05-04T10:00:00Z') }, playbooks: folder });
  await send(tend, [
    { type: 'identify', userId: 'olga', traits: { email: 'olga@orbit.example', name: 'Olga', timezone: 'UTC' } },
    group('olga', 'orbit', { name: 'Orbit', profit: 50000 }),
  ]);
  // The sender is busy elsewhere while the backlog and the payment message queue up: the scheduler's
  // rounds send nothing in this file; the test runs the dispatcher's rounds itself.
  const dispatcher = tend.tend.dispatcher;
  dispatcherRound = dispatcher.runDue.bind(dispatcher);
  vi.spyOn(dispatcher, 'runDue').mockResolvedValue(0);
  const at = await now(tend);
  const anHourAgo = new Date(at.getTime() - 3_600_000);
  const payload = JSON.stringify({ template: 'we-miss-you', tone: 'friendly', variables: {} });
  const database = tend.tend.store.database;
  await sql`insert into contacts (id, email, name, timezone, traits, created_at, updated_at)
    select 'reader-' || n, 'reader' || n || '@readers.example', 'Reader ' || n, 'UTC', '{}'::jsonb,
      ${anHourAgo}, ${anHourAgo}
    from generate_series(1, ${backlog}) n`.execute(database);
  await sql`insert into outbox (id, idempotency_key, contact_id, channel, recipient, payload, status,
      next_attempt_at, created_at, priority, playbook_id)
    select gen_random_uuid(), 'spring-sale:' || n, 'reader-' || n, 'email', 'reader' || n || '@readers.example',
      ${payload}::jsonb, 'pending', ${anHourAgo}, ${anHourAgo}, ${priorityRank('marketing')}, 'spring-sale'
    from generate_series(1, ${backlog}) n`.execute(database);
});
afterAll(async () => tend?.stop());

const pendingOf = async (playbookId: string): Promise<number> => {
  const row = await tend.tend.store.database
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('playbook_id', '=', playbookId)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
};

describe('outbox priority', () => {
  it('sends the payment-failure e-mail in the next round, ahead of 10,000 marketing messages', async () => {
    await send(tend, [track('olga', 'Payment Failed', { invoiceId: 'INV-42', amount: 120 })]);
    // The signal's round moves the run on: its e-mail is written to the outbox.
    await advance(tend, 'PT1M');
    const database = tend.tend.store.database;
    const written = await database
      .selectFrom('outbox')
      .select(['id', 'status', 'priority'])
      .where('playbook_id', '=', 'late-payment')
      .executeTakeFirstOrThrow();
    expect(written).toMatchObject({ status: 'pending', priority: priorityRank('transactional') });
    expect(await pendingOf('spring-sale')).toBe(backlog);

    const began = performance.now();
    const handled = await dispatcherRound(oneRound());
    const roundMilliseconds = performance.now() - began;
    const sent = await database
      .selectFrom('outbox')
      .select(['status', 'recipient', 'sent_at'])
      .where('id', '=', written.id)
      .executeTakeFirstOrThrow();
    expect(sent).toMatchObject({ status: 'delivered-locally', recipient: 'olga@orbit.example' });
    // One round took the payment e-mail and a batch's worth of the backlog; the rest still waits.
    expect(handled).toBeGreaterThan(0);
    expect(handled).toBeLessThan(100);
    expect(await pendingOf('spring-sale')).toBe(backlog - (handled - 1));
    // The marketing messages of that round went out as well: the backlog drains behind it.
    const drained = await database
      .selectFrom('outbox')
      .select(['status'])
      .where('playbook_id', '=', 'spring-sale')
      .where('status', '!=', 'pending')
      .execute();
    expect(drained.map((row) => row.status)).toEqual(Array(handled - 1).fill('delivered-locally'));
    expect(roundMilliseconds).toBeLessThan(10_000);
  });

  it('claims along the priority index with the backlog waiting', async () => {
    const database = tend.tend.store.database;
    await sql`analyze outbox`.execute(database);
    const plan = await sql<{ 'QUERY PLAN': string }>`explain
      select id from outbox
      where status = 'pending' and (next_attempt_at is null or next_attempt_at <= ${await now(tend)})
      order by priority desc, next_attempt_at
      limit 20
      for update skip locked`.execute(database);
    const text = plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('outbox_claim');
    expect(text).not.toContain('Sort');
  });
});
