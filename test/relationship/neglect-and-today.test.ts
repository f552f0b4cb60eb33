// Cadence and neglect through the HTTP API on a manual clock: a tier-B account silent past its cadence
// is neglected; a logged call clears it, an automated e-mail does not; e-mail-only contact turns into
// async-only; and the rep's today list puts the neglected high-profit account first, saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMariasTeam, advance, group, openKinds, openSignals, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-01T09:00:00Z') } });
  await addMariasTeam(tend);
  // Profit 100k + 30k + 1k + 12k + 3k: northwind is tier A, contoso B (76 % → 99 % of profit), the rest C or B.
  await send(tend, [
    group('nina', 'northwind', { name: 'Northwind', profit: 100000, revenue: 400000, owner: 'rita@tend.example' }),
    group('carl', 'contoso', { name: 'Contoso', profit: 30000, revenue: 90000, owner: 'sam@tend.example' }),
    group('fred', 'fabrikam', { name: 'Fabrikam', profit: 1000, revenue: 8000, owner: 'rita@tend.example' }),
    group('ella', 'emailonly', { name: 'Email Only Ltd', profit: 12000, revenue: 40000, owner: 'sam@tend.example' }),
    group('otto', 'automated', { name: 'Automated Inc', profit: 3000, revenue: 20000, owner: 'sam@tend.example' }),
  ]);
});
afterAll(async () => tend?.stop());

describe('cadence and neglect', () => {
  it('ranks accounts into tiers by profit', async () => {
    await advance(tend, 'PT1M');
    const tiers = await Promise.all(
      ['northwind', 'contoso', 'fabrikam'].map(async (id) => (await tend.admin(`/api/v1/accounts/${id}`)).body),
    );
    expect(tiers.map((account) => account.id)).toEqual(['northwind', 'contoso', 'fabrikam']);
  });

  it('a tier-B account silent for 31 days is neglected; an automated e-mail does not clear neglect, a logged call does', async () => {
    await advance(tend, 'P29D');
    expect(await openKinds(tend, 'contoso')).not.toContain('neglected');
    await advance(tend, 'P2D');
    const neglected = (await openSignals(tend, 'contoso')).find((signal) => signal.kind === 'neglected');
    expect(neglected).toBeDefined();
    expect(neglected?.owner).toBe('sam@tend.example');
    expect(neglected?.reasons.join(' ')).toMatch(/30 days/);

    // Tend's own automated e-mail is a touch, not a conversation.
    await send(tend, [track('carl', 'Message Sent', { channel: 'email', subject: 'Your monthly report' })]);
    await advance(tend, 'PT1M');
    expect(await openKinds(tend, 'contoso')).toContain('neglected');

    await send(tend, [
      track('carl', 'Call Logged', {
        rep: 'sam@tend.example',
        summary: 'Talked through the renewal',
        objective: 'value share',
      }),
    ]);
    await advance(tend, 'PT1M');
    expect(await openKinds(tend, 'contoso')).not.toContain('neglected');
    const all = (await tend.admin('/api/v1/signals?accountId=contoso&kind=neglected')).body.signals;
    expect(all[0].clearedAt).not.toBeNull();
    // Raising and clearing are events too, for journeys to react to.
    const events = (await tend.admin('/api/v1/events?accountId=contoso&limit=20')).body.events.map(
      (event: { name: string }) => event.name,
    );
    expect(events).toEqual(expect.arrayContaining(['Signal Raised', 'Signal Cleared']));
  });

  it('e-mail-only contact for 90 days raises async-only, and nobody-ever-spoke raises never-spoken', async () => {
    // Sam writes to Email Only Ltd every two weeks, but nobody ever calls.
    for (let fortnight = 0; fortnight < 5; fortnight++) {
      await send(tend, [track('ella', 'Email Sent', { rep: 'sam@tend.example', summary: `Update ${fortnight + 1}` })]);
      await advance(tend, 'P14D');
    }
    const kinds = await openKinds(tend, 'emailonly');
    expect(kinds).toContain('async-only');
    expect(kinds).toContain('never-spoken');
    expect(
      (await openSignals(tend, 'emailonly')).find((signal) => signal.kind === 'async-only')?.reasons.join(' '),
    ).toMatch(/e-mail|spoken/i);
  });
});

describe("the rep's today list and the manager's oversight", () => {
  it('ranks a neglected high-profit account above a neglected low-profit one, and says why', async () => {
    const { status, body } = await tend.admin('/api/v1/users/rita@tend.example/today');
    expect(status).toBe(200);
    const ids = body.entries.map((entry: { accountId: string }) => entry.accountId);
    expect(ids).toContain('northwind');
    expect(ids).toContain('fabrikam');
    expect(ids.indexOf('northwind')).toBeLessThan(ids.indexOf('fabrikam'));
    const first = body.entries[0];
    expect(first.accountId).toBe('northwind');
    expect(first.why.join(' ')).toMatch(/neglect|no two-way|days/i);
    expect(first.suggestedMethod).toBe('phone'); // nobody has ever spoken with them
    expect(typeof first.objective).toBe('string');
    // Whom to call, what is at stake and by when: the person of the account, the margin, the cadence's due date.
    expect(first.contact).toMatchObject({ id: 'nina' });
    expect(first.valueAtStakeMinor).toBeGreaterThan(0);
    expect(first.deadlineAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(first).toHaveProperty('currency', null);
  });

  it("gives the manager each rep's coverage, neglected accounts by value and revenue at risk", async () => {
    const { status, body } = await tend.admin('/api/v1/users/maria@tend.example/oversight');
    expect(status).toBe(200);
    const rita = body.reps.find((rep: { repEmail: string }) => rep.repEmail === 'rita@tend.example');
    expect(rita.accountsOwned).toBe(2);
    expect(rita.neglected[0].accountId).toBe('northwind');
    expect(rita.revenueAtRiskMinor).toBeGreaterThan(0);
    expect(rita.withinCadenceShare).toBe(0);
  });

  it('reports unknown users with 404', async () => {
    expect((await tend.admin('/api/v1/users/nobody@tend.example/today')).status).toBe(404);
  });
});
