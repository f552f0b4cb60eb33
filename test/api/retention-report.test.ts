// Retention by acquisition on a generated book: 2,000 accounts won over two years by Ann and Sam, whose
// customers cancel at 2 % and 6 % a month. Imported as a CRM export (one CSV), their cancellations sent
// as events: the report recovers each seller's 6-month retention within its interval, and the manager's
// oversight names Sam, not Ann. Reps see what they won; a bad grouping is refused naming the good ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Person, signIn } from '../support/people.js';
import { startTestTend, type TestTend } from '../support/test-tend.js';
import { importWonBook } from '../support/won-book.js';

const now = new Date('2026-07-01T09:00:00Z');
const perSeller = 1000;
const sellers = [
  { email: 'ann@tend.example', name: 'Ann', monthlyChurn: 0.02, accounts: perSeller },
  { email: 'sam@tend.example', name: 'Sam', monthlyChurn: 0.06, accounts: perSeller },
] as const;

let tend: TestTend;
let maria: Person;
let sam: Person;
let rejected: { line: number; reason: string }[];

beforeAll(async () => {
  tend = await startTestTend({ clock: { kind: 'manual', start: now } });
  await signIn(tend, { email: 'ada@tend.example', role: 'admin' });
  maria = await signIn(tend, { email: 'maria@tend.example', role: 'manager', name: 'Maria' });
  for (const seller of sellers) {
    const rep = await signIn(tend, { email: seller.email, role: 'rep', name: seller.name, managerEmail: maria.email });
    if (seller.name === 'Sam') sam = rep;
  }

  rejected = await importWonBook(tend, sellers, now, {
    extraRows: ['bad-date,Bad,ann@tend.example,1,EUR,31/02/2026,ann@tend.example,web,spring'],
  });
}, 240_000);

afterAll(async () => tend?.stop());

interface Judged {
  kind: string;
  share: number;
  lower: number;
  upper: number;
  accounts: number;
}
const sixMonths = (figures: { retention: { months: number; judgement: Judged }[] }) =>
  figures.retention.find((horizon) => horizon.months === 6)?.judgement as Judged;

describe('the retention report by seller', () => {
  it("recovers each seller's 6-month retention within its interval", async () => {
    const answer = await maria.get('/api/v1/reports/retention?by=seller');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.groups.map((group: { key: string }) => group.key)).toEqual(sellers.map((s) => s.email));
    for (const seller of sellers) {
      const group = answer.body.groups.find((candidate: { key: string }) => candidate.key === seller.email);
      expect(group.accounts).toBe(perSeller);
      const six = sixMonths(group);
      expect(six.kind).toBe('judged');
      const truth = (1 - seller.monthlyChurn) ** 6;
      expect(six.lower, `${seller.name}: ${JSON.stringify(six)} against ${truth}`).toBeLessThanOrEqual(truth);
      expect(six.upper, `${seller.name}: ${JSON.stringify(six)} against ${truth}`).toBeGreaterThanOrEqual(truth);
      // The sBG projection sees the same: the share left after a year near what the monthly rate gives.
      expect(group.projection.kind).toBe('judged');
      expect(group.projection.period).toBe('month');
      const year = group.projection.shareLeft.find((left: { years: number }) => left.years === 1).share;
      expect(Math.abs(year - (1 - seller.monthlyChurn) ** 12)).toBeLessThan(0.08);
      expect(group.revenueRetained[0]).toMatchObject({ currency: 'EUR', wonMinor: perSeller * 1200_00 });
      expect(group.lifetimeValue.perCurrency[0].currency).toBe('EUR');
    }
    expect(answer.body.company.accounts).toBe(2 * perSeller);
    expect(answer.body.sellersLosingCustomers.map((flag: { seller: string }) => flag.seller)).toEqual([
      'sam@tend.example',
    ]);
    const words = answer.body.sellersLosingCustomers[0].words;
    expect(words).toMatch(/^Customers won by Sam leave faster: \d+ % gone within 6 months against \d+ % for the /);
    expect(words).toMatch(/company \(95 % interval \d+–\d+ %\)\. Sam won 1000 accounts worth €1\.2M a year\.$/);
  });

  it("names the seller in the manager's oversight, and not the other", async () => {
    const oversight = await maria.get('/api/v1/oversight');
    expect(oversight.status, JSON.stringify(oversight.body)).toBe(200);
    const named = oversight.body.sellersLosingCustomers.map((flag: { seller: string }) => flag.seller);
    expect(named).toEqual(['sam@tend.example']);
    expect(oversight.body.sellersLosingCustomers[0].accountsWon).toBe(perSeller);
    const company = await tend.admin('/api/v1/oversight');
    expect(company.body.sellersLosingCustomers.map((flag: { seller: string }) => flag.seller)).toEqual([
      'sam@tend.example',
    ]);
  });

  it('groups by channel, campaign and quarter', async () => {
    const channels = await tend.admin('/api/v1/reports/retention?by=channel');
    expect(channels.body.groups.map((group: { key: string }) => group.key).sort()).toEqual(['partner', 'web']);
    expect(channels.body.sellersLosingCustomers).toEqual([]);
    const campaigns = await tend.admin('/api/v1/reports/retention?by=campaign');
    expect(campaigns.body.groups).toHaveLength(1);
    const quarters = await tend.admin('/api/v1/reports/retention?by=quarter');
    const keys = quarters.body.groups.map((group: { key: string }) => group.key);
    expect(keys[0]).toMatch(/^2024-Q3$/);
    expect(keys.at(-1)).toBe('2026-Q2');
    // The latest quarter's accounts are too young to judge at 6 months: said in words, not a number.
    const latest = quarters.body.groups.at(-1);
    expect(sixMonths(latest)).toMatchObject({ kind: 'too-few', accounts: 0 });
  });

  it('shows a rep what they won, against the whole company', async () => {
    const answer = await sam.get('/api/v1/reports/retention');
    expect(answer.status).toBe(200);
    expect(answer.body.by).toBe('seller');
    expect(answer.body.groups.map((group: { key: string }) => group.key)).toEqual(['sam@tend.example']);
    expect(answer.body.company.accounts).toBe(2 * perSeller);
  });

  it('refuses an unknown grouping, naming the allowed ones', async () => {
    const answer = await maria.get('/api/v1/reports/retention?by=region');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toContain('must be one of seller, channel, campaign, quarter');
  });

  it('refused the import row whose acquired_at is not a date, naming its line and column', () => {
    expect(rejected).toEqual([{ line: 2 * perSeller + 2, reason: expect.stringMatching(/^acquiredAt is not a date/) }]);
  });
});
