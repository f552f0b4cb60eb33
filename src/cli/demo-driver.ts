// Plays the demo company's year into a running Tend through its public API: the team as users, the
// history up to the last weeks in large batches, then the last weeks day by day on the manual clock,
// so that Tend's signals, tasks and playbooks act on them, and the world answers what Tend did.
import type { DemoCompany } from '../domain/demo/demo-company.js';
import { dayStart } from '../domain/demo/demo-company.js';
import type { DemoReaction } from '../domain/demo/demo-reactions.js';
import { DemoWorld, type WorldStep } from '../domain/demo/demo-world.js';
import { DemoClient } from './demo-client.js';

const hourMilliseconds = 3_600_000;

export interface DemoDriveOptions {
  readonly url: string;
  readonly writeKey: string;
  readonly adminToken: string;
  readonly company: DemoCompany;
  /**
   * The story's last days that Tend lives through a day at a time; the days before are history, sent
   * at once with the clock standing at the first of these days. Tend's clock must not be past it.
   */
  readonly drivenDays: number;
  /** Hour (UTC) of the story's today at which the clock stops (default 8). */
  readonly morningHour?: number;
  /** Told as each phase ends and after each driven week. */
  readonly onProgress?: (line: string) => void;
}

export interface DemoDriveFigures {
  readonly historyEvents: number;
  readonly drivenEvents: number;
  readonly reactions: number;
  readonly completedTasks: number;
  /** Real seconds of each phase. */
  readonly seconds: { readonly users: number; readonly history: number; readonly driven: number };
  readonly world: DemoWorld;
}

interface OutboxMessage {
  id: string;
  accountId: string | null;
  contactId: string | null;
  channel: string;
  status: string;
  payload: Record<string, unknown>;
  createdAt: string;
  sentAt: string | null;
}

interface Task {
  id: string;
  accountId: string | null;
  owner: string;
  objective: string;
  createdAt: string;
}

/** What Tend did since the last look: messages that went out, and tasks it gave people. */
export class ActionReader {
  private readonly seen = new Set<string>();

  constructor(private readonly client: DemoClient) {}

  async read(): Promise<DemoReaction[]> {
    const reactions: DemoReaction[] = [];
    // Newest first: a short page, and a long one only when the short one held nothing already seen.
    let messages = (await this.client.get<{ messages: OutboxMessage[] }>('/api/v1/outbox?limit=50')).messages;
    if (messages.length === 50 && messages.every((message) => !this.seen.has(message.id))) {
      messages = (await this.client.get<{ messages: OutboxMessage[] }>('/api/v1/outbox?limit=1000')).messages;
    }
    for (const message of messages) {
      if (this.seen.has(message.id) || (message.status !== 'sent' && message.status !== 'delivered-locally')) continue;
      this.seen.add(message.id);
      const template = typeof message.payload.template === 'string' ? message.payload.template : null;
      const at = new Date(message.sentAt ?? message.createdAt);
      reactions.push({
        kind: 'message',
        id: message.id,
        accountId: message.accountId,
        userId: message.contactId,
        channel: message.channel,
        template,
        at,
      });
    }
    const tasks = (await this.client.get<{ tasks: Task[] }>('/api/v1/tasks?status=open&limit=1000')).tasks;
    for (const task of tasks) {
      if (this.seen.has(task.id)) continue;
      this.seen.add(task.id);
      reactions.push({
        kind: 'task',
        id: task.id,
        ownerEmail: task.owner,
        accountId: task.accountId,
        objective: task.objective,
        at: new Date(task.createdAt),
      });
    }
    return reactions;
  }
}

/** Sends a step of the world to Tend: its events, then the tasks its reps finished. Returns how many closed. */
export async function record(client: DemoClient, step: WorldStep): Promise<number> {
  await client.send(step.messages);
  let completed = 0;
  for (const completion of step.completions) {
    // A task already completed, or cancelled when its run ended, is no longer open: nothing to do.
    const answer = await client.tryPost(`/api/v1/tasks/${completion.taskId}/complete`, {
      outcome: completion.outcome,
      note: completion.note,
    });
    if (answer.status === 200) completed++;
    else if (answer.status >= 500) throw new Error(`Completing task ${completion.taskId} answered ${answer.status}`);
  }
  return completed;
}

/** Creates the team, sends the history, then lives through the last `drivenDays` days with Tend. */
export async function driveDemo(options: DemoDriveOptions): Promise<DemoDriveFigures> {
  const { company } = options;
  const client = new DemoClient(options.url, options.writeKey, options.adminToken);
  const progress = options.onProgress ?? (() => undefined);
  const firstDriven = company.days - options.drivenDays;
  if (!Number.isInteger(options.drivenDays) || firstDriven < 1)
    throw new Error(`drivenDays must be a whole number from 0 to ${company.days - 1}.`);
  const driveFrom = dayStart(company, firstDriven);
  const began = performance.now();

  for (const user of company.team) {
    await client.post('/api/v1/users', {
      email: user.email,
      name: user.name,
      role: user.role,
      ...(user.managerEmail === null ? {} : { managerEmail: user.managerEmail }),
    });
  }
  const clock = new Date((await client.get<{ now: string }>('/api/v1/clock')).now);
  if (clock.getTime() > driveFrom.getTime())
    throw new Error(
      `Tend's clock stands at ${clock.toISOString()}, ` +
        `past ${driveFrom.toISOString()} where the demo's last weeks begin.`,
    );
  if (clock.getTime() < driveFrom.getTime())
    await client.post('/api/v1/clock/advance', { to: driveFrom.toISOString() });
  const usersDone = performance.now();

  const world = new DemoWorld(company);
  const history = world.advance(driveFrom);
  await client.send(history.messages);
  const historyDone = performance.now();
  progress(
    `history: ${history.messages.length} events up to ${driveFrom.toISOString().slice(0, 10)} ` +
      `in ${((historyDone - usersDone) / 1000).toFixed(1)} s`,
  );

  const reader = new ActionReader(client);
  let drivenEvents = 0;
  let reactions = 0;
  let completedTasks = 0;
  const morning = (options.morningHour ?? 8) * hourMilliseconds;
  for (let day = firstDriven; day <= company.days; day++) {
    // A day's events go in once the clock has passed them: the midnight refresh has seen the day before.
    const until = dayStart(company, day).getTime() + (day === company.days ? morning : 23 * hourMilliseconds);
    await client.post('/api/v1/clock/advance', { to: new Date(until).toISOString() });
    const done = await reader.read();
    reactions += done.length;
    const step = world.advance(new Date(until), done);
    drivenEvents += step.messages.length;
    completedTasks += await record(client, step);
    if ((day - firstDriven) % 7 === 6)
      progress(
        `day ${day - firstDriven + 1} of ${options.drivenDays + 1}: ` +
          `${((performance.now() - historyDone) / 1000).toFixed(1)} s`,
      );
  }
  const drivenDone = performance.now();
  return {
    historyEvents: history.messages.length,
    drivenEvents,
    reactions,
    completedTasks,
    seconds: {
      users: (usersDone - began) / 1000,
      history: (historyDone - usersDone) / 1000,
      driven: (drivenDone - historyDone) / 1000,
    },
    world,
  };
}
