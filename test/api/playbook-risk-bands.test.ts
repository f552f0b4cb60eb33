// A playbook's results by risk band, through the HTTP API on a manual clock: accounts scored by their own
// data (a churn model's probability and a survey) into each band, runs entering treated and held out, some
// accounts cancelling, replying or reaching the goal; each band's counts, lift and verdict exactly. A run
// with no account score is unscored, and a run keeps its band when its account's score moves, minutes
// later the same day (the day's health row rewritten) or weeks later.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRates, summariseRate, twoProportionPValue } from '../../src/domain/models/experiment-statistics.js';
import { assignGroup, type RunGroup } from '../../src/domain/playbooks/holdout.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const playbookId = 'retention-offer';
const holdoutShare = 0.5;
let tend: TestTend;

/** What each band's accounts are like, and what their runs then do. */
interface BandPlan {
  readonly prefix: string;
  /** Traits and a survey score that put the account in the band (by the health score's own rules). */
  readonly traits: Record<string, unknown>;
  readonly survey: number | null;
  readonly runs: Readonly<Record<RunGroup, number>>;
  readonly cancelled: Readonly<Record<RunGroup, number>>;
  readonly replied: Readonly<Record<RunGroup, number>>;
  readonly renewed: Readonly<Record<RunGroup, number>>;
}

const plans = {
  // Churn probability 1 and a survey of 0: a score of 45. The playbook makes no difference here.
  'high-risk': {
    prefix: 'high',
    traits: { churnProbability: 1 },
    survey: 0,
    runs: { treated: 20, holdout: 20 },
    cancelled: { treated: 8, holdout: 9 },
    replied: { treated: 3, holdout: 0 },
    renewed: { treated: 0, holdout: 0 },
  },
  // A survey of 0 alone: 63. Here it keeps nearly everyone the holdout loses half of.
  middle: {
    prefix: 'middle',
    traits: {},
    survey: 0,
    runs: { treated: 20, holdout: 20 },
    cancelled: { treated: 1, holdout: 10 },
    replied: { treated: 0, holdout: 1 },
    renewed: { treated: 2, holdout: 1 },
  },
  // Nothing against them: 100. Too few runs to judge.
  'low-risk': {
    prefix: 'low',
    traits: {},
    survey: null,
    runs: { treated: 3, holdout: 2 },
    cancelled: { treated: 1, holdout: 0 },
    replied: { treated: 0, holdout: 0 },
    renewed: { treated: 0, holdout: 0 },
  },
} satisfies Record<string, BandPlan>;

/** The band's accounts in each group, their ids chosen so that the holdout draw puts the wanted number in each. */
function accountsOf(plan: BandPlan): Record<RunGroup, string[]> {
  const chosen: Record<RunGroup, string[]> = { treated: [], holdout: [] };
  for (let n = 1; chosen.treated.length < plan.runs.treated || chosen.holdout.length < plan.runs.holdout; n++) {
    const id = `${plan.prefix}-${n}`;
    const drawn = assignGroup(playbookId, id, holdoutShare);
    if (chosen[drawn].length < plan.runs[drawn]) chosen[drawn].push(id);
  }
  return chosen;
}

const accounts = Object.fromEntries(Object.entries(plans).map(([band, plan]) => [band, accountsOf(plan)])) as Record<
  keyof typeof plans,
  Record<RunGroup, string[]>
>;
const person = (accountId: string) => `person-of-${accountId}`;
const groups: readonly RunGroup[] = ['treated', 'holdout'];

beforeAll(async () => {
  const folder = mkdtempSync(join(tmpdir(), 'tend-risk-bands-'));
  writeFileSync(
    join(folder, `${playbookId}.yaml`),
    `
id: ${playbookId}
name: Retention offer
version: 1
trigger: { event: Offer Window Opened }
steps:
  - id: offer
    update: { trait: offered, value: yes }
  - id: give-it-time
    wait: { for: P14D }
goal: { event: Plan Renewed, within: P30D }
holdout: ${holdoutShare}
reentry: never
`,
  );
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-03-02T09:00:00Z') }, playbooks: folder });
  for (const [band, plan] of Object.entries(plans) as [keyof typeof plans, BandPlan][]) {
    const ids = groups.flatMap((runGroup) => accounts[band][runGroup]);
    await send(
      tend,
      ids.flatMap((id) => [
        { type: 'identify', userId: person(id), traits: { email: `${person(id)}@example.com` } },
        group(person(id), id, { name: id, ...plan.traits }),
        ...(plan.survey === null ? [] : [track(person(id), 'Survey Answered', { score: plan.survey, scale: 10 })]),
      ]),
    );
  }
  // A person Tend knows no account of yet: the run enters with no score to go by.
  await send(tend, [{ type: 'identify', userId: 'walk-in', traits: { email: 'walk-in@example.com' } }]);
  await advance(tend, 'PT1M');
});
afterAll(async () => tend?.stop());

const healthOf = async (accountId: string): Promise<number> =>
  (await tend.admin(`/api/v1/accounts/${accountId}/health`)).body.score;

describe('playbook results by risk band', () => {
  it("scores each band's accounts where the plan puts them", async () => {
    expect(await healthOf(accounts['high-risk'].treated[0]!)).toBe(45);
    expect(await healthOf(accounts.middle.holdout[0]!)).toBe(63);
    expect(await healthOf(accounts['low-risk'].treated[0]!)).toBe(100);
  });

  it('teaches while no run has entered: every band empty, none judged', async () => {
    const { status, body } = await tend.admin(`/api/v1/playbooks/${playbookId}/results`);
    expect(status).toBe(200);
    expect(body.byRiskBand.map((band: { band: string }) => band.band)).toEqual([
      'high-risk',
      'middle',
      'low-risk',
      'unscored',
    ]);
    for (const band of body.byRiskBand) {
      expect(band.treated.entered + band.holdout.entered).toBe(0);
      expect(band.retention).toBeNull();
      expect(band.verdict).toBe('too-few-to-judge');
    }
  });

  it("keeps a run in the band of its account's score when it entered, even when that day's score moves", async () => {
    const all = Object.values(accounts).flatMap((band) => groups.flatMap((runGroup) => band[runGroup]));
    await send(tend, [
      ...all.map((id) => track(person(id), 'Offer Window Opened', { accountId: id })),
      track('walk-in', 'Offer Window Opened'),
    ]);
    await advance(tend, 'PT1M');
    const entered = (await tend.admin(`/api/v1/playbooks/${playbookId}/results`)).body.byRiskBand;
    expect(entered[0].treated.entered).toBe(plans['high-risk'].runs.treated);
    // Minutes later, the same day: five high-risk accounts look healthy now; the day's health row says so.
    const recovered = accounts['high-risk'].treated.slice(10, 15);
    await send(
      tend,
      recovered.flatMap((id) => [
        group(person(id), id, { churnProbability: 0 }),
        track(person(id), 'Survey Answered', { score: 10, scale: 10 }),
      ]),
    );
    await advance(tend, 'PT1M');
    const health = (await tend.admin(`/api/v1/accounts/${recovered[0]}/health`)).body;
    expect(health.score).toBeGreaterThanOrEqual(75);
    expect(health.history).toHaveLength(1);
    expect((await tend.admin(`/api/v1/playbooks/${playbookId}/results`)).body.byRiskBand).toEqual(entered);
  });

  it('counts each band treated against held out, with the lift, its interval, p-value and verdict', async () => {
    // After entering: some cancel, some reply, some renew (the goal), as each band's plan says.
    const outcomes: Record<string, unknown>[] = [];
    for (const [band, plan] of Object.entries(plans) as [keyof typeof plans, BandPlan][]) {
      for (const runGroup of groups) {
        const ids = accounts[band][runGroup];
        const say = (count: number, event: string, from = 0) =>
          ids.slice(from, from + count).map((id) => track(person(id), event, { accountId: id }));
        outcomes.push(...say(plan.cancelled[runGroup], 'Subscription Cancelled'));
        outcomes.push(...say(plan.replied[runGroup], 'Message Replied', plan.cancelled[runGroup]));
        outcomes.push(...say(plan.renewed[runGroup], 'Plan Renewed', plan.cancelled[runGroup]));
      }
    }
    await send(tend, outcomes);
    // Past the goal's window: every run, treated or held out, has been judged on it (and the five accounts
    // that recovered have been scored healthy every day since, still counted as high risk).
    await advance(tend, 'P31D');

    const { body } = await tend.admin(`/api/v1/playbooks/${playbookId}/results`);
    const byBand = new Map(body.byRiskBand.map((band: { band: string }) => [band.band, band]));
    for (const [band, plan] of Object.entries(plans) as [keyof typeof plans, BandPlan][]) {
      const shown = byBand.get(band) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const runGroup of groups) {
        expect(shown[runGroup], `${band} ${runGroup}`).toMatchObject({
          entered: plan.runs[runGroup],
          retained: plan.runs[runGroup] - plan.cancelled[runGroup],
          responded: plan.replied[runGroup],
          goalReached: plan.renewed[runGroup],
        });
      }
      const treated = summariseRate(plan.runs.treated - plan.cancelled.treated, plan.runs.treated);
      const holdout = summariseRate(plan.runs.holdout - plan.cancelled.holdout, plan.runs.holdout);
      expect(shown.retention, band).toEqual({
        treated,
        holdout,
        lift: compareRates(treated, holdout),
        pValue: twoProportionPValue(treated, holdout),
      });
    }
    const verdicts = body.byRiskBand.map((band: { band: string; verdict: string }) => [band.band, band.verdict]);
    expect(verdicts).toEqual([
      ['high-risk', 'no-effect-shown'],
      ['middle', 'helps'],
      ['low-risk', 'too-few-to-judge'],
      ['unscored', 'too-few-to-judge'],
    ]);
    const middle = byBand.get('middle') as { retention: { lift: { absolute: number } }; explanation: string };
    expect(middle.retention.lift.absolute).toBeCloseTo(0.45, 12);
    expect(middle.explanation).toMatch(/^Helps: 95\.0 % of treated accounts retained against 50\.0 % held out/);
    // The walk-in's run: no account, so no score.
    const unscored = byBand.get('unscored') as { treated: { entered: number }; holdout: { entered: number } };
    expect(unscored.treated.entered + unscored.holdout.entered).toBe(1);
    // The bands add up to the playbook as a whole.
    for (const runGroup of groups) {
      const sum = body.byRiskBand.reduce(
        (total: number, band: Record<RunGroup, { entered: number }>) => total + band[runGroup].entered,
        0,
      );
      expect(body[runGroup].entered).toBe(sum);
    }
  });
});
