// Replays a generated company's year into a running Tend a week at a time, as the history benchmark
// needs it: the clock moves a week, Tend's actions of that week are read, the world answers them and
// its week of events goes in. Each week is timed; outside the timing, what the measures of the health
// score need is sampled (each account's days since contact, and the world's hidden truth).
import { ActionReader, record } from '../../src/cli/demo-driver.js';
import { DemoClient } from '../../src/cli/demo-client.js';
import { type DemoCompany, dayStart } from '../../src/domain/demo/demo-company.js';
import { type AccountOutcome, DemoWorld } from '../../src/domain/demo/demo-world.js';

export interface WeekFigures {
  readonly week: number;
  readonly events: number;
  /** Seconds to move the clock a week (the scheduler's due work: refreshes, rankings, journeys, sends). */
  readonly advanceSeconds: number;
  /** Seconds to read what Tend did and to send the week's events and finished tasks. */
  readonly ingestSeconds: number;
  readonly seconds: number;
}

/** One account as the week ended: what Tend's list said, and what only the world knows. */
export interface AccountSample {
  readonly daysSinceContact: number | null;
  readonly healthScore: number | null;
  readonly outcome: AccountOutcome;
}

export interface WeekSample {
  readonly week: number;
  /** The story's day the week ended on (its first day is 0). */
  readonly day: number;
  readonly accounts: ReadonlyMap<string, AccountSample>;
}

export interface ReplayResult {
  readonly weeks: readonly WeekFigures[];
  readonly samples: readonly WeekSample[];
  readonly outcomes: readonly AccountOutcome[];
  readonly client: DemoClient;
}

interface ListItem {
  id: string;
  healthScore: number | null;
  daysSinceContact: number | null;
}

/** Every account in Tend's list, a page at a time. */
export async function allAccounts(client: DemoClient): Promise<ListItem[]> {
  const items: ListItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
    const page: { items: ListItem[]; next: string | null } = await client.get(`/api/v1/accounts?limit=200${query}`);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return items;
}

export interface ReplayOptions {
  readonly url: string;
  readonly writeKey: string;
  readonly adminToken: string;
  readonly company: DemoCompany;
  readonly weeks: number;
  readonly onWeek?: (figures: WeekFigures) => void;
}

/** Creates the team, then lives through `weeks` weeks from the story's first day. */
export async function replayYear(options: ReplayOptions): Promise<ReplayResult> {
  const { company } = options;
  const client = new DemoClient(options.url, options.writeKey, options.adminToken);
  for (const user of company.team) {
    await client.post('/api/v1/users', {
      email: user.email,
      name: user.name,
      role: user.role,
      ...(user.managerEmail === null ? {} : { managerEmail: user.managerEmail }),
    });
  }
  const world = new DemoWorld(company);
  const reader = new ActionReader(client);
  const weeks: WeekFigures[] = [];
  const samples: WeekSample[] = [];
  for (let week = 0; week < options.weeks; week++) {
    const day = 7 * (week + 1);
    const began = performance.now();
    // The clock passes the week first, so the week's events arrive as they would: just after they happened.
    await client.post('/api/v1/clock/advance', { by: 'P7D' });
    const advanced = performance.now();
    const step = world.advance(dayStart(company, day), await reader.read());
    await record(client, step);
    const ended = performance.now();
    const figures = {
      week: week + 1,
      events: step.messages.length,
      advanceSeconds: (advanced - began) / 1000,
      ingestSeconds: (ended - advanced) / 1000,
      seconds: (ended - began) / 1000,
    };
    weeks.push(figures);
    options.onWeek?.(figures);
    const listed = new Map((await allAccounts(client)).map((item) => [item.id, item]));
    const accounts = new Map<string, AccountSample>();
    for (const outcome of world.outcomes()) {
      const item = listed.get(outcome.accountId);
      accounts.set(outcome.accountId, {
        daysSinceContact: item?.daysSinceContact ?? null,
        healthScore: item?.healthScore ?? null,
        outcome,
      });
    }
    samples.push({ week: week + 1, day, accounts });
  }
  return { weeks, samples, outcomes: world.outcomes(), client };
}
