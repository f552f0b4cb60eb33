// An event's account is evaluated in the event's own transaction: when the ingest call returns, the
// signal is already stored and nothing is left queued. What the ingest cannot evaluate stays queued
// for the engine's lanes: accounts another evaluation holds, too many accounts at once, and anything
// whose evaluation failed, which never fails the ingest itself. Runs on PGlite and on PostgreSQL.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { TrackingMessage } from '../../src/domain/tracking-message.js';
import { ManualClock } from '../../src/engine/clocks.js';
import type { JourneyEngine } from '../../src/engine/journey-engine.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import { tendSourceId } from '../../src/store/own-events.js';
import { noIngestPolicy } from '../../src/domain/relationship/ingest-plan.js';
import { type IngestDependencies, ingestMessages } from '../../src/ingest/ingest-batch.js';
import { storePerFile } from '../support/fresh-store.js';
import { type EvaluationSystems, evaluationSystems } from '../support/evaluation-systems.js';
import { usingPostgres } from '../support/test-tend.js';

const currentStore = storePerFile();
const now = new Date('2026-05-04T10:00:00Z');

let sequence = 0;
function surveyAnswer(accountId: string, score: number): TrackingMessage {
  sequence += 1;
  return {
    type: 'track',
    event: 'Survey Answered',
    properties: { score, scale: 10 },
    messageId: `ingest-evaluation-${sequence}`,
    userId: `${accountId}-person`,
    anonymousId: null,
    timestamp: null,
    context: { groupId: accountId },
  };
}

async function addAccounts(ids: readonly string[]): Promise<void> {
  await currentStore()
    .database.insertInto('accounts')
    .values(
      ids.map((id) => ({
        id,
        name: id,
        plan: null,
        lifecycle_stage: 'active',
        revenue_minor: 500_000,
        profit_minor: 50_000,
        currency: 'EUR',
        owner_email: null,
        traits: JSON.stringify({}),
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
}

function engineWith(
  options: { journeys?: JourneyEngine; ingestEvaluationLimit?: number; errors?: unknown[] } = {},
): EvaluationSystems {
  return evaluationSystems(currentStore().database, new ManualClock(now), {
    journeys: options.journeys,
    ingestEvaluationLimit: options.ingestEvaluationLimit,
    onError: (error) => options.errors?.push(error),
  });
}

const ingestWith = (engine: EvaluationSystems): IngestDependencies => ({
  database: currentStore().database,
  partitions: new EventPartitions(currentStore().database),
  policy: noIngestPolicy,
  evaluator: engine.evaluation.atIngest,
});

async function openKinds(accountId: string): Promise<string[]> {
  const rows = await currentStore()
    .database.selectFrom('signals')
    .select('kind')
    .where('account_id', '=', accountId)
    .where('cleared_at', 'is', null)
    .execute();
  return rows.map((row) => row.kind);
}

async function queued(accountIds: readonly string[]): Promise<string[]> {
  const rows = await currentStore()
    .database.selectFrom('account_event_queue')
    .select('account_id')
    .where('account_id', 'in', [...accountIds])
    .execute();
  return [...new Set(rows.map((row) => row.account_id))].sort();
}

const record = (engine: EvaluationSystems, messages: TrackingMessage[]) =>
  ingestMessages(ingestWith(engine), tendSourceId, messages, now);

describe('evaluation in the ingest transaction', () => {
  it('stores the signal with the event that raised it, and leaves nothing queued', async () => {
    await addAccounts(['at-once']);
    const engine = engineWith();
    await engine.ranking.rankValue();
    const outcome = await record(engine, [surveyAnswer('at-once', 3)]);
    expect(outcome.stored).toBe(1);
    // Settled in its own transaction: nothing for the engine to wake up for.
    expect(outcome.engineWork).toBe('none');
    expect(await openKinds('at-once')).toContain('detractor');
    expect(await queued(['at-once'])).toEqual([]);
    // The evaluation also wrote the day's health and the account's next due-times.
    const health = await currentStore()
      .database.selectFrom('health_scores')
      .select('score')
      .where('account_id', '=', 'at-once')
      .execute();
    expect(health).toHaveLength(1);
    const account = await currentStore()
      .database.selectFrom('accounts')
      .select('refresh_due_at')
      .where('id', '=', 'at-once')
      .executeTakeFirstOrThrow();
    expect(account.refresh_due_at?.toISOString()).toBe('2026-05-05T00:00:00.000Z');
    // The raising is an event journeys can react to, committed with the answer.
    const raised = await currentStore()
      .database.selectFrom('events')
      .select('name')
      .where('account_id', '=', 'at-once')
      .where('name', '=', 'Signal Raised')
      .execute();
    expect(raised).toHaveLength(1);
  });

  it('leaves the accounts to the lanes before the engine has ranked, and when there are more than the limit', async () => {
    await addAccounts(['unranked-1', 'many-1', 'many-2', 'many-3']);
    const unranked = engineWith();
    expect((await record(unranked, [surveyAnswer('unranked-1', 2)])).engineWork).toBe('evaluation');
    expect(await openKinds('unranked-1')).toEqual([]);
    expect(await queued(['unranked-1'])).toEqual(['unranked-1']);

    const limited = engineWith({ ingestEvaluationLimit: 2 });
    await limited.ranking.rankValue();
    await record(limited, [surveyAnswer('many-1', 2), surveyAnswer('many-2', 2), surveyAnswer('many-3', 2)]);
    expect(await queued(['many-1', 'many-2', 'many-3'])).toEqual(['many-1', 'many-2', 'many-3']);
    expect(await openKinds('many-1')).toEqual([]);
    // The lane takes them all up.
    let evaluated = 0;
    for (let round = 0; round < 10; round++) {
      const outcome = await limited.evaluation.evaluateDueBatch();
      if (outcome.evaluated === 0) break;
      evaluated += outcome.evaluated;
    }
    expect(evaluated).toBe(4);
    expect(await openKinds('many-3')).toContain('detractor');
  });

  it('evaluates accounts a first occurrence made due up to the limit, and queues the rest', async () => {
    await addAccounts(['first-a', 'first-b', 'first-c']);
    const limited = engineWith({ ingestEvaluationLimit: 2 });
    await limited.ranking.rankValue();
    // A sign-in makes its account due only as the first of its name, which the write itself finds out.
    const signIn = (accountId: string): TrackingMessage => ({
      type: 'track',
      event: 'Signed In',
      properties: {},
      messageId: `first-${accountId}`,
      userId: `${accountId}-person`,
      anonymousId: null,
      timestamp: null,
      context: { groupId: accountId },
    });
    const outcome = await record(limited, ['first-a', 'first-b', 'first-c'].map(signIn));
    expect(outcome.stored).toBe(3);
    expect(outcome.engineWork).toBe('evaluation');
    const health = await currentStore()
      .database.selectFrom('health_scores')
      .select('account_id')
      .where('account_id', 'in', ['first-a', 'first-b', 'first-c'])
      .orderBy('account_id')
      .execute();
    expect(health.map((row) => row.account_id)).toEqual(['first-a', 'first-b']);
    expect(await queued(['first-a', 'first-b', 'first-c'])).toEqual(['first-c']);
    // A second sign-in is no news: nothing is queued or evaluated for it.
    const again = await record(limited, [{ ...signIn('first-a'), messageId: 'first-first-a-again' }]);
    expect(again.engineWork).toBe('none');
    expect(await queued(['first-a'])).toEqual([]);
    // The lane takes the one left.
    expect((await limited.evaluation.evaluateDueBatch()).evaluated).toBe(1);
    expect(await queued(['first-c'])).toEqual([]);
  });

  it('writes a group of more than one chunk (1,000 events) whole, with what it implies and its evaluation', async () => {
    await addAccounts(['chunked']);
    const engine = engineWith();
    await engine.ranking.rankValue();
    const signIns: TrackingMessage[] = Array.from({ length: 2499 }, (_, index) => ({
      type: 'track',
      event: 'Signed In',
      properties: {},
      messageId: `chunked-${index}`,
      userId: `chunked-person-${index % 50}`,
      anonymousId: null,
      timestamp: null,
      context: { groupId: 'chunked' },
    }));
    const outcome = await record(engine, [...signIns, surveyAnswer('chunked', 2)]);
    expect(outcome.stored).toBe(2500);
    const database = currentStore().database;
    // Tend's own events (Signal Raised) are not counted.
    const events = await database
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('account_id', '=', 'chunked')
      .where('name', 'in', ['Signed In', 'Survey Answered'])
      .executeTakeFirstOrThrow();
    expect(Number(events.count)).toBe(2500);
    const contacts = await database
      .selectFrom('contacts')
      .select('id')
      .where('id', 'like', 'chunked-person%')
      .execute();
    expect(contacts).toHaveLength(51);
    const activity = await database
      .selectFrom('account_activity_days')
      .select('count')
      .where('account_id', '=', 'chunked')
      .where('activity', '=', 'Signed In')
      .executeTakeFirstOrThrow();
    expect(activity.count).toBe(2499);
    expect(await openKinds('chunked')).toContain('detractor');
    expect(await queued(['chunked'])).toEqual([]);
  });

  it('stores the event even when the evaluation fails, and leaves the account queued for the lanes', async () => {
    await addAccounts(['failing']);
    const errors: unknown[] = [];
    const broken = {
      enterForSignals: () => Promise.reject(new Error('playbook store unavailable')),
      enterForSegments: () => Promise.resolve(0),
    } as unknown as JourneyEngine;
    const engine = engineWith({ journeys: broken, errors });
    await engine.ranking.rankValue();
    const outcome = await record(engine, [surveyAnswer('failing', 1)]);
    expect(outcome.stored).toBe(1);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/playbook store unavailable/);
    const stored = await currentStore()
      .database.selectFrom('events')
      .select('name')
      .where('account_id', '=', 'failing')
      .execute();
    expect(stored.map((row) => row.name)).toEqual(['Survey Answered']);
    // Rolled back to before the evaluation: no half-raised signal, the queue row kept.
    expect(await openKinds('failing')).toEqual([]);
    expect(await queued(['failing'])).toEqual(['failing']);
    const lane = engineWith();
    await lane.ranking.rankValue();
    expect((await lane.evaluation.evaluateDueBatch()).evaluated).toBe(1);
    expect(await openKinds('failing')).toContain('detractor');
  });
});

describe.skipIf(!usingPostgres())('an ingest while another evaluation holds the account', () => {
  it('does not wait for it: the account stays queued and the lane evaluates it after', async () => {
    await addAccounts(['held']);
    const engine = engineWith();
    await engine.ranking.rankValue();
    const answered = await currentStore()
      .database.connection()
      .execute(async (connection) => {
        await sql`begin`.execute(connection);
        await sql`select id from accounts where id = 'held' for update`.execute(connection);
        try {
          return await record(engine, [surveyAnswer('held', 2)]);
        } finally {
          await sql`commit`.execute(connection);
        }
      });
    expect(answered.stored).toBe(1);
    expect(await openKinds('held')).toEqual([]);
    expect(await queued(['held'])).toEqual(['held']);
    expect((await engine.evaluation.evaluateDueBatch()).evaluated).toBe(1);
    expect(await openKinds('held')).toContain('detractor');
  });

  /**
   * Another ingest has written a row this one writes too, and not committed (`blocking`): this ingest
   * waits for it. The other then updates the account (a group call). Had this ingest locked the account
   * already, each would wait for the other: a deadlock.
   */
  async function waitsBeforeHolding(accountId: string, blocking: string, messages: TrackingMessage[]): Promise<void> {
    await addAccounts([accountId]);
    const engine = engineWith();
    await engine.ranking.rankValue();
    const database = currentStore().database;
    const outcome = await database.connection().execute(async (other) => {
      await sql`begin`.execute(other);
      await sql.raw(blocking).execute(other);
      const recording = record(engine, messages);
      for (let look = 0; look < 500; look++) {
        const waiting = await sql<{
          count: number;
        }>`select count(*)::int as count from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(
          other,
        );
        if (waiting.rows[0]!.count > 0) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      await sql`update accounts set name = 'Contended GmbH' where id = ${accountId}`.execute(other);
      await sql`commit`.execute(other);
      return recording;
    });
    expect(outcome.stored).toBe(messages.length);
    expect(await openKinds(accountId)).toContain('detractor');
  }

  it('holds the account only after the contacts it first sees are written (no deadlock)', async () => {
    const signIn: TrackingMessage = {
      type: 'track',
      event: 'Signed In',
      properties: {},
      messageId: 'contended-sign-in',
      userId: 'contended-newcomer',
      anonymousId: null,
      timestamp: null,
      context: { groupId: 'contended' },
    };
    await waitsBeforeHolding(
      'contended',
      `insert into contacts (id, traits, created_at, updated_at) values ('contended-newcomer', '{}', now(), now())`,
      [signIn, surveyAnswer('contended', 2)],
    );
  });

  it("holds the account only after the day's activity counts are written (no deadlock)", async () => {
    const signIn: TrackingMessage = {
      type: 'track',
      event: 'Signed In',
      properties: {},
      messageId: 'counted-sign-in',
      userId: 'counted-person',
      anonymousId: null,
      timestamp: null,
      context: { groupId: 'counted' },
    };
    await waitsBeforeHolding(
      'counted',
      `insert into account_activity_days (account_id, activity, day, count) values ('counted', 'Signed In', '${now.toISOString().slice(0, 10)}', 1)`,
      [signIn, surveyAnswer('counted', 2)],
    );
  });
});
