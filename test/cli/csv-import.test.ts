// `tend import` end to end: the real command against a running Tend's store, read back through the
// admin API; a second import changes nothing; bad rows are reported with line numbers and reasons.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTend } from '../support/run-tend.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
let tend: TestTend;
let scratch: string;

beforeAll(async () => {
  tend = await startTestTend();
  scratch = mkdtempSync(join(tmpdir(), 'tend-import-'));
});
afterAll(async () => tend?.stop());

describe('tend import', () => {
  it('imports the example accounts, contacts and interactions, and a second import changes nothing', async () => {
    for (const kind of ['accounts', 'contacts', 'interactions']) {
      const first = await runTend(['import', kind, example(`${kind}.csv`)], tend.environment);
      expect(first.stderr).toBe('');
      expect(first.code, first.stdout).toBe(0);
      expect(first.stdout).toContain('5 rows; imported 5 (5 new or changed, 0 already up to date), rejected 0');
      const second = await runTend(['import', kind, example(`${kind}.csv`)], tend.environment);
      expect(second.stdout).toContain('5 rows; imported 5 (0 new or changed, 5 already up to date), rejected 0');
    }
    const acme = (await tend.admin('/api/v1/accounts/acme')).body;
    expect(acme).toMatchObject({
      name: 'Acme GmbH',
      plan: 'enterprise',
      revenue: 240000,
      profit: 72000,
      currency: 'EUR',
      owner: { email: 'rita@yourco.example', known: false },
      lifecycleStage: 'active',
      traits: { industry: 'manufacturing' },
    });
    expect(acme.contacts.map((contact: { userId: string }) => contact.userId)).toEqual(['ann']);
    expect((await tend.admin('/api/v1/accounts/initech')).body.profit).toBe(-600);
    expect((await tend.admin('/api/v1/contacts/ann')).body).toMatchObject({
      name: 'Ann Lee',
      language: 'de',
      timezone: 'Europe/Berlin',
      account: { id: 'acme' },
    });
  });

  it('imports promises from a CRM export, records a changed one once more, and names what is wrong', async () => {
    const first = await runTend(['import', 'promises', example('promises.csv')], tend.environment);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('3 rows; imported 3 (3 new or changed, 0 already up to date), rejected 0');
    const again = await runTend(['import', 'promises', example('promises.csv')], tend.environment);
    expect(again.stdout).toContain('3 rows; imported 3 (0 new or changed, 3 already up to date), rejected 0');
    const listed = (await tend.admin('/api/v1/accounts/acme/promises')).body.promises;
    expect(listed.map((promise: { promiseId: string; owner: string }) => [promise.promiseId, promise.owner])).toEqual([
      ['p-102', 'support'],
      ['p-101', 'engineering'],
    ]);
    const file = join(scratch, 'promises-moved.csv');
    writeFileSync(
      file,
      [
        'Promise,Account,What,Due,Seller,Delivers',
        'p-101,acme,Single sign-on with their Azure AD,2027-04-30,rita@yourco.example,engineering',
        'p-104,acme,,2027-01-01,rita@yourco.example,support',
        'p-105,acme,Dashboards,someday,rita@yourco.example,support',
      ].join('\n'),
    );
    const moved = await runTend(
      ['import', 'promises', file, '--map', 'Promise=id', 'Account=accountId', 'What=title', 'Due=dueAt'],
      tend.environment,
    );
    expect(moved.stdout).toContain('3 rows; imported 1 (1 new or changed, 0 already up to date), rejected 2');
    expect(moved.stdout).toContain('line 3: title is empty: say what was promised');
    expect(moved.stdout).toContain('line 4: dueAt must be a date such as 2027-03-31; got "someday"');
    const sso = (await tend.admin('/api/v1/accounts/acme/promises')).body.promises.find(
      (promise: { promiseId: string }) => promise.promiseId === 'p-101',
    );
    expect(sso.dueDay).toBe('2027-04-30');
    expect(sso.history.map((entry: { event: string }) => entry.event)).toEqual(['made', 'changed']);
  });

  it('maps columns with --map, and writes rejected rows with line numbers and reasons', async () => {
    const file = join(scratch, 'crm-export.csv');
    writeFileSync(
      file,
      [
        'Company ID,Company,ARR,Margin,Account Manager',
        'c-1,One,1000,100,rep@example.com',
        ',No Id,5,1,rep@example.com',
        'c-3,Three,lots,1,rep@example.com',
        'c-4,"Four, Inc.",10,1,not-an-email',
        'c-5,Five,20,2',
      ].join('\n'),
    );
    const result = await runTend(
      [
        'import',
        'accounts',
        file,
        '--map',
        'Company ID=id',
        'Company=name',
        'ARR=revenue',
        'Margin=profit',
        'Account Manager=owner',
      ],
      tend.environment,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('5 rows; imported 1 (1 new or changed, 0 already up to date), rejected 4');
    const rejected = readFileSync(join(scratch, 'crm-export.rejected.csv'), 'utf8').trim().split('\n');
    expect(rejected[0]).toBe('line,reason,Company ID,Company,ARR,Margin,Account Manager');
    expect(rejected[1]).toMatch(/^3,id is empty/);
    expect(rejected[2]).toMatch(/^4,"revenue must be a number/);
    expect(rejected[3]).toMatch(/^5,"owner must be the owning user's e-mail address/);
    expect(rejected[4]).toMatch(/^6,has 4 fields; the header has 5/);
    expect((await tend.admin('/api/v1/accounts/c-1')).body).toMatchObject({ name: 'One', revenue: 1000, profit: 100 });
  });

  it('attaches touches imported by person before the people themselves to their account', async () => {
    const touches = join(scratch, 'touches-by-person.csv');
    writeFileSync(
      touches,
      [
        'id,userId,rep,channel,direction,twoWay,summary,occurredAt',
        't-1,zoe,rita@yourco.example,phone,outbound,true,Renewal call,2026-11-20T10:00:00Z',
      ].join('\n'),
    );
    const people = join(scratch, 'people-after-touches.csv');
    writeFileSync(people, ['userId,email,accountId', 'zoe,zoe@wayne.example,wayne'].join('\n'));
    const company = join(scratch, 'company-after-touches.csv');
    writeFileSync(company, ['id,name', 'wayne,Wayne Enterprises'].join('\n'));
    for (const [kind, file] of [
      ['interactions', touches],
      ['contacts', people],
      ['accounts', company],
    ] as const) {
      const result = await runTend(['import', kind, file], tend.environment);
      expect(result.code, result.stdout + result.stderr).toBe(0);
    }
    const audit = (await tend.admin('/api/v1/accounts/wayne/audit')).body;
    expect(audit.lastSubstantiveContactAt, JSON.stringify(audit)).toBe('2026-11-20T10:00:00.000Z');
  });

  it('names the problem with a missing file, an unknown kind, a bad --map or an unknown column', async () => {
    expect((await runTend(['import', 'accounts', join(scratch, 'nope.csv')], tend.environment)).stderr).toContain(
      'There is no file',
    );
    expect((await runTend(['import', 'planets', example('accounts.csv')], tend.environment)).stderr).toContain(
      'must be one of accounts, contacts, interactions',
    );
    expect(
      (await runTend(['import', 'accounts', example('accounts.csv'), '--map', 'oops'], tend.environment)).stderr,
    ).toContain('is not COLUMN=FIELD');
    const unknown = await runTend(
      ['import', 'accounts', example('accounts.csv'), '--map', 'Revenue=revenue'],
      tend.environment,
    );
    expect(unknown.stderr).toContain('"Revenue" that');
    expect(unknown.code).not.toBe(0);
  });
});
