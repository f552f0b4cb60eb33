// The traffic of the journeys benchmark: the subjects themselves (identify with an e-mail address and
// a daytime time zone, group into an account of their own owned by the bench rep), then one detractor
// survey answer per subject, sent at a steady rate and spread over every Tend process, with the wall
// time each request left the benchmark so that latencies can be measured per subject.
import { Agent } from 'node:http';
import { call } from './load-client.js';
import { subjectEmail } from './journeys-smtp.js';

export const benchRep = 'rep@tend.example';
export const subjectUser = (index: number): string => `subject_${index}`;
export const subjectAccount = (index: number): string => `account_${index}`;

const sleep = (milliseconds: number): Promise<void> => new Promise((done) => setTimeout(done, milliseconds));

/**
 * An IANA zone where it is about noon now: Tend defers automated messages in the recipient's quiet
 * hours (21:00–08:00 local), which would turn a night-time run into a measurement of the deferral.
 * Etc/GMT zones have their sign inverted (Etc/GMT-3 is UTC+3).
 */
export function noonTimeZone(now: Date): string {
  const offset = 12 - now.getUTCHours();
  if (offset === 0) return 'UTC';
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

/** identify + group for every subject, `perRequest` subjects (twice as many messages) per request. */
export function setupBodies(subjects: number, perRequest: number, timeZone: string): Buffer[] {
  const bodies: Buffer[] = [];
  for (let first = 0; first < subjects; first += perRequest) {
    const messages: string[] = [];
    for (let index = first; index < Math.min(subjects, first + perRequest); index++) {
      const userId = subjectUser(index);
      messages.push(
        JSON.stringify({
          type: 'identify',
          userId,
          messageId: `setup-identify-${index}`,
          traits: { email: subjectEmail(index), name: `Subject ${index}`, language: 'en', timezone: timeZone },
        }),
      );
      messages.push(
        JSON.stringify({
          type: 'group',
          userId,
          groupId: subjectAccount(index),
          messageId: `setup-group-${index}`,
          traits: { name: `Account ${index}`, plan: 'team', owner: benchRep },
        }),
      );
    }
    bodies.push(Buffer.from(`{"batch":[${messages.join(',')}]}`));
  }
  return bodies;
}

/** One "Survey Answered" with score 2 (a detractor) per subject from `first`, `perRequest` per body. */
export function surveyBodies(first: number, count: number, perRequest: number, seed: number): Buffer[] {
  const bodies: Buffer[] = [];
  for (let start = first; start < first + count; start += perRequest) {
    const messages: string[] = [];
    for (let index = start; index < Math.min(first + count, start + perRequest); index++) {
      messages.push(
        JSON.stringify({
          type: 'track',
          event: 'Survey Answered',
          userId: subjectUser(index),
          messageId: `survey-${seed}-${index}`,
          properties: { score: 2, survey: 'nps', comment: 'Too slow for us' },
          context: { groupId: subjectAccount(index) },
        }),
      );
    }
    bodies.push(Buffer.from(`{"batch":[${messages.join(',')}]}`));
  }
  return bodies;
}

export interface PacedResult {
  /** Wall time (Date.now()) each request was sent, by request index. */
  readonly sentAt: Float64Array;
  /** Request latencies (ms) of those answered 200, sorted. */
  readonly latencies: Float64Array;
  readonly failures: number;
  readonly firstFailure: string | null;
  readonly retries: number;
  /** From the first request sent to the last answer. */
  readonly wallMilliseconds: number;
  /** Requests sent later than planned because `inFlight` were still unanswered (the system pushed back). */
  readonly late: number;
}

/**
 * Sends `bodies` at `requestsPerSecond`, request i to `urls[i % urls.length]`, at most `inFlight`
 * unanswered at once; a failed request is retried (same messageIds, so stored once), up to 5 times.
 */
export async function sendPaced(
  urls: readonly string[],
  writeKey: string,
  bodies: readonly Buffer[],
  requestsPerSecond: number,
  inFlight: number,
  onProgress?: (sent: number) => void,
): Promise<PacedResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  const authorization = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  const sentAt = new Float64Array(bodies.length).fill(Number.NaN);
  const latencies: number[] = [];
  let failures = 0;
  let retries = 0;
  let late = 0;
  let firstFailure: string | null = null;
  let running = 0;
  const slots: (() => void)[] = [];
  const pending: Promise<void>[] = [];
  const send = async (index: number): Promise<void> => {
    const url = urls[index % urls.length]!;
    for (let attempt = 1; attempt <= 5; attempt++) {
      const began = performance.now();
      let problem: string;
      try {
        const reply = await call(agent, url, 'POST', '/v1/batch', authorization, bodies[index]!);
        if (reply.status === 200) {
          latencies.push(performance.now() - began);
          return;
        }
        problem = `HTTP ${reply.status}: ${reply.text.slice(0, 300)}`;
      } catch (error) {
        problem = String(error);
      }
      firstFailure ??= problem;
      if (attempt === 5) break;
      retries++;
      await sleep(100 * attempt);
    }
    failures++;
  };
  const began = performance.now();
  for (let index = 0; index < bodies.length; index++) {
    const due = began + (index * 1000) / requestsPerSecond;
    if (due > performance.now()) await sleep(due - performance.now());
    if (running >= inFlight) late++;
    while (running >= inFlight) await new Promise<void>((free) => slots.push(free));
    running++;
    sentAt[index] = Date.now();
    pending.push(
      send(index).finally(() => {
        running--;
        slots.shift()?.();
      }),
    );
    if (index % 100 === 99) onProgress?.(index + 1);
  }
  await Promise.all(pending);
  const wallMilliseconds = performance.now() - began;
  agent.destroy();
  return {
    sentAt,
    latencies: Float64Array.from(latencies).sort(),
    failures,
    firstFailure,
    retries,
    wallMilliseconds,
    late,
  };
}
