// The app's account list through HTTP with people's sessions: each sees their book only, searches by
// name words and id, filters by owner, tier and open signal, sorts by value, health and silence, and
// pages with a cursor that never repeats nor skips an account; bad parameters are refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signIn } from '../support/people.js';
import { advance, group, send, track } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let admin: Person;
let maria: Person;
let rita: Person;
let sam: Person;
let ozzy: Person;

interface Item {
  id: string;
  name: string | null;
  tier: string | null;
  value: number | null;
  healthScore: number | null;
  daysSinceContact: number | null;
  lastContactAt: string | null;
  owner: { email: string; name: string | null } | null;
  openSignals: string[];
}

const ids = (items: Item[]) => items.map((item) => item.id);

/** Every page of a list, following `next`; each page no longer than `limit`. */
async function allPages(person: Person, path: string, limit: number): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const separator = path.includes('?') ? '&' : '?';
    const answer = await person.get(`${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...answer.body.items);
    cursor = answer.body.next;
    if (cursor === null) return items;
  }
  throw new Error('more than 20 pages');
}

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-01T09:00:00Z') } });
  admin = await signIn(tend, { email: 'ada@tend.example', role: 'admin' });
  maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager', name: 'Maria' });
  const team = { role: 'rep', managerEmail: 'maria@tend.example' } as const;
  rita = await signIn(tend, { email: 'rita@tend.example', name: 'Rita', ...team });
  sam = await signIn(tend, { email: 'sam@tend.example', name: 'Sam', ...team });
  ozzy = await signIn(tend, { email: 'ozzy@tend.example', role: 'rep', name: 'Ozzy' });
  await send(tend, [
    group('nina', 'northwind', {
      name: 'Northwind Traders',
      profit: 100000,
      revenue: 400000,
      currency: 'EUR',
      owner: 'rita@tend.example',
    }),
    group('carl', 'contoso', { name: 'Contoso Bakery', profit: 30000, revenue: 90000, owner: 'sam@tend.example' }),
    group('fred', 'fabrikam', { name: 'Fabrikam Foods', profit: 1000, revenue: 8000, owner: 'rita@tend.example' }),
    group('tina', 'tailspin', { name: 'Tailspin Toys', profit: 12000, revenue: 40000, owner: 'ozzy@tend.example' }),
    group('will', 'wingtip', { name: 'Wingtip Bakery', profit: 3000, revenue: 20000, owner: 'rita@tend.example' }),
    group('lisa', 'litware', { name: 'Litware Labs', profit: 500, revenue: 4000, owner: 'rita@tend.example' }),
  ]);
  await advance(tend, 'PT1M');
  await advance(tend, 'P20D');
  await send(tend, [track('nina', 'Call Logged', { rep: 'rita@tend.example', summary: 'Quarterly review' })]);
  await send(tend, [track('fred', 'Call Logged', { rep: 'rita@tend.example', summary: 'Check-in' })]);
  await advance(tend, 'P15D');
});
afterAll(async () => tend?.stop());

describe('the account list', () => {
  it('shows a rep their own accounts, most valuable first, with what the list needs', async () => {
    const answer = await rita.get('/api/v1/accounts');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const items: Item[] = answer.body.items;
    expect(ids(items)).toEqual(['northwind', 'wingtip', 'fabrikam', 'litware']);
    expect(answer.body.next).toBeNull();
    const northwind = items[0]!;
    expect(northwind).toMatchObject({
      name: 'Northwind Traders',
      tier: 'A',
      value: 100000,
      revenue: 400000,
      profit: 100000,
      currency: 'EUR',
      owner: { email: 'rita@tend.example', name: 'Rita' },
      daysSinceContact: 15,
    });
    expect(northwind.healthScore).toEqual(expect.any(Number));
    // Wingtip (tier C, 90 days) nobody spoke to is not neglected yet; Northwind (tier A, 14 days) is again.
    expect(northwind.openSignals).toContain('neglected');
    expect(items.find((item) => item.id === 'wingtip')?.daysSinceContact).toBeNull();
  });

  it("shows a manager their reps' books, and an admin everyone's", async () => {
    const team = ids((await maria.get('/api/v1/accounts')).body.items);
    expect(team.sort()).toEqual(['contoso', 'fabrikam', 'litware', 'northwind', 'wingtip']);
    expect(ids((await admin.get('/api/v1/accounts')).body.items)).toHaveLength(6);
    expect(ids((await tend.admin('/api/v1/accounts')).body.items)).toHaveLength(6);
    expect(ids((await ozzy.get('/api/v1/accounts')).body.items)).toEqual(['tailspin']);
    // Asking for another rep's book gives nothing rather than their accounts.
    expect((await ozzy.get(`/api/v1/accounts?ownerId=${rita.id}`)).body.items).toEqual([]);
  });

  it('pages with a cursor: every account once, in order, whatever the page size', async () => {
    const whole = ids((await admin.get('/api/v1/accounts?limit=200')).body.items);
    for (const sort of ['value', 'health', 'days-since-contact']) {
      for (const order of ['asc', 'desc']) {
        const full = ids((await admin.get(`/api/v1/accounts?sort=${sort}&order=${order}&limit=200`)).body.items);
        expect([...full].sort()).toEqual([...whole].sort());
        for (const limit of [1, 2, 4]) {
          const paged = ids(await allPages(admin, `/api/v1/accounts?sort=${sort}&order=${order}`, limit));
          expect(paged, `${sort} ${order} by ${limit}`).toEqual(full);
        }
      }
    }
  });

  it('sorts by value, health and days since the last substantive contact', async () => {
    const byValue: Item[] = (await admin.get('/api/v1/accounts?sort=value')).body.items;
    expect(ids(byValue)).toEqual(['northwind', 'contoso', 'tailspin', 'wingtip', 'fabrikam', 'litware']);
    expect(ids((await admin.get('/api/v1/accounts?sort=value&order=asc')).body.items)).toEqual(ids(byValue).reverse());
    const byHealth: Item[] = (await admin.get('/api/v1/accounts?sort=health')).body.items;
    const scores = byHealth.map((item) => item.healthScore as number);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    // Longest silence first: those nobody ever spoke to, then Fabrikam and Northwind (called 15 days ago).
    const bySilence: Item[] = (await admin.get('/api/v1/accounts?sort=days-since-contact')).body.items;
    expect(bySilence.slice(0, 4).every((item) => item.daysSinceContact === null)).toBe(true);
    expect(ids(bySilence.slice(4)).sort()).toEqual(['fabrikam', 'northwind']);
    const recentFirst: Item[] = (await admin.get('/api/v1/accounts?sort=days-since-contact&order=asc')).body.items;
    expect(recentFirst.slice(0, 2).every((item) => item.daysSinceContact === 15)).toBe(true);
    expect(recentFirst.slice(2).every((item) => item.daysSinceContact === null)).toBe(true);
  });

  it('searches by the beginnings of name words and of the id, case-insensitively', async () => {
    const search = async (person: Person, q: string) =>
      ids((await person.get(`/api/v1/accounts?q=${encodeURIComponent(q)}`)).body.items);
    expect((await search(admin, 'BAK')).sort()).toEqual(['contoso', 'wingtip']);
    expect(await search(admin, 'wingtip bak')).toEqual(['wingtip']);
    expect(await search(admin, 'north')).toEqual(['northwind']);
    expect(await search(admin, 'FAB')).toEqual(['fabrikam']);
    expect(await search(admin, 'tail%')).toEqual(['tailspin']);
    expect(await search(admin, '%')).toEqual([]);
    expect(await search(admin, 'zzz')).toEqual([]);
    // A search finds nothing outside the book.
    expect(await search(rita, 'bakery')).toEqual(['wingtip']);
  });

  it('filters by owner, tier and open signal kind', async () => {
    expect(ids((await admin.get(`/api/v1/accounts?ownerId=${sam.id}`)).body.items)).toEqual(['contoso']);
    const ritas = ids((await admin.get('/api/v1/accounts?ownerId=RITA@tend.example&sort=value&order=asc')).body.items);
    expect(ritas).toEqual(['litware', 'fabrikam', 'wingtip', 'northwind']);
    const tierA: Item[] = (await admin.get('/api/v1/accounts?tier=A')).body.items;
    expect(tierA.length).toBeGreaterThan(0);
    expect(tierA.every((item) => item.tier === 'A')).toBe(true);
    const neglected: Item[] = (await admin.get('/api/v1/accounts?signal=neglected')).body.items;
    expect(ids(neglected)).toContain('northwind');
    expect(neglected.every((item) => item.openSignals.includes('neglected'))).toBe(true);
    expect((await rita.get('/api/v1/accounts?signal=neglected&q=contoso')).body.items).toEqual([]);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    const refused = async (path: string, field: RegExp) => {
      const answer = await rita.get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.body.errors.map((error: { field: string }) => error.field).join(' '), path).toMatch(field);
    };
    await refused('/api/v1/accounts?sort=name', /sort/);
    await refused('/api/v1/accounts?order=sideways', /order/);
    await refused('/api/v1/accounts?limit=0', /limit/);
    await refused('/api/v1/accounts?limit=201', /limit/);
    await refused('/api/v1/accounts?signal=grumpy', /signal/);
    await refused('/api/v1/accounts?cursor=not-a-cursor', /cursor/);
    const next = (await rita.get('/api/v1/accounts?limit=1')).body.next as string;
    await refused(`/api/v1/accounts?sort=health&cursor=${next}`, /cursor/);
    const forgery = ['value', 'desc', 'known', "1'; drop table accounts", 'x'];
    const forged = Buffer.from(JSON.stringify(forgery)).toString('base64url');
    await refused(`/api/v1/accounts?cursor=${forged}`, /cursor/);
  });
});

describe("the top of an account's page", () => {
  it('shows the account with its tier, value, owner, health and open signals', async () => {
    const answer = await rita.get('/api/v1/accounts/northwind/summary');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      id: 'northwind',
      name: 'Northwind Traders',
      tier: 'A',
      value: 100000,
      owner: { email: 'rita@tend.example', name: 'Rita', known: true },
      daysSinceContact: 15,
    });
    const neglected = answer.body.openSignals.find((signal: { kind: string }) => signal.kind === 'neglected');
    expect(neglected).toMatchObject({ owner: 'rita@tend.example', severity: expect.any(Number) });
    expect(neglected.reasons.length).toBeGreaterThan(0);
  });

  it("answers another rep's account exactly as an unknown one: 404", async () => {
    const theirs = await sam.get('/api/v1/accounts/northwind/summary');
    const unknown = await sam.get('/api/v1/accounts/no-such-account/summary');
    expect(theirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(theirs.body.message.replace('northwind', 'X')).toBe(unknown.body.message.replace('no-such-account', 'X'));
    expect((await maria.get('/api/v1/accounts/northwind/summary')).status).toBe(200);
  });
});
