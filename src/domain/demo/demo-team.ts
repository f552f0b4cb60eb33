// The demo company's own people: an admin, two managers and six reps, each rep with a way of working
// that Tend should notice: one calls tier A every ten days, one writes and never calls, one lets
// accounts go dark. The reps of each manager cover one region.

export type TierName = 'A' | 'B' | 'C';

/** How a rep keeps in touch; every figure is a typical value the generator varies around. */
export interface Diligence {
  /** In words, for the demo's printout. */
  readonly description: string;
  /** Days between conversations the rep aims for, per tier; null: only when the customer asks. */
  readonly everyDays: Readonly<Record<TierName, number | null>>;
  /** Share of planned outreach that is a call or meeting rather than an e-mail. */
  readonly spokenShare: number;
  /** Typical hours to answer a customer's e-mail. */
  readonly answerHours: number;
  /** Chance the rep acts on a task Tend gives them, and the typical hours it takes. */
  readonly taskDone: number;
  readonly taskHours: number;
  /** Share of the rep's accounts they never call at all. */
  readonly forgottenShare: number;
}

export interface DemoUser {
  readonly email: string;
  readonly name: string;
  readonly role: 'admin' | 'manager' | 'rep';
  readonly managerEmail: string | null;
  readonly timezone: string;
  /** Which customers the rep's team serves: by country code. */
  readonly region: 'emea' | 'americas' | null;
  readonly diligence: Diligence | null;
}

export const vendor = { name: 'Harbor Analytics', domain: 'harbor-analytics.example' } as const;

const at = (local: string): string => `${local}@${vendor.domain}`;

const manager = (local: string, name: string, timezone: string, region: 'emea' | 'americas'): DemoUser => ({
  email: at(local),
  name,
  role: 'manager',
  managerEmail: null,
  timezone,
  region,
  diligence: null,
});

const managers: readonly DemoUser[] = [
  manager('maria.keller', 'Maria Keller', 'Europe/Berlin', 'emea'),
  manager('david.chen', 'David Chen', 'America/New_York', 'americas'),
];

const rep = (local: string, name: string, team: number, timezone: string, diligence: Diligence): DemoUser => ({
  email: at(local),
  name,
  role: 'rep',
  managerEmail: managers[team]?.email ?? null,
  timezone,
  region: managers[team]?.region ?? null,
  diligence,
});

/** The six reps, the most diligent first within each team. */
const reps: readonly DemoUser[] = [
  rep('rita.novak', 'Rita Novak', 0, 'Europe/Berlin', {
    description: 'calls tier A every 10 days and answers within hours',
    everyDays: { A: 10, B: 24, C: 70 },
    spokenShare: 0.85,
    answerHours: 3,
    taskDone: 0.95,
    taskHours: 5,
    forgottenShare: 0,
  }),
  rep('jonas.weber', 'Jonas Weber', 0, 'Europe/Berlin', {
    description: 'writes e-mails often but rarely calls',
    everyDays: { A: 12, B: 28, C: 80 },
    spokenShare: 0.15,
    answerHours: 4,
    taskDone: 0.7,
    taskHours: 12,
    forgottenShare: 0.03,
  }),
  rep('sam.fischer', 'Sam Fischer', 0, 'Europe/Zurich', {
    description: 'lets accounts go dark: tier A every six weeks at best, some never called',
    everyDays: { A: 42, B: 110, C: null },
    spokenShare: 0.6,
    answerHours: 50,
    taskDone: 0.3,
    taskHours: 48,
    forgottenShare: 0.25,
  }),
  rep('priya.shah', 'Priya Shah', 1, 'America/New_York', {
    description: 'calls tier A every 12 days',
    everyDays: { A: 12, B: 26, C: 75 },
    spokenShare: 0.8,
    answerHours: 5,
    taskDone: 0.9,
    taskHours: 8,
    forgottenShare: 0,
  }),
  rep('tom.becker', 'Tom Becker', 1, 'America/Chicago', {
    description: 'keeps roughly to the cadence, a few days late',
    everyDays: { A: 17, B: 36, C: 110 },
    spokenShare: 0.7,
    answerHours: 14,
    taskDone: 0.75,
    taskHours: 20,
    forgottenShare: 0.04,
  }),
  rep('lucy.brennan', 'Lucy Brennan', 1, 'Europe/London', {
    description: 'overloaded: slow to answer, tier B and C slip',
    everyDays: { A: 21, B: 55, C: 200 },
    spokenShare: 0.65,
    answerHours: 34,
    taskDone: 0.5,
    taskHours: 36,
    forgottenShare: 0.08,
  }),
];

const admin: DemoUser = {
  email: at('alex.morgan'),
  name: 'Alex Morgan',
  role: 'admin',
  managerEmail: null,
  timezone: 'Europe/London',
  region: null,
  diligence: null,
};

/** Everyone, managers before their reps (the order users must be created in). */
export const demoTeam: readonly DemoUser[] = [admin, ...managers, ...reps];

/** The region whose customers a country's accounts belong to. */
export function regionOf(countryCode: string): 'emea' | 'americas' {
  return countryCode === 'US' || countryCode === 'GB' ? 'americas' : 'emea';
}

/** The contact cadence customers expect, per tier (Tend's default policy): silence past it wears them down. */
export const expectedEveryDays: Readonly<Record<TierName, number>> = { A: 14, B: 30, C: 90 };
