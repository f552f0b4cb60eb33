// The ingest benchmark's traffic: Segment batch requests shaped like what @segment/analytics-node
// sends for a B2B product (identify, group with money traits, track with context), seeded so that
// every run sends the same bytes. Bodies are built before the clock starts.
import { type Random, seededRandom } from '../../src/domain/models/random.js';

export interface WorkloadOptions {
  readonly events: number;
  readonly batchSize: number;
  readonly seed: number;
  /** Stamps timestamps and messageIds: the traffic looks live, within the hour before this instant. */
  readonly now: number;
}

export interface Workload {
  readonly bodies: Buffer[];
  readonly events: number;
  readonly counts: { identify: number; group: number; track: number };
  /** Bytes of one event as JSON: mean, smallest and largest. */
  readonly eventBytes: { mean: number; min: number; max: number };
}

const users = 100_000;
const usersPerAccount = 10;

const eventNames = [
  'Signed In',
  'Dashboard Viewed',
  'Report Exported',
  'Invoice Sent',
  'Project Created',
  'Task Completed',
  'Comment Posted',
  'File Uploaded',
  'Integration Connected',
  'Seat Added',
  'Search Performed',
  'Filter Applied',
  'Workflow Run',
  'Settings Updated',
  'Teammate Invited',
  'Plan Viewed',
  'Support Ticket Opened',
  'Feature Used',
] as const;

const userAgents = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
] as const;

const firstNames = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
] as const;
const lastNames = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Liskov',
  'Ritchie',
  'Allen',
  'Thompson',
  'Perlman',
] as const;
const plans = ['starter', 'team', 'business', 'enterprise'] as const;
const stages = ['onboarding', 'active', 'active', 'renewal'] as const;
const industries = ['software', 'retail', 'logistics', 'healthcare', 'finance', 'education'] as const;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[random.integer(items.length)]!;
}

function hex(random: Random, length: number): string {
  let text = '';
  while (text.length < length)
    text += Math.floor(random.next() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return text.slice(0, length);
}

/** Property makers for track events: a varied mix of strings, numbers, booleans and small objects. */
const propertyMakers: readonly ((random: Random) => [string, unknown])[] = [
  (random) => ['path', `/app/projects/${random.integer(5000)}/board`],
  (random) => ['durationMs', random.integer(120_000)],
  (random) => ['plan', pick(random, plans)],
  (random) => ['itemCount', random.integer(250)],
  (random) => ['source', pick(random, ['web', 'ios', 'android', 'api'])],
  (random) => ['amount', Math.round(random.next() * 500_000) / 100],
  () => ['currency', 'EUR'],
  (random) => ['success', random.next() < 0.95],
  (random) => ['projectId', `prj_${hex(random, 12)}`],
  (random) => ['label', `${pick(random, eventNames)} via ${pick(random, ['sidebar', 'shortcut', 'menu'])}`],
  (random) => ['filters', { status: pick(random, ['open', 'closed', 'all']), owner: `user_${random.integer(users)}` }],
  (random) => ['version', `${1 + random.integer(4)}.${random.integer(20)}.${random.integer(10)}`],
  (random) => ['referrer', `https://www.example-${random.integer(40)}.com/blog/post-${random.integer(900)}`],
  (random) => ['tags', ['q4', 'pilot', 'renewal', 'expansion'].slice(0, 1 + random.integer(4))],
];

interface Person {
  readonly userId: string;
  readonly accountId: string;
  readonly index: number;
}

function personFor(random: Random): Person {
  // Squaring a uniform draw skews activity: a few users send much of the traffic, as in real products.
  const u = random.next();
  const index = Math.floor(users * u * u);
  return { userId: `user_${index}`, accountId: `acct_${Math.floor(index / usersPerAccount)}`, index };
}

function context(random: Random, person: Person): Record<string, unknown> {
  return {
    library: { name: '@segment/analytics-node', version: '3.1.0' },
    ip: `10.${person.index % 256}.${(person.index >> 8) % 256}.${1 + random.integer(250)}`,
    userAgent: pick(random, userAgents),
  };
}

function message(
  random: Random,
  sequence: number,
  now: number,
): { kind: keyof Workload['counts']; event: Record<string, unknown> } {
  const person = personFor(random);
  const at = now - random.integer(3_600_000);
  const base = {
    messageId: `node-next-${at}-${hex(random, 8)}-${sequence.toString(36)}`,
    timestamp: new Date(at).toISOString(),
    context: context(random, person),
    integrations: {},
    _metadata: { nodeVersion: 'v20.19.0', jsRuntime: 'node' },
  };
  const draw = random.next();
  if (draw < 0.1) {
    const first = pick(random, firstNames);
    const last = pick(random, lastNames);
    const traits = {
      email: `${first}.${last}.${person.index}@example.com`.toLowerCase(),
      firstName: first,
      lastName: last,
      title: pick(random, ['Head of Operations', 'Engineer', 'Account Manager', 'CFO']),
      phone: `+33 6 ${String(random.integer(100_000_000)).padStart(8, '0')}`,
      language: pick(random, ['en', 'fr', 'de']),
      timezone: pick(random, ['Europe/Paris', 'Europe/Berlin', 'America/New_York']),
      createdAt: new Date(now - random.integer(400) * 86_400_000).toISOString(),
    };
    const anonymous = random.next() < 0.5 ? { anonymousId: `anon-${hex(random, 16)}` } : {};
    return { kind: 'identify', event: { type: 'identify', userId: person.userId, ...anonymous, traits, ...base } };
  }
  if (draw < 0.15) {
    const revenue = 1_000 + random.integer(250_000);
    const traits = {
      name: `Company ${person.accountId.slice(5)} ${pick(random, lastNames)}`,
      plan: pick(random, plans),
      lifecycleStage: pick(random, stages),
      revenue: revenue + random.integer(100) / 100,
      profit: Math.round(revenue * (0.1 + random.next() * 0.5) * 100) / 100,
      currency: 'EUR',
      owner: `rep${random.integer(40)}@tend.example`,
      employees: 5 + random.integer(2_000),
      industry: pick(random, industries),
    };
    return {
      kind: 'group',
      event: { type: 'group', userId: person.userId, groupId: person.accountId, traits, ...base },
    };
  }
  const properties: Record<string, unknown> = {};
  const wanted = 3 + random.integer(8);
  const makers = random.shuffle([...propertyMakers]);
  for (let index = 0; index < wanted && index < makers.length; index++) {
    const [key, value] = makers[index]!(random);
    properties[key] = value;
  }
  const who = random.next();
  const ids =
    who < 0.05
      ? { anonymousId: `anon-${hex(random, 16)}` }
      : who < 0.2
        ? { userId: person.userId, anonymousId: `anon-${person.index.toString(16).padStart(16, '0')}` }
        : { userId: person.userId };
  return { kind: 'track', event: { type: 'track', event: pick(random, eventNames), ...ids, properties, ...base } };
}

/** Builds every request body of a run, so that generating JSON never competes with sending it. */
export function buildWorkload(options: WorkloadOptions): Workload {
  const random = seededRandom(options.seed);
  const bodies: Buffer[] = [];
  const counts = { identify: 0, group: 0, track: 0 };
  let bytes = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let start = 0; start < options.events; start += options.batchSize) {
    const batch: string[] = [];
    for (let sequence = start; sequence < Math.min(options.events, start + options.batchSize); sequence++) {
      const { kind, event } = message(random, sequence, options.now);
      counts[kind]++;
      const text = JSON.stringify(event);
      bytes += text.length;
      min = Math.min(min, text.length);
      max = Math.max(max, text.length);
      batch.push(text);
    }
    bodies.push(Buffer.from(`{"batch":[${batch.join(',')}],"sentAt":"${new Date(options.now).toISOString()}"}`));
  }
  return {
    bodies,
    events: options.events,
    counts,
    eventBytes: { mean: bytes / Math.max(1, options.events), min, max },
  };
}
