// What an account is worth when it is billed through invoices, touches logged through
// POST /api/v1/interactions (by account or by person), the signals API's filters and its answer to a
// wrong kind, the health endpoint, and the relationship commands (`tend today`, `tend oversight`,
// `tend signals`, `tend import users`) against the same running Tend, on a manual clock.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { addMariasTeam, advance, group, now, openKinds, openSignals, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
const start = new Date('2026-01-01T09:00:00Z');
const daysBefore = (days: number) => new Date(start.getTime() - days * 86_400_000);

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start } });
  await addMariasTeam(tend);
  // Billed Co has no revenue or profit traits: it pays invoices (30 000 a year, 9 000 of it margin;
  // the invoice of 400 days ago is outside the year's window). Small Co states a profit of 1 000.
  await send(tend, [
    group('ivy', 'billed', { name: 'Billed Co', owner: 'rita@tend.example' }),
    group('sol', 'small', { name: 'Small Co', profit: 1000, revenue: 4000, owner: 'rita@tend.example' }),
    group('tom', 'other', { name: 'Other Co', profit: 500, owner: 'sam@tend.example' }),
    track('ivy', 'Invoice Paid', { invoiceId: 'B-1', amount: 10000, margin: 3000 }, daysBefore(200)),
    track('ivy', 'Invoice Paid', { invoiceId: 'B-2', amount: '20000', margin: 6000 }, daysBefore(20)),
    track('ivy', 'Invoice Paid', { invoiceId: 'B-0', amount: 99999, margin: 99999 }, daysBefore(400)),
    track('ivy', 'Invoice Paid', { invoiceId: 'B-x', amount: 'unknown', margin: 'n/a' }, daysBefore(10)),
  ]);
  await advance(tend, 'PT1M');
});
afterAll(async () => tend?.stop());

describe('value from paid invoices', () => {
  it('ranks and values an account billed through invoices by what it paid in the window', async () => {
    const book = (await tend.admin('/api/v1/audit?ownerId=rita@tend.example')).body;
    const billed = book.accounts.find((account: { accountId: string }) => account.accountId === 'billed');
    expect(billed).toMatchObject({ value: 9000, tier: 'A' });
    expect(book.accounts.find((account: { accountId: string }) => account.accountId === 'small')).toMatchObject({
      value: 1000,
    });
  });

  it('puts its yearly margin at stake when it is neglected, and ranks it first on the today list', async () => {
    await advance(tend, 'P15D');
    const neglected = (await openSignals(tend, 'billed')).find((signal) => signal.kind === 'neglected');
    expect(neglected?.valueAtStake).toBe(9000);
    const today = (await tend.admin('/api/v1/users/rita@tend.example/today')).body;
    expect(today.entries[0].accountId).toBe('billed');
  });
});

describe('POST /api/v1/interactions', () => {
  it("counts a call logged against a person for the person's account, and it clears neglect", async () => {
    const logged = await tend.post('/api/v1/interactions', {
      userId: 'ivy',
      rep: 'rita@tend.example',
      channel: 'phone',
      direction: 'outbound',
      summary: 'Quarterly review',
    });
    expect(logged.status, JSON.stringify(logged.body)).toBe(201);
    expect(logged.body.accountId).toBe('billed');
    await advance(tend, 'PT1M');
    expect(await openKinds(tend, 'billed')).not.toContain('neglected');
    const audit = (await tend.admin('/api/v1/accounts/billed/audit')).body;
    expect(audit.windows[0]).toMatchObject({ days: 30, byChannel: { phone: 1 }, byActor: { rep: 1 } });
    // The rep's book as a whole, in the same words.
    const book = (await tend.admin('/api/v1/audit?ownerId=rita@tend.example')).body;
    expect(book.byRep).toEqual([
      expect.objectContaining({ repEmail: 'rita@tend.example', accounts: 2, touches90: 1, spokenShare: 1 }),
    ]);
    expect(book.byRep[0].windows.map((window: { days: number; total: number }) => [window.days, window.total])).toEqual(
      [
        [30, 1],
        [90, 1],
        [365, 1],
      ],
    );
    expect(book.byRep[0].windows[0]).toMatchObject({
      byChannel: { phone: 1, email: 0 },
      byDirection: { outbound: 1, inbound: 0 },
      twoWay: 1,
      spokenShare: 1,
    });
  });

  it('refuses a touch that would count for no account, naming what to send instead, and stores nothing', async () => {
    const nobody = await tend.post('/api/v1/interactions', {
      userId: 'stranger',
      channel: 'phone',
      direction: 'outbound',
    });
    expect(nobody.status).toBe(400);
    expect(nobody.body.message).toMatch(/"stranger" is in no account.*Send accountId/);
    const unknown = await tend.post('/api/v1/interactions', {
      accountId: 'no-such-account',
      channel: 'phone',
      direction: 'outbound',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/no account "no-such-account"/);
    const badChannel = await tend.post('/api/v1/interactions', {
      accountId: 'billed',
      channel: 'pigeon',
      direction: 'outbound',
    });
    expect(badChannel.status).toBe(400);
    expect(badChannel.body.message).toMatch(/channel must be one of phone, video, meeting/);
    const audit = (await tend.admin('/api/v1/accounts/billed/audit')).body;
    expect(audit.windows[0].total).toBe(1);
  });
});

describe('the signals and health API', () => {
  it('filters signals by owner, and answers a wrong kind with the kinds there are', async () => {
    await send(tend, [track('sol', 'Survey Answered', { score: 2 }), track('tom', 'Survey Answered', { score: 1 })]);
    await advance(tend, 'PT1M');
    const ritas = (await tend.admin('/api/v1/signals?ownerId=rita@tend.example&open=true')).body.signals as {
      owner: string;
    }[];
    expect(ritas.length).toBeGreaterThan(0);
    expect(new Set(ritas.map((signal) => signal.owner))).toEqual(new Set(['rita@tend.example']));
    const sams = (await tend.admin('/api/v1/signals?ownerId=sam@tend.example&open=true')).body.signals as {
      accountId: string;
    }[];
    expect(sams.map((signal) => signal.accountId)).toContain('other');
    expect(sams.map((signal) => signal.accountId)).not.toContain('billed');
    const wrong = await tend.admin('/api/v1/signals?kind=neglect');
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/querystring\.kind must be one of neglected, .*detractor/);
    expect(wrong.body.message).not.toMatch(/equal to constant/);
  });

  it("gives an account's health score with its components, and 404 for an account it does not know", async () => {
    const health = await tend.admin('/api/v1/accounts/billed/health');
    expect(health.status).toBe(200);
    expect(health.body.score).toBeGreaterThanOrEqual(0);
    expect(health.body.score).toBeLessThanOrEqual(100);
    expect(health.body.components.length).toBeGreaterThan(0);
    const missing = await tend.admin('/api/v1/accounts/nowhere/health');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toMatch(/"nowhere"/);
  });
});

describe('the relationship commands', () => {
  it('tend today and tend oversight show what the API shows, at the time given', async () => {
    const at = (await now(tend)).toISOString();
    const today = await runTend(['today', '--rep', 'rita@tend.example', '--at', at, '--json'], tend.environment);
    expect(today.stderr).toBe('');
    const api = (await tend.admin('/api/v1/users/rita@tend.example/today')).body;
    expect(JSON.parse(today.stdout).entries.map((entry: { accountId: string }) => entry.accountId)).toEqual(
      api.entries.map((entry: { accountId: string }) => entry.accountId),
    );
    const oversight = await runTend(
      ['oversight', '--manager', 'maria@tend.example', '--at', at, '--json'],
      tend.environment,
    );
    expect(oversight.code, oversight.stderr).toBe(0);
    const emails = (view: { reps: { repEmail: string }[] }) => view.reps.map((rep) => rep.repEmail).sort();
    expect(emails(JSON.parse(oversight.stdout))).toEqual(
      emails((await tend.admin('/api/v1/users/maria@tend.example/oversight')).body),
    );
    expect(emails(JSON.parse(oversight.stdout))).toEqual(
      expect.arrayContaining(['rita@tend.example', 'sam@tend.example']),
    );
  });

  it('names a wrong --kind, a wrong --size, and a manual clock without --at', async () => {
    const kind = await runTend(['signals', '--kind', 'neglect'], tend.environment);
    expect(kind.code).not.toBe(0);
    expect(kind.stderr).toMatch(/--kind must be one of neglected, .*; got "neglect"/);
    const size = await runTend(['today', '--rep', 'rita@tend.example', '--size', 'lots'], tend.environment);
    expect(size.code).not.toBe(0);
    expect(size.stderr).toMatch(/--size must be a whole number from 1 to 100; got "lots"/);
    const manual = await runTend(['today', '--rep', 'rita@tend.example'], {
      ...tend.environment,
      TEND_CLOCK: 'manual',
      TEND_CLOCK_START: start.toISOString(),
    });
    expect(manual.code).not.toBe(0);
    expect(manual.stderr).toMatch(/pass --at with the server's time \(GET \/api\/v1\/clock tells it\)/);
  });

  it('tend signals lists the open signals; tend import users adds users a rep can then be looked up by', async () => {
    const signals = await runTend(['signals', '--owner', 'rita@tend.example', '--json'], tend.environment);
    expect(signals.code, signals.stderr).toBe(0);
    expect(JSON.parse(signals.stdout).signals.length).toBeGreaterThan(0);
    const file = join(mkdtempSync(join(tmpdir(), 'tend-users-')), 'users.csv');
    writeFileSync(file, 'email,name,role,managerEmail\numa@tend.example,Uma,rep,maria@tend.example\n');
    const imported = await runTend(['import', 'users', file], tend.environment);
    expect(imported.code, imported.stderr).toBe(0);
    const users = (await tend.admin('/api/v1/users')).body.users as { email: string; manager: string | null }[];
    expect(users.find((user) => user.email === 'uma@tend.example')).toBeDefined();
  });
});
