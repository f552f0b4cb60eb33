// Oversight adds up what each account's evaluation stored (its part: neglected, e-mail only, money at
// risk), so its figures must be those a live evaluation of every account gives, and follow the signals
// as they change: the call that clears an account's neglect takes it out of the neglected. A rep's row
// lists the ten most valuable neglected accounts and counts them all; answer times come from customers'
// messages in conversations and the rep's answers; signals past their deadline from the open signals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateAccount } from '../../src/domain/relationship/account-signals.js';
import { accountOversight } from '../../src/domain/relationship/oversight.js';
import { loadAccountSnapshots } from '../../src/store/account-snapshots.js';
import { signIn } from '../support/people.js';
import { addMariasTeam, advance, group, openKinds, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;

interface RepRow {
  repEmail: string;
  accountsOwned: number;
  withinCadenceShare: number | null;
  neglectedAccounts: number;
  neglected: { accountId: string; name: string | null; valueMinor: number }[];
  asyncOnlyShare: number | null;
  medianResponseMinutes: number | null;
  signalsPastDeadline: number;
  revenueAtRiskMinor: number;
  revenueAtRisk: { currency: string | null; amountMinor: number }[];
  tiers: { tier: string | null; accounts: number; withinCadence: number }[];
}

// Rita owns fourteen accounts, more than a row lists; Sam two, one of them written to by e-mail only.
const ritas = Array.from({ length: 14 }, (_, index) => ({
  id: `r${String(index).padStart(2, '0')}`,
  profit: (index + 1) * 1000,
}));

const inboundSecret = 'oversight-inbound-secret';
const replyDomain = 'replies.tend.example';

beforeAll(async () => {
  tend = await startTestTend({
    clock: { kind: 'manual', start: new Date('2026-01-01T09:00:00Z') },
    settings: { channels: { TEND_REPLY_DOMAIN: replyDomain, TEND_INBOUND_EMAIL_SECRET: inboundSecret } },
  });
  await addMariasTeam(tend);
  await send(tend, [
    { type: 'identify', userId: 'carl', traits: { email: 'carl@contoso.example', name: 'Carl' } },
    ...ritas.map((account) => {
      const traits = { name: `Account ${account.id}`, profit: account.profit, owner: 'rita@tend.example' };
      return group(`p-${account.id}`, account.id, traits);
    }),
    group('carl', 'contoso', { name: 'Contoso', profit: 30000, currency: 'EUR', owner: 'sam@tend.example' }),
    group('ella', 'emailonly', { name: 'Email Only Ltd', profit: 12000, currency: 'CHF', owner: 'sam@tend.example' }),
  ]);
  await advance(tend, 'PT1M');
  // Sam calls Contoso every few weeks and only writes to Email Only Ltd; nobody calls Rita's accounts.
  for (let month = 0; month < 4; month++) {
    await send(tend, [
      track('carl', 'Call Logged', { rep: 'sam@tend.example', summary: `Check-in ${month + 1}` }),
      track('ella', 'Email Sent', { rep: 'sam@tend.example', summary: `Update ${month + 1}` }),
    ]);
    await advance(tend, 'P25D');
  }
});
afterAll(async () => tend?.stop());

const rowsOf = async (): Promise<RepRow[]> => {
  const answer = await tend.admin('/api/v1/users/maria@tend.example/oversight');
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.reps;
};
const rowOf = async (email: string): Promise<RepRow> => (await rowsOf()).find((row) => row.repEmail === email)!;

/** The figures of a live evaluation of every account the person owns, as oversight computed them before. */
async function liveFigures(email: string) {
  const { store, clock, config } = tend.tend;
  const now = clock.now();
  const owned = await store.database.selectFrom('accounts').select('id').where('owner_email', '=', email).execute();
  const snapshots = await loadAccountSnapshots(
    store.database,
    owned.map((row) => row.id),
    now,
    config,
  );
  const parts = snapshots.map((snapshot) => ({
    snapshot,
    part: accountOversight(evaluateAccount(snapshot, config, now).signals),
  }));
  const tiers = new Map<string | null, { accounts: number; withinCadence: number }>();
  for (const { snapshot, part } of parts) {
    const tier = tiers.get(snapshot.tier) ?? { accounts: 0, withinCadence: 0 };
    tier.accounts += 1;
    tier.withinCadence += part.neglected ? 0 : 1;
    tiers.set(snapshot.tier, tier);
  }
  return {
    accountsOwned: parts.length,
    neglected: parts
      .filter(({ part }) => part.neglected)
      .map(({ snapshot }) => snapshot.accountId)
      .sort(),
    asyncOnly: parts.filter(({ part }) => part.asyncOnly).length,
    revenueAtRiskMinor: parts.reduce((total, { part }) => total + part.revenueAtRiskMinor, 0),
    tiers: [...tiers.entries()].map(([tier, counts]) => ({ tier, ...counts })),
  };
}

describe('oversight from the stored standing', () => {
  it('gives the figures a live evaluation of every account gives', async () => {
    for (const email of ['rita@tend.example', 'sam@tend.example']) {
      const row = await rowOf(email);
      const live = await liveFigures(email);
      expect(row.accountsOwned, email).toBe(live.accountsOwned);
      expect(row.neglectedAccounts, email).toBe(live.neglected.length);
      expect(row.asyncOnlyShare, email).toBeCloseTo(live.asyncOnly / live.accountsOwned, 10);
      expect(row.revenueAtRiskMinor, email).toBe(live.revenueAtRiskMinor);
      expect(row.tiers, email).toEqual(expect.arrayContaining(live.tiers));
      expect(row.tiers.length, email).toBe(live.tiers.length);
    }
    const sam = await rowOf('sam@tend.example');
    expect(sam.asyncOnlyShare).toBe(0.5);
    expect(sam.neglectedAccounts).toBe(2); // e-mail is not a conversation
    // Francs and euros at risk stay apart, and add up to what the single figure says.
    expect(sam.revenueAtRisk.map((money) => money.currency).sort()).toEqual(['CHF', 'EUR']);
    expect(sam.revenueAtRisk.reduce((total, money) => total + money.amountMinor, 0)).toBe(sam.revenueAtRiskMinor);
    expect(sam.revenueAtRisk.every((money) => money.amountMinor > 0)).toBe(true);
  });

  it("lists Rita's ten most valuable neglected accounts and counts all fourteen", async () => {
    const rita = await rowOf('rita@tend.example');
    expect(rita.neglectedAccounts).toBe(14);
    expect(rita.withinCadenceShare).toBe(0);
    const listed = ['r13', 'r12', 'r11', 'r10', 'r09', 'r08', 'r07', 'r06', 'r05', 'r04'];
    expect(rita.neglected.map((account) => account.accountId)).toEqual(listed);
    expect(rita.neglected[0]).toEqual({ accountId: 'r13', name: 'Account r13', valueMinor: 14000 * 100 });
    // Every neglected signal's deadline (the cadence's due date) has passed.
    const open = await tend.admin('/api/v1/signals?ownerId=rita@tend.example&open=true&limit=500');
    const now = tend.tend.clock.now().getTime();
    const past = (open.body.signals as { deadlineAt: string | null }[]).filter(
      (signal) => signal.deadlineAt !== null && Date.parse(signal.deadlineAt) <= now,
    );
    expect(rita.signalsPastDeadline).toBe(past.length);
    expect(rita.signalsPastDeadline).toBeGreaterThanOrEqual(14);
  });

  it('takes an account out of the neglected when the call logged clears its signal', async () => {
    const before = await rowOf('rita@tend.example');
    const call = { accountId: 'r13', rep: 'rita@tend.example', channel: 'phone', direction: 'outbound', summary: 'Hi' };
    const logged = await tend.post('/api/v1/interactions', call);
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    await advance(tend, 'PT1M');
    expect(await openKinds(tend, 'r13')).not.toContain('neglected');
    const after = await rowOf('rita@tend.example');
    expect(after.neglectedAccounts).toBe(13);
    expect(after.withinCadenceShare).toBeCloseTo(1 / 14, 10);
    const listed = ['r12', 'r11', 'r10', 'r09', 'r08', 'r07', 'r06', 'r05', 'r04', 'r03'];
    expect(after.neglected.map((account) => account.accountId)).toEqual(listed);
    expect(after.revenueAtRiskMinor).toBeLessThan(before.revenueAtRiskMinor);
    expect(after.revenueAtRiskMinor).toBe((await liveFigures('rita@tend.example')).revenueAtRiskMinor);
  });

  it("measures how long the last 30 days' messages in conversations waited for the rep's answer", async () => {
    const authorization = `Basic ${Buffer.from(`tend:${inboundSecret}`).toString('base64')}`;
    const carlWrites = async (messageId: string) => {
      const mail = {
        from: 'carl@contoso.example',
        to: `help@${replyDomain}`,
        text: 'The export fails',
        messageId,
        // The relay's verdict on the sender: only a proven From address names a contact.
        authenticationResults: `mx.${replyDomain}; spf=pass smtp.mailfrom=carl@contoso.example`,
      };
      const headers = { 'content-type': 'application/json', authorization };
      const posted = await fetch(`${tend.url}/webhooks/email/inbound`, {
        method: 'POST',
        headers,
        body: JSON.stringify(mail),
      });
      expect(posted.status).toBe(200);
    };
    expect((await rowOf('sam@tend.example')).medianResponseMinutes).toBeNull();
    // Carl writes in; Sam answers from his own mailbox 90 minutes later (a touch): the conversation is answered.
    await carlWrites('<c1@contoso.example>');
    await advance(tend, 'PT90M');
    await send(tend, [track('carl', 'Email Sent', { rep: 'sam@tend.example', summary: 'Looking into it' })]);
    await advance(tend, 'PT1M');
    expect((await rowOf('sam@tend.example')).medianResponseMinutes).toBe(90);
    const [conversation] = (await tend.admin('/api/v1/conversations?accountId=contoso')).body.conversations;
    expect(conversation).toMatchObject({ status: 'answered', waitingSince: null });
    // He writes again; Sam answers from the conversation in Tend half an hour later.
    await carlWrites('<c2@contoso.example>');
    await advance(tend, 'PT30M');
    const sam = await signIn(tend, { email: 'sam@tend.example', role: 'rep', managerEmail: 'maria@tend.example' });
    const replied = await sam.post(`/api/v1/conversations/${conversation.id}/reply`, { text: 'Fixed now.' });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    await advance(tend, 'PT1M');
    expect((await rowOf('sam@tend.example')).medianResponseMinutes).toBe(60);
    // A ticket is no conversation: its answer time does not count.
    await send(tend, [track('carl', 'Ticket Opened', { ticketId: 't-2', subject: 'Login' })]);
    await advance(tend, 'PT5M');
    await send(tend, [track('carl', 'Ticket Resolved', { ticketId: 't-2' })]);
    await advance(tend, 'PT1M');
    expect((await rowOf('sam@tend.example')).medianResponseMinutes).toBe(60);
    // A month on, those messages are past the period shown.
    await advance(tend, 'P31D');
    expect((await rowOf('sam@tend.example')).medianResponseMinutes).toBeNull();
  });
});
