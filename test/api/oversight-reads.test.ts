// The Oversight page's read through HTTP with sessions: a manager sees their own team, an admin any
// manager's team or the whole company, with the numbers GET /api/v1/users/{id}/oversight gives; a rep
// is refused, and a manager asking for another manager's team finds nobody.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signIn } from '../support/people.js';
import { advance, group, send } from '../support/scenario.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

let tend: TestTend;
let admin: Person;
let maria: Person;
let max: Person;
let rita: Person;

interface RepRow {
  repEmail: string;
  accountsOwned: number;
  neglected: { accountId: string }[];
}

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: new Date('2026-01-01T09:00:00Z') } });
  admin = await signIn(tend, { email: 'ada@tend.example', role: 'admin' });
  maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager' });
  max = await signIn(tend, { email: 'max@tend.example', role: 'manager' });
  rita = await signIn(tend, { email: 'rita@tend.example', role: 'rep', managerEmail: 'maria@tend.example' });
  await signIn(tend, { email: 'sam@tend.example', role: 'rep', managerEmail: 'maria@tend.example' });
  await signIn(tend, { email: 'ozzy@tend.example', role: 'rep', managerEmail: 'max@tend.example' });
  await send(tend, [
    group('nina', 'northwind', { name: 'Northwind', profit: 100000, owner: 'rita@tend.example' }),
    group('fred', 'fabrikam', { name: 'Fabrikam', profit: 1000, owner: 'rita@tend.example' }),
    group('carl', 'contoso', { name: 'Contoso', profit: 30000, owner: 'sam@tend.example' }),
    group('tina', 'tailspin', { name: 'Tailspin', profit: 12000, owner: 'ozzy@tend.example' }),
    // The CRM names an owner nobody invited to Tend: the account must not vanish from the company's view.
    group('lena', 'lakeside', { name: 'Lakeside', profit: 50000, owner: 'lee@tend.example' }),
    // Nobody owns these: nobody hears when they go quiet.
    group('olga', 'orphanage', { name: 'Orphan Goods', profit: 80000 }),
    group('uwe', 'unclaimed', { name: 'Unclaimed AG', profit: 2000 }),
  ]);
  await advance(tend, 'PT1M');
  await advance(tend, 'P20D');
});
afterAll(async () => tend?.stop());

describe('oversight', () => {
  it("shows a manager their own team, as the manager's oversight does", async () => {
    const answer = await maria.get('/api/v1/oversight');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toEqual((await maria.get(`/api/v1/users/${maria.id}/oversight`)).body);
    expect(answer.body.manager).toMatchObject({ email: 'maria@tend.example' });
    const emails = answer.body.reps.map((row: RepRow) => row.repEmail);
    expect(emails).toEqual(['rita@tend.example', 'sam@tend.example']);
    const ritas: RepRow = answer.body.reps[0];
    expect(ritas.accountsOwned).toBe(2);
    expect(ritas.neglected.map((account) => account.accountId)).toContain('northwind');
  });

  it("lets an admin pick any manager's team, or see the whole company", async () => {
    const maxs = await admin.get('/api/v1/oversight?managerId=max@tend.example');
    expect(maxs.status).toBe(200);
    expect(maxs.body).toEqual((await tend.admin(`/api/v1/users/${max.id}/oversight`)).body);
    const company = await admin.get('/api/v1/oversight');
    expect(company.status, JSON.stringify(company.body)).toBe(200);
    expect(company.body.manager).toBeNull();
    const rows: RepRow[] = company.body.reps;
    expect(rows.map((row) => row.repEmail)).toEqual([
      'lee@tend.example',
      'maria@tend.example',
      'max@tend.example',
      'ozzy@tend.example',
      'rita@tend.example',
      'sam@tend.example',
    ]);
    expect(rows[0]!.accountsOwned).toBe(1);
    // The accounts nobody owns are shown apart, most valuable first, and listed in full by ownerId=none.
    expect(company.body.unowned).toMatchObject({ accounts: 2, neglected: 1 });
    expect(company.body.unowned.mostValuable.map((account: { accountId: string }) => account.accountId)).toEqual([
      'orphanage',
      'unclaimed',
    ]);
    const listed = await admin.get('/api/v1/accounts?ownerId=none');
    expect(listed.body.items.map((account: { id: string }) => account.id).sort()).toEqual(['orphanage', 'unclaimed']);
    expect(maxs.body.unowned).toBeUndefined();
    // Each rep's row is the one their manager's oversight shows.
    const team = (await maria.get('/api/v1/oversight')).body.reps as RepRow[];
    for (const row of team) expect(rows.find((candidate) => candidate.repEmail === row.repEmail)).toEqual(row);
  });

  it("refuses reps, and finds nobody for another manager's team", async () => {
    const refused = await rita.get('/api/v1/oversight');
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0].field).toBe('role');
    expect((await maria.get('/api/v1/oversight?managerId=max@tend.example')).status).toBe(404);
    expect((await maria.get('/api/v1/oversight?managerId=nobody@tend.example')).status).toBe(404);
  });
});
