// The customers of the chaos run: accounts owned by reps who are users, each with one to four people
// who have an e-mail address, a phone number, a time zone and a language; some accounts are new
// leads that appear during the run. Seeded, so that a run can be repeated.
import type { Random } from '../../src/domain/models/random.js';

export interface Person {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  readonly phone: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly timezone: string;
  readonly language: string;
  /** How the person agreed to texts: through the admin API (a sign-up form), by texting START, or not. */
  readonly smsOptIn: 'form' | 'text' | null;
}

export interface Account {
  readonly id: string;
  readonly name: string;
  readonly plan: string;
  readonly stage: 'lead' | 'onboarding' | 'active' | 'renewal' | 'churned';
  readonly revenue: number;
  readonly owner: string;
  /** Days from the run's start to the renewal date (renewal stage only). */
  readonly renewalInDays: number | null;
  readonly people: Person[];
  /** Held back until the run is under way (new leads). */
  readonly arrivesAt: number;
}

export interface Rep {
  readonly email: string;
  readonly name: string;
  readonly role: 'rep' | 'manager';
  readonly managerEmail: string | null;
}

export interface Population {
  readonly reps: readonly Rep[];
  readonly accounts: readonly Account[];
  readonly people: readonly Person[];
  readonly byEmail: ReadonlyMap<string, Person>;
  readonly byPhone: ReadonlyMap<string, Person>;
  readonly byId: ReadonlyMap<string, Person>;
}

const firstNames = ['Ada', 'Grace', 'Linus', 'Margaret', 'Alan', 'Barbara', 'Dennis', 'Frances', 'Ken', 'Radia'];
const lastNames = ['Lovelace', 'Hopper', 'Torvalds', 'Hamilton', 'Turing', 'Liskov', 'Ritchie', 'Allen', 'Perlman'];
const zones = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const plans = ['starter', 'team', 'business', 'enterprise'];

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.integer(items.length)]!;
}

function stageOf(random: Random): Account['stage'] {
  const roll = random.next();
  if (roll < 0.6) return 'active';
  if (roll < 0.75) return 'onboarding';
  if (roll < 0.87) return 'renewal';
  if (roll < 0.95) return 'lead';
  return 'churned';
}

/** `accountCount` accounts (3 % of them leads arriving during the run) and their reps and managers. */
export function buildPopulation(accountCount: number, random: Random): Population {
  const managers: Rep[] = [1, 2].map((index) => ({
    email: `manager${index}@chaos-co.example`,
    name: `Manager ${index}`,
    role: 'manager',
    managerEmail: null,
  }));
  const reps: Rep[] = [...managers];
  for (let index = 1; index <= 8; index++) {
    const managerEmail = managers[index % 2]!.email;
    reps.push({ email: `rep${index}@chaos-co.example`, name: `Rep ${index}`, role: 'rep', managerEmail });
  }
  const owners = reps.filter((rep) => rep.role === 'rep');
  const accounts: Account[] = [];
  const people: Person[] = [];
  for (let index = 1; index <= accountCount; index++) {
    const id = `acct-${String(index).padStart(5, '0')}`;
    const arrivesLater = random.next() < 0.03;
    const stage = arrivesLater ? 'lead' : stageOf(random);
    const members: Person[] = [];
    const size = 1 + random.integer(4);
    for (let member = 0; member < size; member++) {
      const number = people.length + 1;
      const firstName = pick(random, firstNames);
      const lastName = pick(random, lastNames);
      const roll = random.next();
      const person: Person = {
        id: `user-${String(number).padStart(6, '0')}`,
        accountId: id,
        email: `${firstName.toLowerCase()}.${number}@${id}.example`,
        phone: `+1555${String(1_000_000 + number).slice(-7)}`,
        firstName,
        lastName,
        timezone: pick(random, zones),
        language: random.next() < 0.15 ? 'de' : 'en',
        smsOptIn: roll < 0.35 ? 'form' : roll < 0.6 ? 'text' : null,
      };
      members.push(person);
      people.push(person);
    }
    accounts.push({
      id,
      name: `${pick(random, lastNames)} ${pick(random, ['GmbH', 'Ltd', 'Inc', 'AG', 'Co'])} ${index}`,
      plan: pick(random, plans),
      stage,
      revenue: Math.round(1_000 * Math.exp(random.normal() * 1.2 + 3)),
      owner: pick(random, owners).email,
      renewalInDays: stage === 'renewal' ? 20 + random.integer(70) : null,
      people: members,
      arrivesAt: arrivesLater ? 0.1 + random.next() * 0.8 : 0,
    });
  }
  return {
    reps,
    accounts,
    people,
    byEmail: new Map(people.map((person) => [person.email, person])),
    byPhone: new Map(people.map((person) => [person.phone, person])),
    byId: new Map(people.map((person) => [person.id, person])),
  };
}
