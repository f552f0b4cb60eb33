// Entering a playbook run is one statement that applies the re-entry rule itself (never, always, after
// a pause since the last run ended) and never starts a second active run for a subject; an ingested
// event wakes a run only when one waits for it, and only then says that the engine has work. Runs on
// PGlite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startRun } from '../../src/domain/playbooks/journey-step.js';
import type { ReentryPolicy } from '../../src/domain/playbooks/playbook-definition.js';
import { validatePlaybook } from '../../src/domain/playbooks/playbook-validation.js';
import { EventPartitions } from '../../src/store/event-partitions.js';
import { newId } from '../../src/store/ids.js';
import { enterRun } from '../../src/store/journey-store.js';
import { tendSourceId } from '../../src/store/own-events.js';
import { noIngestPolicy } from '../../src/domain/relationship/ingest-plan.js';
import { ingestMessages } from '../../src/ingest/ingest-batch.js';
import { storePerFile } from '../support/fresh-store.js';

const currentStore = storePerFile();
const start = new Date('2026-03-02T09:00:00Z');
const dayMilliseconds = 86_400_000;

const playbook = validatePlaybook(
  parse(`
id: follow-up
name: Follow-up
version: 1
trigger: { signal: detractor }
steps:
  - id: pause
    wait: { event: Feature Used, timeout: P3D }
`),
  'follow-up.yaml',
);

async function enter(subject: string, reentry: ReentryPolicy, at: Date): Promise<boolean> {
  const state = startRun(playbook, { runId: newId(at.getTime()), recipient: subject, group: 'treated', enteredAt: at });
  return enterRun(
    currentStore().database,
    { state, subjectKey: subject, accountId: subject, contactId: null, trigger: { signal: 'detractor' }, reentry },
    at,
  );
}

async function endRuns(subject: string, at: Date): Promise<void> {
  await currentStore()
    .database.updateTable('journey_runs')
    .set({ status: 'completed', ended_at: at, next_due_at: null })
    .where('subject_key', '=', subject)
    .where('status', '=', 'active')
    .execute();
}

const days = (count: number) => new Date(start.getTime() + count * dayMilliseconds);

describe('entering a run', () => {
  it('never starts a second active run for a subject, whatever the rule', async () => {
    expect(await enter('busy', { kind: 'always' }, start)).toBe(true);
    expect(await enter('busy', { kind: 'always' }, days(1))).toBe(false);
    await endRuns('busy', days(2));
    expect(await enter('busy', { kind: 'always' }, days(2))).toBe(true);
  });

  it('with "never", admits a subject once', async () => {
    expect(await enter('once', { kind: 'never' }, start)).toBe(true);
    await endRuns('once', days(1));
    expect(await enter('once', { kind: 'never' }, days(400))).toBe(false);
    expect(await enter('someone-else', { kind: 'never' }, days(400))).toBe(true);
  });

  it('with "after", admits a subject again only once the pause since its last run ended has passed', async () => {
    const afterWeek: ReentryPolicy = { kind: 'after', after: { text: 'P7D', ms: 7 * dayMilliseconds } };
    expect(await enter('weekly', afterWeek, start)).toBe(true);
    expect(await enter('weekly', afterWeek, days(30))).toBe(false); // still active
    await endRuns('weekly', days(10));
    expect(await enter('weekly', afterWeek, days(16))).toBe(false); // 6 days after the end
    expect(await enter('weekly', afterWeek, days(17))).toBe(true); // 7 days after
    const runs = await currentStore()
      .database.selectFrom('journey_runs')
      .select(['status', 'entered_at'])
      .where('subject_key', '=', 'weekly')
      .orderBy('entered_at')
      .execute();
    expect(runs.map((run) => [run.status, run.entered_at.toISOString()])).toEqual([
      ['completed', start.toISOString()],
      ['active', days(17).toISOString()],
    ]);
  });
});

describe('an awaited event', () => {
  const policy = { ...noIngestPolicy, awaitedNames: new Set(['Feature Used']) };
  let sequence = 0;
  const featureUsed = (accountId: string, at: Date) => {
    sequence += 1;
    const database = currentStore().database;
    return ingestMessages(
      { database, partitions: new EventPartitions(database), policy, evaluator: null },
      tendSourceId,
      [
        {
          type: 'track',
          event: 'Feature Used',
          properties: { feature: 'reports' },
          messageId: `awaited-${sequence}`,
          userId: `${accountId}-person`,
          anonymousId: null,
          timestamp: at,
          context: { groupId: accountId },
        },
      ],
      at,
    );
  };

  it('wakes the run waiting for it, and only then leaves work for the engine', async () => {
    // Each account's first "Feature Used" is news for onboarding (it queues the account): get it out of the way.
    await featureUsed('nobody-waits', start);
    await featureUsed('waiting', start);
    expect(await enter('waiting', { kind: 'always' }, start)).toBe(true);
    await currentStore()
      .database.updateTable('journey_runs')
      .set({ awaiting_event: 'Feature Used', next_due_at: days(3) })
      .where('subject_key', '=', 'waiting')
      .execute();
    expect((await featureUsed('nobody-waits', days(1))).engineWork).toBe('none');
    const due = async () =>
      (
        await currentStore()
          .database.selectFrom('journey_runs')
          .select('next_due_at')
          .where('subject_key', '=', 'waiting')
          .executeTakeFirstOrThrow()
      ).next_due_at?.toISOString();
    expect(await due()).toBe(days(3).toISOString());
    // Only the journeys have work: the evaluation lanes are not woken for it.
    expect((await featureUsed('waiting', days(1))).engineWork).toBe('journeys');
    expect(await due()).toBe(days(1).toISOString());
  });
});
