// Signals raised by what customers do, through the HTTP API on a manual clock: a survey score of 3
// makes a detractor at once, two tickets about one problem within 5 days make high effort, a person
// who stops signing in while a colleague carries on is disengaging on their own, and sign-ins
// falling by 70 % make the account disengaging within two weeks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advance, group, now, openKinds, openSignals, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-02-02T08:00:00Z') } });
  await send(tend, [
    group('vera', 'voiceco', { name: 'Voice Co', profit: 20000, owner: 'rita@tend.example' }),
    group('eddie', 'effortco', { name: 'Effort Co', profit: 20000, owner: 'rita@tend.example' }),
    group('dana', 'driftco', { name: 'Drift Co', profit: 20000, owner: 'rita@tend.example' }),
  ]);
});
afterAll(async () => tend?.stop());

describe('signals from what customers do', () => {
  it('a survey answer of 3 raises detractor at once, quoting the score and comment', async () => {
    await send(tend, [track('vera', 'Survey Answered', { score: 3, scale: 10, comment: 'Support never calls back' })]);
    await advance(tend, 'PT1S');
    const detractor = (await openSignals(tend, 'voiceco')).find((signal) => signal.kind === 'detractor');
    expect(detractor).toBeDefined();
    expect(detractor?.reasons.join(' ')).toMatch(/3/);
    expect(detractor?.reasons.join(' ')).toMatch(/Support never calls back/);
    // A later 9 replaces it.
    await send(tend, [track('vera', 'Survey Answered', { score: 9, scale: 10 })]);
    await advance(tend, 'PT1S');
    expect(await openKinds(tend, 'voiceco')).not.toContain('detractor');
  });

  it('two tickets about the same problem within 5 days raise high-effort', async () => {
    await send(tend, [
      track('eddie', 'Ticket Opened', { ticketId: 't-1', problem: 'Invoice export', subject: 'Export fails' }),
    ]);
    await advance(tend, 'PT2H');
    await send(tend, [track('eddie', 'Ticket Resolved', { ticketId: 't-1' })]);
    await advance(tend, 'P2D');
    expect(await openKinds(tend, 'effortco')).not.toContain('high-effort');
    await advance(tend, 'P3D');
    await send(tend, [
      track('eddie', 'Ticket Opened', { ticketId: 't-2', problem: 'invoice export', subject: 'Export still fails' }),
    ]);
    await advance(tend, 'PT1S');
    const effort = (await openSignals(tend, 'effortco')).find((signal) => signal.kind === 'high-effort');
    expect(effort?.reasons.join(' ')).toMatch(/invoice export/i);
  });

  it("a person who stops signing in while a colleague carries on raises disengaging for that person, who the signal's events name", async () => {
    const at = await now(tend);
    const day = 86_400_000;
    // Ten weeks: Nina and Tom sign in twice a day each; for the last two, Nina not at all and Tom four
    // times a day, so the account keeps its level.
    const batch: Record<string, unknown>[] = [];
    for (let dayIndex = 70; dayIndex >= 1; dayIndex--) {
      const date = new Date(at.getTime() - dayIndex * day);
      const ninaCount = dayIndex > 14 ? 2 : 0;
      const tomCount = dayIndex > 14 ? 2 : 4;
      for (let index = 0; index < ninaCount; index++)
        batch.push(track('nina', 'Signed In', {}, new Date(date.getTime() + index * 3_600_000)));
      for (let index = 0; index < tomCount; index++)
        batch.push(track('tom', 'Signed In', {}, new Date(date.getTime() + index * 3_600_000)));
    }
    await send(tend, [
      { type: 'identify', userId: 'nina', traits: { name: 'Nina Lee', email: 'nina@duo.example' } },
      group('nina', 'duoco', { name: 'Duo Co', profit: 20000, owner: 'rita@tend.example' }),
      group('tom', 'duoco', {}),
    ]);
    await send(tend, batch);
    await advance(tend, 'P1D');
    const signals = (await openSignals(tend, 'duoco')).filter((signal) => signal.kind === 'disengaging');
    expect(signals.map((signal) => [signal.instance, signal.contactId])).toEqual([['Signed In:nina', 'nina']]);
    expect(signals[0]?.reasons[0]).toMatch(
      /^Nina Lee \(nina@duo\.example\): Signed In fell from about 14 a week to 0 .* while the account as a whole has not fallen as far$/,
    );
    const raised = (await tend.admin('/api/v1/events?accountId=duoco&limit=50')).body.events.find(
      (event: { name: string; properties: { kind?: string } }) =>
        event.name === 'Signal Raised' && event.properties.kind === 'disengaging',
    );
    expect(raised).toMatchObject({ userId: 'nina', properties: { kind: 'disengaging', instance: 'Signed In:nina' } });
    // An evaluation at ingest (a survey answer) does not read the people, and leaves Nina's signal open.
    await send(tend, [track('tom', 'Survey Answered', { score: 9 })]);
    await advance(tend, 'PT1M');
    expect(
      (await openSignals(tend, 'duoco'))
        .filter((signal) => signal.kind === 'disengaging')
        .map((signal) => signal.contactId),
    ).toEqual(['nina']);
  });

  it('sign-ins dropping by 70 % raise disengaging within two weeks', async () => {
    const start = await now(tend);
    const day = 86_400_000;
    // Ten weeks at about 60 sign-ins a week (spread over weekdays), then about 18 a week.
    let raisedAfterDays: number | null = null;
    for (let dayIndex = 0; dayIndex < 10 * 7 + 21; dayIndex++) {
      const date = new Date(start.getTime() + dayIndex * day);
      const weekday = date.getUTCDay();
      const weekdayCount = weekday === 0 || weekday === 6 ? 2 : 11 + ((dayIndex * 7) % 5) - 2;
      const dropped = dayIndex >= 70;
      const count = dropped ? Math.round(weekdayCount * 0.3) : weekdayCount;
      const batch = Array.from({ length: count }, (_, index) =>
        track('dana', 'Signed In', {}, new Date(date.getTime() + 9 * 3_600_000 + index * 60_000)),
      );
      if (batch.length > 0) await send(tend, batch);
      await advance(tend, 'P1D');
      if (dropped && raisedAfterDays === null && (await openKinds(tend, 'driftco')).includes('disengaging'))
        raisedAfterDays = dayIndex - 70 + 1;
      if (!dropped)
        expect(await openKinds(tend, 'driftco'), `false alarm on day ${dayIndex}`).not.toContain('disengaging');
    }
    expect(raisedAfterDays).not.toBeNull();
    expect(raisedAfterDays as number).toBeLessThanOrEqual(14);
    const signal = (await openSignals(tend, 'driftco')).find((candidate) => candidate.kind === 'disengaging');
    expect(signal?.reasons.join(' ')).toMatch(/fell from about \d+ a week to \d+/);
  }, 300_000);
});

describe('at-risk from the purchase model', () => {
  it('a frequent buyer who stops buying gets a low P(alive) and an at-risk signal with the margin at stake', async () => {
    // Half a year of purchases, sent when it is over (events dated ahead of the clock are refused).
    const shop = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-07-04T10:00:00Z') } });
    try {
      const day = 86_400_000;
      const start = new Date('2026-01-05T10:00:00Z').getTime();
      const batch: Record<string, unknown>[] = [];
      // 30 buyers, from every 4 to every 60 days, a third of whom stopped at some point (buyers who all
      // buy alike and never stop give a fit that never converges, and so no P(alive)); and one that
      // bought weekly for 10 weeks, then stopped.
      for (let buyer = 0; buyer < 30; buyer++) {
        batch.push(group(`buyer-${buyer}`, `shop-${buyer}`, { name: `Shop ${buyer}`, profit: 2000 + buyer }));
        const every = [4, 9, 15, 25, 40, 60][buyer % 6] as number;
        const stopsAt = start + (buyer % 3 === 2 ? 30 + ((buyer * 7) % 90) : 180) * day;
        for (let at = start + (buyer % 5) * day; at < stopsAt; at += every * day) {
          batch.push(track(`buyer-${buyer}`, 'Order Completed', { total: 40 }, new Date(at)));
        }
      }
      batch.push(group('gone', 'gone-shop', { name: 'Gone Shop', profit: 9000 }));
      for (let week = 0; week < 10; week++)
        batch.push(track('gone', 'Order Completed', { total: 50 }, new Date(start + week * 7 * day)));
      for (let index = 0; index < batch.length; index += 400) await send(shop, batch.slice(index, index + 400));
      await advance(shop, 'P1D');
      const atRisk = (await openSignals(shop, 'gone-shop')).find((signal) => signal.kind === 'at-risk');
      expect(atRisk).toBeDefined();
      expect(atRisk?.reasons.join(' ')).toMatch(/still an active customer/);
      expect(atRisk?.valueAtStake).toBeGreaterThan(0);
      expect(await openKinds(shop, 'shop-3')).not.toContain('at-risk');
    } finally {
      await shop.stop();
    }
  }, 300_000);
});

describe('which events queue their account for a look', () => {
  it('facts, touches, traits and first occurrences do; a repeated product event or a sign-in does not', async () => {
    // No engine: the due marks stay as ingest left them.
    const quiet = await startTestTend({
      clock: { kind: 'manual', start: new Date('2026-03-02T08:00:00Z') },
      settings: { worker: false },
    });
    try {
      const database = quiet.tend.store.database;
      const queued = async (): Promise<boolean> => {
        const rows = await database
          .deleteFrom('account_event_queue')
          .where('account_id', '=', 'queueco')
          .returning('due_at')
          .execute();
        return rows.length > 0;
      };
      await send(quiet, [group('quinn', 'queueco', { name: 'Queue Co', profit: 1000 })]);
      expect(await queued(), 'group (traits)').toBe(true);
      await send(quiet, [track('quinn', 'Feature Used', { feature: 'reports' })]);
      expect(await queued(), 'first Feature Used (an activation event)').toBe(true);
      const page = { type: 'page', userId: 'quinn', name: 'Home', context: { groupId: 'queueco' } };
      await send(quiet, [track('quinn', 'Signed In'), page]);
      expect(await queued(), 'the first sign-in and page view').toBe(true);
      await send(quiet, [track('quinn', 'Feature Used', { feature: 'exports' }), track('quinn', 'Signed In'), page]);
      await send(quiet, [track('quinn', 'Signed In')]);
      expect(await queued(), 'a repeated Feature Used, sign-ins and a page view').toBe(false);
      await send(quiet, [track('quinn', 'Survey Answered', { score: 4 })]);
      expect(await queued(), 'a survey answer (a fact)').toBe(true);
      await send(quiet, [track('quinn', 'Call Logged', { rep: 'rita@tend.example' })]);
      expect(await queued(), 'a logged call (a touch)').toBe(true);
    } finally {
      await quiet.stop();
    }
  });
});
