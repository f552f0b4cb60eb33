// Scheduled playbooks fire at their time on the manual clock, once per occurrence, for the accounts in
// their audience; and over 10 000 subjects the holdout group's share stays within tolerance of the
// playbook's holdout, with the results API counting both groups.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignGroup } from '../../src/domain/playbooks/holdout.js';
import { advance, send } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const subjects = 10_000;
const holdout = 0.2;
let tend: TestTend;

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tend-schedules-'));
  writeFileSync(
    join(folder, 'weekly-check-in.yaml'),
    `
id: weekly-check-in
name: Weekly check-in
version: 1
trigger: { schedule: "0 9 * * MON" }
audience: { lifecycleStages: [active] }
steps:
  - id: check-in
    task: { for: owner, objective: Check in with the account, talkingPoints: [How the week went], dueIn: P1D }
holdout: 0
reentry: always
`,
  );
  writeFileSync(
    join(folder, 'quarterly-survey.yaml'),
    `
id: quarterly-survey
name: Quarterly survey
version: 1
trigger: { schedule: "R/2026-03-03T10:00:00Z/P90D" }
audience: { lifecycleStages: [onboarding] }
steps:
  - id: mark
    update: { trait: surveyed, value: yes }
holdout: ${holdout}
reentry: always
`,
  );
  // Sunday noon: the weekly playbook first fires on Monday 09:00.
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-03-01T12:00:00Z') }, playbooks: folder });
  await tend.post('/api/v1/users', { email: 'rita@tend.example', role: 'rep' });
  await send(tend, [
    {
      type: 'group',
      userId: 'a1',
      groupId: 'active-1',
      traits: { name: 'Active 1', lifecycleStage: 'active', owner: 'rita@tend.example' },
    },
    {
      type: 'group',
      userId: 'a2',
      groupId: 'active-2',
      traits: { name: 'Active 2', lifecycleStage: 'active', owner: 'rita@tend.example' },
    },
    {
      type: 'group',
      userId: 'l1',
      groupId: 'lead-1',
      traits: { name: 'Lead 1', lifecycleStage: 'lead', owner: 'rita@tend.example' },
    },
  ]);
  for (let start = 0; start < subjects; start += 500) {
    await send(
      tend,
      Array.from({ length: 500 }, (_, index) => ({
        type: 'group',
        userId: `new-${start + index}`,
        groupId: `onboarding-${start + index}`,
        traits: { name: `New ${start + index}`, lifecycleStage: 'onboarding' },
      })),
    );
  }
}, 300_000);
afterAll(async () => tend?.stop());

describe('scheduled playbooks', () => {
  it('fire at their time for the accounts in their audience, once per occurrence', async () => {
    const checkIns = async () =>
      (
        (await tend.admin('/api/v1/tasks?ownerId=rita@tend.example&limit=100')).body.tasks as {
          accountId: string;
          dueAt: string;
        }[]
      ).filter((task) => task.accountId.startsWith('active') || task.accountId.startsWith('lead'));
    await advance(tend, 'PT20H');
    expect(await checkIns()).toEqual([]);
    await advance(tend, 'PT2H'); // Monday 10:00
    expect((await checkIns()).map((task) => [task.accountId, task.dueAt]).sort()).toEqual([
      ['active-1', '2026-03-03T09:00:00.000Z'],
      ['active-2', '2026-03-03T09:00:00.000Z'],
    ]);
    await advance(tend, 'P7D');
    expect(await checkIns()).toHaveLength(4);
  }, 300_000);

  it(`over ${subjects} subjects the holdout share is within tolerance of ${holdout}, and results count both groups`, async () => {
    const { body } = await tend.admin('/api/v1/playbooks/quarterly-survey/results');
    const entered = body.treated.entered + body.holdout.entered;
    expect(entered).toBe(subjects);
    // Three standard errors of a binomial share: 0.012 at 10 000 subjects.
    const tolerance = 3 * Math.sqrt((holdout * (1 - holdout)) / subjects);
    expect(Math.abs(body.holdout.entered / entered - holdout)).toBeLessThan(tolerance);
    // Only treated subjects are acted on: the group each account drew decides whether its trait was set.
    const accounts = Array.from({ length: 40 }, (_, index) => `onboarding-${index}`);
    const treated = accounts.find((id) => assignGroup('quarterly-survey', id, holdout) === 'treated')!;
    const heldOut = accounts.find((id) => assignGroup('quarterly-survey', id, holdout) === 'holdout')!;
    expect((await tend.admin(`/api/v1/accounts/${treated}`)).body.traits.surveyed).toBe('yes');
    expect((await tend.admin(`/api/v1/accounts/${heldOut}`)).body.traits.surveyed).toBeUndefined();
  });
});
