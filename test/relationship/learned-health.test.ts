// The health score that learns, on a running Tend with the manual clock: a small book where unhappy
// customers (a low survey) leave and neglect does not matter. The weekly refit during the clock's advance
// learns that voice weighs most, beats the configured weights out of time, and the accounts' health says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const accounts = 40;
const weeks = 20;
/** Half the accounts answered the survey unhappily; of each half, every other one is called weekly. */
const unhappy = (i: number) => i % 2 === 0;
const called = (i: number) => i % 4 < 2;
/** Each unhappy account cancels in one of weeks 2 to 16, but the last two, who stay (unhappy still). */
const cancelWeek = (i: number) => (unhappy(i) && i < 36 ? 2 + ((i / 2) % 15) : null);

let tend: TestTend;
beforeAll(async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tend-learned-'));
  const configPath = join(directory, 'tend.config.yaml');
  // One tier, a weekly call expected: an account not called is neglected within two weeks.
  writeFileSync(
    configPath,
    [
      'value:',
      '  tiers: [{ name: A, upToShare: 1 }]',
      'cadence:',
      '  A: { everyDays: 7, objective: check-in, methods: [phone] }',
      'health:',
      '  learning: { minimumLostAccounts: 5 }',
      '',
    ].join('\n'),
  );
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-05T00:00:00Z') }, configPath });
}, 60_000);
afterAll(async () => tend?.stop());

describe('the health score that learns', () => {
  it('keeps the configured weights on a new book, and says why', async () => {
    // A start without a fit fits before it answers.
    const { status, body } = await tend.admin('/api/v1/health/model');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'fallback', source: 'hand', samples: 0, lostAccounts: 0 });
    expect(body.reason).toMatch(/too few losses to learn from/);
    expect(body.weights).toEqual(body.handWeights);
  });

  it('learns from the losses the clock reveals that voice weighs most, and scores accounts with it', async () => {
    const user = (i: number) => `person-${i}`;
    const account = (i: number) => `account-${i}`;
    await send(
      tend,
      Array.from({ length: accounts }, (_, i) => [
        group(user(i), account(i), { name: `Account ${i}` }),
        track(user(i), 'Survey Answered', { score: unhappy(i) ? 2 : 9 }),
      ]).flat(),
    );
    for (let week = 0; week < weeks; week++) {
      const batch = [];
      for (let i = 0; i < accounts; i++) {
        const cancelled = cancelWeek(i);
        if (cancelled !== null && cancelled < week) continue;
        if (cancelled === week) batch.push(track(user(i), 'Subscription Cancelled', {}));
        else if (called(i))
          batch.push(track(user(i), 'Call Logged', { rep: 'rita@tend.example', summary: 'Check-in' }));
      }
      if (batch.length > 0) await send(tend, batch);
      await advance(tend, 'P7D');
    }

    const now = new Date((await tend.admin('/api/v1/clock')).body.now);
    const { body: model } = await tend.admin('/api/v1/health/model');
    expect(model).toMatchObject({ status: 'learned', source: 'learned', reason: null, minimumLostAccounts: 5 });
    // Refitted during the advances, weekly: the latest fit is less than a week old.
    expect(now.getTime() - Date.parse(model.fittedAt)).toBeLessThan(7 * 86_400_000);
    expect(Date.parse(model.nextRefitAt) - Date.parse(model.fittedAt)).toBe(7 * 86_400_000);
    expect(model.weights.voice).toBeGreaterThan(0.6);
    expect(model.weights.voice).toBeGreaterThan(model.weights.relationship);
    expect(model.quality.scoreAuc).toBeGreaterThan(model.quality.handAuc);
    expect(model.quality.testLosses).toBeGreaterThan(0);
    expect(model.lostAccounts).toBeGreaterThanOrEqual(5);
    expect(model.window.lastDay <= new Date(now.getTime() - 92 * 86_400_000).toISOString().slice(0, 10)).toBe(true);

    // Unhappy and called: the configured weights think it healthy, the learned ones see the risk.
    const { status, body: health } = await tend.admin(`/api/v1/accounts/${account(36)}/health`);
    expect(status).toBe(200);
    expect(health.weightsSource).toBe('learned');
    expect(health.churnProbability).toBeGreaterThan(0);
    expect(health.configuredScore).toBeGreaterThan(health.score);
    const voice = health.components.find((component: { name: string }) => component.name === 'voice');
    const heaviest = [...health.components].sort((a: { pull: number }, b: { pull: number }) => b.pull - a.pull)[0];
    expect(heaviest.name).toBe('voice');
    expect(voice.pull).toBeCloseTo(voice.weight * (100 - voice.score), 10);
    expect(health.history.at(-1)).toMatchObject({ score: health.score, configuredScore: health.configuredScore });
  }, 240_000);

  it('reads up to 400 days of history, and says so beyond', async () => {
    const { status, body } = await tend.admin('/api/v1/accounts/account-1/health?days=400');
    expect(status).toBe(200);
    expect(body.history.length).toBeGreaterThan(weeks * 7 - 2);
    expect((await tend.admin('/api/v1/accounts/account-1/health?days=3')).body.history).toHaveLength(3);
    const beyond = await tend.admin('/api/v1/accounts/account-1/health?days=401');
    expect(beyond.status).toBe(400);
    expect(beyond.body.errors).toEqual([{ field: 'querystring.days', message: 'must be <= 400' }]);
  });

  it('shows the weights to anyone signed in, and refits for admins only', async () => {
    const rita = await signIn(tend, { email: 'rita@tend.example', role: 'rep' });
    const seen = await rita.get('/api/v1/health/model');
    expect(seen.status).toBe(200);
    expect(seen.body.source).toBe('learned');
    expect((await rita.post('/api/v1/health/model/refit')).status).toBe(403);
  });

  it('refits when an admin asks', async () => {
    const { status, body } = await tend.post('/api/v1/health/model/refit', {});
    expect(status).toBe(200);
    expect(body.status).toBe('learned');
    expect(body.fittedAt).toBe((await tend.admin('/api/v1/clock')).body.now);
  });
});
