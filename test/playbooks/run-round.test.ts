// A run that takes several steps in one round reads its facts once and saves once: each later step
// must still see what the earlier ones did (the Task Created event a task step recorded, a trait an
// update step set), every step must be in the run's history, and the task must exist once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbook = `
id: round-memory
name: Round memory
version: 1
trigger: { signal: detractor }
steps:
  - id: pause
    wait: { for: PT1H }
  - id: call-task
    task: { for: owner, objective: Call them about their score, dueIn: P1D }
  - id: saw-task
    branch: { if: { event: Task Created }, then: mark-seen, else: mark-unseen }
  - id: mark-unseen
    update: { trait: roundSaw, value: nothing }
  - id: unseen-exit
    exit: { reason: the task step's event was not seen }
  - id: mark-seen
    update: { trait: roundSaw, value: task }
  - id: check-trait
    branch: { if: { trait: { roundSaw: task } }, then: trait-seen, else: trait-unseen }
  - id: trait-unseen
    update: { trait: roundTrait, value: missing }
  - id: trait-exit
    exit: { reason: the update step's trait was not seen }
  - id: trait-seen
    update: { trait: roundTrait, value: seen }
holdout: 0
reentry: never
`;

let tend: TestTend;
beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tend-round-'));
  writeFileSync(join(folder, 'round-memory.yaml'), playbook);
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-05-04T09:00:00Z') }, playbooks: folder });
  await tend.post('/api/v1/users', { email: 'rita@tend.example', role: 'rep' });
  await send(tend, [
    { type: 'identify', userId: 'olga', traits: { email: 'olga@orbit.example', name: 'Olga' } },
    group('olga', 'orbit', { name: 'Orbit', profit: 50000, owner: 'rita@tend.example' }),
  ]);
});
afterAll(async () => tend?.stop());

describe('a run taking several steps in one round', () => {
  it('decides each step on what the earlier steps of the round did, and records them all', async () => {
    await send(tend, [track('olga', 'Survey Answered', { score: 1, comment: 'Nobody calls back' })]);
    // The pause is its own round; then the rest of the playbook is one round, an hour after entry.
    await advance(tend, 'PT2H');
    const database = tend.tend.store.database;
    const account = await database
      .selectFrom('accounts')
      .select('traits')
      .where('id', '=', 'orbit')
      .executeTakeFirstOrThrow();
    expect(account.traits).toMatchObject({ roundSaw: 'task', roundTrait: 'seen' });
    const run = await database
      .selectFrom('journey_runs')
      .select(['id', 'status', 'version'])
      .where('playbook_id', '=', 'round-memory')
      .executeTakeFirstOrThrow();
    expect(run.status).toBe('completed');
    const steps = await database
      .selectFrom('run_steps')
      .select(['version', 'step_id'])
      .where('run_id', '=', run.id)
      .orderBy('version')
      .execute();
    const taken = steps.map((step) => step.step_id).filter((id) => id !== null);
    expect(taken).toEqual(expect.arrayContaining(['call-task', 'mark-seen', 'trait-seen']));
    expect(taken).not.toContain('mark-unseen');
    expect(taken).not.toContain('trait-unseen');
    // One history row per version, up to the run's last.
    expect(steps.map((step) => step.version)).toEqual(steps.map((_, index) => steps[0]!.version + index));
    expect(steps[steps.length - 1]!.version).toBe(run.version);
    const { body } = await tend.admin('/api/v1/tasks?ownerId=rita@tend.example&limit=100');
    expect(
      body.tasks.filter((task: { source: string }) => task.source === 'playbook:round-memory:create-task'),
    ).toHaveLength(1);
    const created = await database
      .selectFrom('events')
      .select('properties')
      .where('name', '=', 'Task Created')
      .where('account_id', '=', 'orbit')
      .execute();
    expect(created).toHaveLength(1);
    expect(created[0]!.properties).toMatchObject({
      owner: 'rita@tend.example',
      objective: 'Call them about their score',
      source: 'playbook:round-memory:create-task',
    });
  });
});
