// The Settings page's policy (admins only) and a playbook's page through HTTP with sessions: the
// definition and the runs in progress at each step for everyone, and the runs listed only for the
// accounts of the viewer's book, a page at a time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInPlaybooks } from '../../src/config/playbook-library.js';
import { type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let admin: Person;
let rita: Person;
let sam: Person;

beforeAll(async () => {
  const clock = { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') } as const;
  tend = await startTestTend({ clock, playbooks: builtInPlaybooks });
  admin = await signIn(tend, { email: 'ada@tend.example', role: 'admin' });
  await signIn(tend, { email: 'maria@tend.example', role: 'manager' });
  const team = { role: 'rep', managerEmail: 'maria@tend.example' } as const;
  rita = await signIn(tend, { email: 'rita@tend.example', ...team });
  sam = await signIn(tend, { email: 'sam@tend.example', ...team });
  const customers = [
    ['nina', 'northwind', 'rita@tend.example'],
    ['fred', 'fabrikam', 'rita@tend.example'],
    ['carl', 'contoso', 'sam@tend.example'],
  ] as const;
  for (const [person, account, owner] of customers) {
    await send(tend, [
      { type: 'identify', userId: person, traits: { email: `${person}@${account}.example`, timezone: 'UTC' } },
      group(person, account, { name: account, profit: 10000, owner }),
    ]);
  }
  await advance(tend, 'PT1M');
  // A low score from each: the detractor follow-up starts for each account (no holdout).
  for (const [person] of customers) await send(tend, [track(person, 'Survey Answered', { score: 2, scale: 10 })]);
  await advance(tend, 'PT2H');
});
afterAll(async () => tend?.stop());

describe('the policy in force', () => {
  it('shows admins the tiers with their shares, cadences, thresholds and the send policy', async () => {
    const answer = await admin.get('/api/v1/policy');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.value.tiers).toEqual([
      { name: 'A', upToShare: 0.5, share: 0.5 },
      { name: 'B', upToShare: 0.8, share: expect.closeTo(0.3, 10) },
      { name: 'C', upToShare: 1, share: expect.closeTo(0.2, 10) },
    ]);
    const tierA = { tier: 'A', everyDays: 14, objective: 'business review', methods: ['meeting', 'video', 'phone'] };
    expect(answer.body.cadences).toContainEqual(tierA);
    expect(answer.body.signals.detractorMaxScore).toBe(6);
    expect(answer.body.sending).toMatchObject({
      quietHours: { start: '21:00', end: '08:00' },
      frequencyCap: { maxMessages: 2, withinDays: 7 },
    });
    expect(answer.body.limits.tracking.requests).toEqual({ perSecond: expect.any(Number), burst: expect.any(Number) });
    expect((await tend.admin('/api/v1/policy')).status).toBe(200);
  });

  it('is for admins only', async () => {
    const refused = await rita.get('/api/v1/policy');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('forbidden');
  });
});

describe("a playbook's page", () => {
  it('shows the definition and how many runs stand at each step, to anyone signed in', async () => {
    const answer = await rita.get('/api/v1/playbooks/detractor-follow-up');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const playbook = answer.body;
    expect(playbook).toMatchObject({
      id: 'detractor-follow-up',
      enabled: true,
      trigger: { kind: 'signal', signal: 'detractor' },
      holdout: 0,
      goal: { event: 'Survey Answered', within: { text: 'P90D' } },
      reentry: { kind: 'after', after: { text: 'P30D' } },
    });
    expect(playbook.steps[0]).toMatchObject({ id: 'alert-owner', kind: 'alert', to: 'owner', dueIn: { text: 'PT1H' } });
    expect(playbook.steps.find((step: { id: string }) => step.id === 'wait-for-outcome')).toMatchObject({
      kind: 'wait',
      wait: { kind: 'event', event: 'Task Completed', timeout: { text: 'P7D' } },
    });
    // Counts are for every account: all three runs, though Rita owns two.
    expect(playbook.inProgress.treated).toBe(3);
    expect(playbook.inProgress.holdout).toBe(0);
    const steps: { treated: number }[] = playbook.inProgress.byStep;
    const counted = steps.reduce((total, step) => total + step.treated, 0);
    expect(counted).toBe(3);
    expect(playbook.inProgress.byStep.map((step: { stepId: string }) => step.stepId).slice(0, 3)).toEqual([
      'alert-owner',
      'follow-up-call',
      'escalate-call',
    ]);
  });

  it("lists the runs of the viewer's book only, with the step each is at, a page at a time", async () => {
    const ritas = await rita.get('/api/v1/playbooks/detractor-follow-up/runs');
    expect(ritas.status, JSON.stringify(ritas.body)).toBe(200);
    const accountsOf = (items: { accountId: string }[]) => items.map((run) => run.accountId).sort();
    expect(accountsOf(ritas.body.items)).toEqual(['fabrikam', 'northwind']);
    const atStep = { stepId: expect.any(String), stepKind: expect.any(String) };
    expect(ritas.body.items[0]).toMatchObject({ group: 'treated', ...atStep });
    const sams = await sam.get('/api/v1/playbooks/detractor-follow-up/runs');
    expect(sams.body.items.map((run: { accountId: string }) => run.accountId)).toEqual(['contoso']);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const after = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await admin.get(`/api/v1/playbooks/detractor-follow-up/runs?limit=1${after}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      all.push(...page.body.items.map((run: { accountId: string }) => run.accountId));
      cursor = page.body.next;
    } while (cursor !== null);
    expect(all.sort()).toEqual(['contoso', 'fabrikam', 'northwind']);
  });

  it('answers an unknown playbook 404, and a bad cursor 400 naming it', async () => {
    expect((await rita.get('/api/v1/playbooks/no-such-playbook')).status).toBe(404);
    expect((await rita.get('/api/v1/playbooks/no-such-playbook/runs')).status).toBe(404);
    const refused = await rita.get('/api/v1/playbooks/detractor-follow-up/runs?cursor=xyz');
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe('cursor');
  });
});
