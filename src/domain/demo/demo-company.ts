// The demo company's customers, drawn from a seed: accounts across countries and currencies whose
// revenue and profit are skewed as real books are (a few accounts make most of the profit, a few lose
// money), the people who use the product in each, and the hidden traits that shape their year.
import type { Random } from '../models/random.js';
import { assignTiers } from '../relationship/value-tiers.js';
import { personNames } from './demo-names.js';
import { companyWords, type Country, countries, industries, titles } from './demo-places.js';
import { aroundMedian, pick, pickWeighted, streamOf } from './demo-random.js';
import { type DemoUser, demoTeam, regionOf, type TierName } from './demo-team.js';

const dayMilliseconds = 86_400_000;

/** How strongly each cause wears a customer's satisfaction down (1 = the default world). */
export interface ChurnDrivers {
  /** Silence past the cadence the customer expects. */
  readonly neglect: number;
  /** People using the product less (a champion leaving, a fading fit). */
  readonly usage: number;
  /** Tickets, slow answers, reopened problems. */
  readonly tickets: number;
}

export interface DemoOptions {
  readonly seed: number;
  readonly accounts: number;
  /** The story's last day, a UTC midnight: the demo's clock stands on its morning. */
  readonly today: Date;
  /** Days of history before today (default 365). */
  readonly days?: number;
  readonly churnDrivers?: Partial<ChurnDrivers>;
}

export interface DemoPerson {
  /** The person's id in the product (the Segment userId). */
  readonly userId: string;
  readonly accountId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly language: string;
  readonly timezone: string;
  readonly title: string;
  /** Sign-ins a week while the account is content. */
  readonly weeklySignIns: number;
  /** The day the person starts (0: there from the start), and the day they leave the customer, if they do. */
  readonly joinsDay: number;
  readonly leavesDay: number | null;
}

export interface DemoAccount {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
  readonly country: string;
  readonly currency: string;
  readonly industry: string;
  readonly plan: string;
  /** Yearly, in the account's currency (major units). */
  readonly revenue: number;
  readonly profit: number;
  readonly ownerEmail: string;
  /** The tier its profit puts it in, as the reps see it (Tend ranks the same way). */
  readonly tier: TierName;
  readonly contract: 'annual' | 'monthly';
  /** The day it first appears: 0 for customers from before the story; later for new ones. */
  readonly startDay: number;
  /** Days as a lead before it buys (0: a customer from its first day); a lead that is lost never buys. */
  readonly leadDays: number;
  readonly leadLost: boolean;
  /** When it became a customer (an ISO day); its renewals fall on the anniversaries (annual contracts). */
  readonly customerSince: string;
  /** Day of the month its invoices are issued. */
  readonly billingDay: number;
  readonly people: readonly DemoPerson[];
  /** The satisfaction it starts from and drifts back towards (a logit; around 1 is content). */
  readonly baseSatisfaction: number;
  /** Its use of the product fades from this day on (null: it does not), losing this share a week. */
  readonly fadingFromDay: number | null;
  readonly weeklyFade: number;
  /** New customers that take weeks to use the product at all. */
  readonly slowStarter: boolean;
  /** The owner never calls it. */
  readonly forgotten: boolean;
  /** Days since the last conversation when the story starts (null: nobody ever spoke with them). */
  readonly spokenDaysAgo: number | null;
}

export interface DemoCompany {
  readonly seed: number;
  readonly team: readonly DemoUser[];
  readonly accounts: readonly DemoAccount[];
  /** Day 0, a UTC midnight. */
  readonly start: Date;
  readonly today: Date;
  readonly days: number;
  readonly churnDrivers: ChurnDrivers;
}

/** The instant `day` days after the story's start. */
export function dayStart(company: Pick<DemoCompany, 'start'>, day: number): Date {
  return new Date(company.start.getTime() + day * dayMilliseconds);
}

export const isoDay = (at: Date): string => at.toISOString().slice(0, 10);

/** Whether the person is with the customer on `day` (joined, not yet left). */
export const isPresent = (person: DemoPerson, day: number): boolean =>
  person.joinsDay <= day && (person.leavesDay === null || person.leavesDay > day);

/** Letters without accents, for e-mail addresses and domains. */
function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function planOf(revenue: number): string {
  if (revenue < 6_000) return 'starter';
  if (revenue < 25_000) return 'team';
  if (revenue < 100_000) return 'business';
  return 'enterprise';
}

function phoneOf(random: Random, country: Country): string {
  const digits = country.phonePrefix === '+1' ? 10 : 9;
  let number = String(2 + random.integer(7));
  while (number.length < digits) number += String(random.integer(10));
  return `${country.phonePrefix}${number}`;
}

interface Draft extends Omit<DemoAccount, 'ownerEmail' | 'tier' | 'forgotten' | 'spokenDaysAgo'> {
  readonly region: 'emea' | 'americas';
}

interface PeopleDraft {
  readonly accountId: string;
  readonly country: Country;
  readonly domain: string;
  readonly revenue: number;
  readonly startDay: number;
  readonly days: number;
}

function draftPeople(random: Random, draft: PeopleDraft): DemoPerson[] {
  const { accountId, country, domain, revenue, startDay, days } = draft;
  // Larger customers have more people using the product.
  const count = Math.min(9, 1 + random.poisson(Math.max(0.2, 0.4 + 1.1 * Math.log10(revenue / 2_000))));
  const people: DemoPerson[] = [];
  const used = new Set<string>();
  for (let index = 0; index < count; index++) {
    const language = random.next() < 0.75 ? (country.languages[0] ?? 'en') : pick(random, country.languages);
    const pool = personNames[language] ?? personNames.en!;
    const firstName = pick(random, pool.given);
    const lastName = pick(random, pool.family);
    let local = `${plain(firstName)}.${plain(lastName)}`;
    if (used.has(local)) local = `${local}${index + 1}`;
    used.add(local);
    // A few people join during the year, a few leave (their use fades out first).
    const joins = index > 0 && random.next() < 0.06;
    const joinsDay = joins ? startDay + random.integer(Math.max(1, days - startDay)) : startDay;
    const leaves = random.next() < 0.1 && days - joinsDay > 60;
    people.push({
      userId: `${accountId}-p${index + 1}`,
      accountId,
      firstName,
      lastName,
      email: `${local}@${domain}`,
      phone: phoneOf(random, country),
      language,
      timezone: pick(random, country.timezones),
      title: index === 0 ? pick(random, titles.slice(0, 3)) : pick(random, titles),
      weeklySignIns: Math.min(12, random.gamma(2, 1.6) * (index === 0 ? 1.5 : 1)),
      joinsDay,
      leavesDay: leaves ? joinsDay + 30 + random.integer(days - joinsDay - 30) : null,
    });
  }
  return people;
}

function draftAccount(seed: number, index: number, days: number, start: Date, names: Set<string>): Draft {
  const random = streamOf(seed, 1, index);
  const id = `acct-${String(index + 1).padStart(4, '0')}`;
  const country = pickWeighted(random, countries, (candidate) => candidate.weight);
  const industry = pick(random, industries);
  const word = pick(random, companyWords);
  let name = `${word} ${pick(random, industry.words)} ${pick(random, country.companySuffixes)}`;
  if (names.has(name)) name = `${word} ${country.code} ${name.slice(word.length + 1)}`;
  if (names.has(name)) name = `${name} ${index + 1}`;
  names.add(name);
  const domain = `${plain(name.split(' ').slice(0, -1).join('')) || id}.example`;
  const revenue = Math.round(Math.min(3_000_000, Math.max(1_200, aroundMedian(random, 9_000, 1))) / 100) * 100;
  const margin = random.next() < 0.03 ? -0.05 - 0.1 * random.next() : 0.15 + 0.35 * random.next();
  const isNew = random.next() < 0.15;
  const startDay = isNew ? 1 + random.integer(Math.max(1, days - 2)) : 0;
  const isLead = isNew && random.next() < 0.35;
  const leadDays = isLead ? 5 + random.integer(16) : 0;
  const sinceDay = isNew ? startDay + leadDays : -(30 + random.integer(5 * 365));
  const contract = random.next() < (revenue > 15_000 ? 0.9 : 0.4) ? 'annual' : 'monthly';
  return {
    id,
    name,
    domain,
    country: country.code,
    currency: country.currency,
    industry: industry.name,
    plan: planOf(revenue),
    revenue,
    profit: Math.round(revenue * margin),
    contract,
    startDay,
    leadDays,
    leadLost: isLead && random.next() < 0.3,
    customerSince: isoDay(new Date(start.getTime() + sinceDay * dayMilliseconds)),
    billingDay: 1 + random.integer(28),
    people: draftPeople(random, { accountId: id, country, domain, revenue, startDay, days }),
    baseSatisfaction: 0.9 + 0.55 * random.normal(),
    fadingFromDay: random.next() < 0.12 ? startDay + random.integer(Math.max(1, days - startDay)) : null,
    weeklyFade: 0.04 + 0.08 * random.next(),
    slowStarter: isNew && random.next() < 0.3,
    region: regionOf(country.code),
  };
}

/**
 * Shares each region's accounts among its reps: by value, in rounds of one account each in a shuffled
 * order, so that every rep holds a like mix of large and small accounts and differences between books
 * come from how the reps work.
 */
function owners(seed: number, drafts: readonly Draft[]): Map<string, string> {
  const random = streamOf(seed, 2);
  const owned = new Map<string, string>();
  for (const region of ['emea', 'americas'] as const) {
    const reps = demoTeam.filter((user) => user.role === 'rep' && user.region === region);
    const accounts = drafts
      .filter((draft) => draft.region === region)
      .sort((a, b) => b.profit - a.profit || (a.id < b.id ? -1 : 1));
    for (let round = 0; round < accounts.length; round += reps.length) {
      const order = random.shuffle([...reps]);
      order.forEach((user, offset) => {
        const account = accounts[round + offset];
        if (account) owned.set(account.id, user.email);
      });
    }
  }
  return owned;
}

/** The company for these options: the same options always give the same company. */
export function demoCompany(options: DemoOptions): DemoCompany {
  const days = options.days ?? 365;
  if (!Number.isInteger(options.accounts) || options.accounts < 1) {
    throw new Error('A demo company needs at least one account.');
  }
  if (!Number.isInteger(days) || days < 14) throw new Error('A demo story needs at least 14 days.');
  const start = new Date(options.today.getTime() - days * dayMilliseconds);
  const names = new Set<string>();
  const drafts = Array.from({ length: options.accounts }, (_, index) =>
    draftAccount(options.seed, index, days, start, names),
  );
  const ownerOf = owners(options.seed, drafts);
  const tiers = assignTiers(
    drafts.map((draft) => ({ accountId: draft.id, contributionMinor: draft.profit * 100 })),
    [
      { name: 'A', upToShare: 0.5 },
      { name: 'B', upToShare: 0.8 },
      { name: 'C', upToShare: 1 },
    ],
  );
  const accounts = drafts.map(({ region: _region, ...draft }): DemoAccount => {
    const random = streamOf(options.seed, 3, Number(draft.id.slice(5)));
    const ownerEmail = ownerOf.get(draft.id) ?? demoTeam[3]!.email;
    const diligence = demoTeam.find((user) => user.email === ownerEmail)?.diligence;
    const tier = (tiers.get(draft.id) ?? 'C') as TierName;
    const forgotten = random.next() < (diligence?.forgottenShare ?? 0);
    const every = diligence?.everyDays[tier] ?? null;
    // When the owner last spoke with a customer from before the story: within their cadence, or long ago.
    let spokenDaysAgo: number | null = null;
    if (draft.startDay === 0 && !forgotten) {
      if (every !== null) spokenDaysAgo = random.integer(Math.round(every * 1.2) + 1);
      else if (random.next() < 0.5) spokenDaysAgo = 90 + random.integer(200);
    }
    return { ...draft, ownerEmail, tier, forgotten, spokenDaysAgo };
  });
  const churnDrivers = { neglect: 1, usage: 1, tickets: 1, ...options.churnDrivers };
  return { seed: options.seed, team: demoTeam, accounts, start, today: options.today, days, churnDrivers };
}
