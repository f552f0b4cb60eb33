// The live half of the signals benchmark, against a running `tend start`: a steady paced ingest load
// of mixed events, probes that send a detractor survey answer and poll the signals API until the
// signal shows (event → signal latency), and timed today-list requests for random reps.
import { Agent } from 'node:http';
import { call } from './load-client.js';
export type { Reply } from './load-client.js';
import { type Random, seededRandom } from '../../src/domain/models/random.js';

const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));
const pick = <T>(random: Random, items: readonly T[]): T => items[random.integer(items.length)]!;
const userAgents = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0',
];
const categories = ['billing', 'login', 'export', 'performance', 'integration'];

export interface TrafficShape {
  readonly accounts: number;
  readonly contactsPerAccount: number;
  readonly reps: number;
}

/**
 * Request bodies of `batchSize` events each, built before the clock starts: sign-ins 88 %, feature use
 * 4 %, survey answers 2 % (mostly promoters), tickets 2 %, rep e-mails 1 %, calls 1 %, invoices 1 %,
 * identify 1 %; accounts skewed as in the loaded data, each event naming its account (context.groupId).
 */
export function buildIngestBodies(shape: TrafficShape, requests: number, batchSize: number, seed: number): Buffer[] {
  const random = seededRandom(seed);
  const bodies: Buffer[] = [];
  let sequence = 0;
  for (let index = 0; index < requests; index++) {
    const events: string[] = [];
    for (let slot = 0; slot < batchSize; slot++) {
      const account = Math.floor(shape.accounts * random.next() ** 1.5);
      const userId = `user_${account * shape.contactsPerAccount + random.integer(shape.contactsPerAccount)}`;
      const rep = `rep${random.integer(shape.reps)}@tend.example`;
      const base = {
        userId,
        messageId: `load-${seed}-${sequence++}`,
        context: {
          groupId: `acct_${account}`,
          library: { name: '@segment/analytics-node', version: '3.1.0' },
          ip: `10.0.${account % 256}.${1 + random.integer(250)}`,
          userAgent: pick(random, userAgents),
        },
      };
      const draw = random.next();
      const track = (event: string, properties: Record<string, unknown>) => ({
        type: 'track',
        event,
        properties,
        ...base,
      });
      const category = pick(random, categories);
      const message =
        draw < 0.88
          ? track('Signed In', { source: pick(random, ['web', 'ios', 'android']) })
          : draw < 0.92
            ? track('Feature Used', { feature: pick(random, ['reports', 'exports', 'automations', 'dashboards']) })
            : draw < 0.94
              ? track('Survey Answered', { score: 10 - Math.floor(11 * random.next() ** 3), survey: 'nps' })
              : draw < 0.96
                ? track('Ticket Opened', { ticketId: `load-t-${sequence}`, category, subject: `Help with ${category}` })
                : draw < 0.97
                  ? track('Email Sent', { rep, summary: 'Follow-up' })
                  : draw < 0.98
                    ? track('Call Logged', {
                        rep,
                        direction: 'outbound',
                        summary: 'Quarterly call',
                        objective: 'check-in',
                      })
                    : draw < 0.99
                      ? track('Invoice Issued', {
                          invoiceId: `load-inv-${sequence}`,
                          amount: 100 + random.integer(5000),
                          dueDate: '2027-01-31',
                        })
                      : {
                          type: 'identify',
                          traits: { email: `${userId}@customer.example`, title: 'Engineer' },
                          ...base,
                        };
      events.push(JSON.stringify(message));
    }
    bodies.push(Buffer.from(`{"batch":[${events.join(',')}]}`));
  }
  return bodies;
}

export interface IngestLoad {
  readonly sentEvents: number;
  readonly failures: number;
  readonly eventsPerSecond: number;
  /** Request latencies (ms), sorted. */
  readonly latencies: Float64Array;
}

/** Sends the bodies at `requestsPerSecond`, at most `inFlight` at once, until they run out or `stop`. */
export async function paceIngest(
  base: string,
  writeKey: string,
  bodies: readonly Buffer[],
  batchSize: number,
  requestsPerSecond: number,
  inFlight: number,
  stop: () => boolean,
): Promise<IngestLoad> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const latencies: number[] = [];
  let failures = 0;
  let running = 0;
  const slots: (() => void)[] = [];
  const began = performance.now();
  let sent = 0;
  const pending: Promise<void>[] = [];
  for (const body of bodies) {
    if (stop()) break;
    const due = began + (sent * 1000) / requestsPerSecond;
    if (due > performance.now()) await sleep(due - performance.now());
    while (running >= inFlight) await new Promise<void>((free) => slots.push(free));
    running++;
    sent++;
    const requestBegan = performance.now();
    pending.push(
      call(agent, base, 'POST', '/v1/batch', authorization, body)
        .then((reply) =>
          reply.status === 200 ? void latencies.push(performance.now() - requestBegan) : void failures++,
        )
        .catch(() => void failures++)
        .finally(() => {
          running--;
          slots.shift()?.();
        }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  return {
    sentEvents: (sent - failures) * batchSize,
    failures,
    eventsPerSecond: ((sent - failures) * batchSize) / seconds,
    latencies: Float64Array.from(latencies).sort(),
  };
}

export interface ProbeResult {
  /** Event sent → signal first seen (ms), sorted; probes that timed out are not in it. */
  readonly latencies: Float64Array;
  /** Event sent → ingest answered 200 (ms), sorted. */
  readonly acknowledged: Float64Array;
  /**
   * Event sent → the start of the engine round that raised the signal (its raisedAt), and that start →
   * signal seen (the round, its commit, and the poll), in wall-clock ms on this machine, sorted.
   */
  readonly untilRound: Float64Array;
  readonly afterRound: Float64Array;
  readonly timedOut: number;
}

/** How long to wait before the next look: fine at first, coarser later (bounds the polling load). */
const pollDelay = (elapsed: number): number => (elapsed < 100 ? 5 : elapsed < 1000 ? 10 : 50);

/**
 * Every `everyMilliseconds`, sends a Survey Answered with score 2 for the next account (one with no
 * open detractor signal) and polls GET /api/v1/signals until the detractor shows, up to `limit` ms.
 */
export async function probeLatency(
  base: string,
  writeKey: string,
  adminToken: string,
  accounts: readonly string[],
  contactOf: (account: string) => string,
  everyMilliseconds: number,
  limit: number,
  stop: () => boolean,
): Promise<ProbeResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const basic = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const bearer = `Bearer ${adminToken}`;
  const latencies: number[] = [];
  const acknowledged: number[] = [];
  const untilRound: number[] = [];
  const afterRound: number[] = [];
  let timedOut = 0;
  const probe = async (account: string, sequence: number): Promise<void> => {
    const event = {
      type: 'track',
      event: 'Survey Answered',
      userId: contactOf(account),
      messageId: `probe-${Date.now()}-${sequence}`,
      timestamp: new Date().toISOString(),
      properties: { score: 2, survey: 'nps' },
      context: { groupId: account },
    };
    const sent = performance.now();
    const sentWall = Date.now();
    const reply = await call(agent, base, 'POST', '/v1/batch', basic, Buffer.from(JSON.stringify({ batch: [event] })));
    if (reply.status !== 200) throw new Error(`probe ingest answered ${reply.status}: ${reply.text.slice(0, 200)}`);
    acknowledged.push(performance.now() - sent);
    const path = `/api/v1/signals?accountId=${encodeURIComponent(account)}&kind=detractor&open=true`;
    for (;;) {
      const answer = await call(agent, base, 'GET', path, bearer);
      const seenAt = performance.now();
      if (answer.status !== 200) throw new Error(`signals answered ${answer.status}: ${answer.text.slice(0, 200)}`);
      const signals = (JSON.parse(answer.text) as { signals: { raisedAt: string }[] }).signals;
      if (signals.length > 0) {
        latencies.push(seenAt - sent);
        const raisedAt = Date.parse(signals[0]!.raisedAt);
        untilRound.push(raisedAt - sentWall);
        afterRound.push(Date.now() - raisedAt);
        return;
      }
      if (seenAt - sent > limit) {
        timedOut++;
        return;
      }
      await sleep(pollDelay(seenAt - sent));
    }
  };
  const running: Promise<void>[] = [];
  for (let index = 0; index < accounts.length && !stop(); index++) {
    running.push(probe(accounts[index]!, index));
    await sleep(everyMilliseconds);
  }
  await Promise.all(running);
  agent.destroy();
  const sorted = (values: number[]): Float64Array => Float64Array.from(values).sort();
  return {
    latencies: sorted(latencies),
    acknowledged: sorted(acknowledged),
    untilRound: sorted(untilRound),
    afterRound: sorted(afterRound),
    timedOut,
  };
}

export interface TodayResult {
  readonly latencies: Float64Array;
  readonly meanAccountsOwned: number;
  readonly meanEntries: number;
}

/** Asks for `count` today lists of random reps, one at a time. */
export async function todayLatency(
  base: string,
  adminToken: string,
  reps: number,
  count: number,
  seed: number,
): Promise<TodayResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const random = seededRandom(seed);
  const latencies: number[] = [];
  let owned = 0;
  let entries = 0;
  for (let index = 0; index < count; index++) {
    const rep = `rep${random.integer(reps)}@tend.example`;
    const began = performance.now();
    const reply = await call(
      agent,
      base,
      'GET',
      `/api/v1/users/${encodeURIComponent(rep)}/today`,
      `Bearer ${adminToken}`,
    );
    latencies.push(performance.now() - began);
    if (reply.status !== 200) throw new Error(`today for ${rep} answered ${reply.status}: ${reply.text.slice(0, 200)}`);
    const body = JSON.parse(reply.text) as { accountsOwned: number; entries: unknown[] };
    owned += body.accountsOwned;
    entries += body.entries.length;
  }
  agent.destroy();
  return {
    latencies: Float64Array.from(latencies).sort(),
    meanAccountsOwned: owned / count,
    meanEntries: entries / count,
  };
}
