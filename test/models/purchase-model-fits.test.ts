// The daily purchase-model fit on a running Tend: a fit that converged sets P(alive) and is shown with
// its log-likelihood at GET /api/v1/models/purchase; one that did not converge, or failed, sets nothing
// (every account keeps the P(alive) of the last good fit), says why at warn, and is shown as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../src/domain/models/bg-nbd.js';
import { refreshProbabilityAlive } from '../../src/engine/purchase-model.js';
import { advance, group, openKinds, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const day = 86_400_000;
const historyStart = new Date('2026-01-05T10:00:00Z').getTime();
const clockStart = new Date('2026-07-06T10:00:00Z');
let shop: TestTend;

beforeAll(async () => {
  shop = await startTestTend({ clock: { kind: 'manual', start: clockStart } });
});
afterAll(async () => shop?.stop());

/**
 * Sends half a year of purchases: 30 buyers, each buying every `every(buyer)` days until `stopsAt(buyer)`
 * (days after the start), and one that bought weekly for 10 weeks, then stopped.
 */
async function sendPurchases(tend: TestTend, every: (buyer: number) => number, stopsAt: (buyer: number) => number) {
  const batch: Record<string, unknown>[] = [];
  for (let buyer = 0; buyer < 30; buyer++) {
    batch.push(group(`buyer-${buyer}`, `shop-${buyer}`, { name: `Shop ${buyer}`, profit: 2000 + buyer }));
    const end = historyStart + stopsAt(buyer) * day;
    for (let at = historyStart + (buyer % 5) * day; at < end; at += every(buyer) * day) {
      batch.push(track(`buyer-${buyer}`, 'Order Completed', { total: 40 }, new Date(at)));
    }
  }
  batch.push(group('gone', 'gone-shop', { name: 'Gone Shop', profit: 9000 }));
  for (let week = 0; week < 10; week++) {
    batch.push(track('gone', 'Order Completed', { total: 50 }, new Date(historyStart + week * 7 * day)));
  }
  for (let index = 0; index < batch.length; index += 400) await send(tend, batch.slice(index, index + 400));
}

/** Each account's stored P(alive), by id. */
async function probabilities(tend: TestTend): Promise<Record<string, number | null>> {
  const rows = await tend.tend.store.database.selectFrom('accounts').select(['id', 'probability_alive']).execute();
  return Object.fromEntries(rows.map((row) => [row.id, row.probability_alive]));
}

const purchaseModel = async (tend: TestTend) => {
  const { status, body } = await tend.admin('/api/v1/models/purchase');
  expect(status).toBe(200);
  return body;
};

describe('the daily purchase-model fit', () => {
  it('is skipped, and says why, before there are purchases', async () => {
    await advance(shop, 'PT1M');
    const { latest, inUse, minimumRepeatBuyers } = await purchaseModel(shop);
    expect(minimumRepeatBuyers).toBe(20);
    expect(latest).toMatchObject({ outcome: 'skipped', customers: 0, converged: null, logLikelihood: null });
    expect(latest.accountsUpdated).toBe(0);
    expect(latest.reason).toBe('no account has a purchase yet');
    expect(inUse).toBeNull();
  });

  it('sets P(alive) from a fit that converged, and reports it with its log-likelihood', async () => {
    // Buyers from every 4 to every 60 days, a third of whom stopped at some point. (Buyers who all buy
    // alike and never stop put the likelihood's maximum at infinite parameters: see the last test.)
    const every = (buyer: number) => [4, 9, 15, 25, 40, 60][buyer % 6] as number;
    await sendPurchases(shop, every, (buyer) => (buyer % 3 === 2 ? 30 + ((buyer * 7) % 90) : 180));
    await advance(shop, 'P1D');

    const { latest, inUse } = await purchaseModel(shop);
    expect(latest).toMatchObject({ outcome: 'fitted', customers: 31, repeatBuyers: 29, converged: true });
    expect(latest.accountsUpdated).toBe(31);
    expect(latest.reason).toBeNull();
    expect(latest.fittedAt).toBe('2026-07-07T00:00:00.000Z');
    expect(Number.isFinite(latest.logLikelihood)).toBe(true);
    expect(latest.logLikelihood).toBeLessThan(0);
    expect(Object.keys(latest.parameters).sort()).toEqual(['a', 'alpha', 'b', 'r']);
    expect(inUse).toEqual(latest);
    const stored = await probabilities(shop);
    expect(stored['gone-shop']).toBeLessThan(0.5);
    expect(stored['shop-3']).toBeGreaterThan(0.5);
  });

  it('keeps every P(alive) from a fit that did not converge, warns why, and reports converged false', async () => {
    const before = await probabilities(shop);
    const lastGood = (await purchaseModel(shop)).inUse;
    const warnings: { message: string; details: Record<string, unknown> }[] = [];
    // The optimiser gave up at parameters that would call every customer lost.
    const lost = { r: 0.5, alpha: 1, a: 500, b: 0.01 };
    const stalled = await refreshProbabilityAlive(shop.tend.store.database, shop.tend.clock.now(), {
      fitter: (groups) => ({ ...fitBgNbd(groups), parameters: lost, converged: false }),
      onWarning: (message, details) => warnings.push({ message, details }),
    });
    expect(stalled).toMatchObject({ outcome: 'not-converged', converged: false, accountsUpdated: 0 });
    expect(await probabilities(shop)).toEqual(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/not used \(the optimiser stopped after \d+ evaluations without converging\)/);
    expect(warnings[0]?.message).toContain('accounts keep the P(alive) of the last fit that converged');
    expect(warnings[0]?.details).toMatchObject({ outcome: 'not-converged', converged: false, customers: 31 });

    const { latest, inUse, recent } = await purchaseModel(shop);
    expect(latest).toMatchObject({ outcome: 'not-converged', converged: false, customers: 31, accountsUpdated: 0 });
    expect(latest.reason).toMatch(/without converging/);
    expect(Number.isFinite(latest.logLikelihood)).toBe(true);
    expect(inUse).toEqual(lastGood);
    expect(recent.map((fit: { outcome: string }) => fit.outcome)).toEqual(['not-converged', 'fitted', 'skipped']);
  });

  it('keeps every P(alive) from a fit that failed outright, and reports why', async () => {
    const before = await probabilities(shop);
    const warnings: string[] = [];
    const failed = await refreshProbabilityAlive(shop.tend.store.database, shop.tend.clock.now(), {
      fitter: () => {
        throw new Error('the likelihood was not finite at any start');
      },
      onWarning: (message) => warnings.push(message),
    });
    const why = 'the fit failed: the likelihood was not finite at any start';
    expect(failed).toMatchObject({ outcome: 'failed', converged: null, logLikelihood: null, parameters: null });
    expect(failed.reason).toBe(why);
    expect(await probabilities(shop)).toEqual(before);
    expect(warnings).toHaveLength(1);
    expect((await purchaseModel(shop)).latest).toMatchObject({ outcome: 'failed', reason: why });
  });

  it('is behind the admin token', async () => {
    expect((await fetch(`${shop.url}/api/v1/models/purchase`)).status).toBe(401);
  });
});

describe('a base on which the fit cannot converge', () => {
  it('gets no P(alive) and no at-risk signal from it', async () => {
    const alike = await startTestTend({ clock: { kind: 'manual', start: clockStart } });
    try {
      // 30 buyers who all buy every 7–12 days and never stop: the likelihood rises without end toward
      // infinite r and α (everyone buys at one rate), and the optimiser stops without converging.
      await sendPurchases(
        alike,
        (buyer) => 7 + (buyer % 6),
        () => 180,
      );
      await advance(alike, 'P1D');

      const { latest, inUse } = await purchaseModel(alike);
      expect(latest).toMatchObject({ outcome: 'not-converged', converged: false, customers: 31, repeatBuyers: 31 });
      expect(latest.accountsUpdated).toBe(0);
      expect(inUse).toBeNull();
      expect(Object.values(await probabilities(alike)).filter((value) => value !== null)).toEqual([]);
      expect(await openKinds(alike, 'gone-shop')).not.toContain('at-risk');
    } finally {
      await alike.stop();
    }
  });
});
