// The demo company's year as a stream of events in time order: ask for everything before an instant,
// tell it what Tend did meanwhile, and it answers with what its customers and reps did. Pure and
// seeded: the same company and the same reactions give the same events, message ids included.
import type { Random } from '../models/random.js';
import type { TrackingMessage } from '../tracking-message.js';
import { simulateAccountDay } from './demo-account-day.js';
import { type DemoCompany, dayStart, isPresent } from './demo-company.js';
import { MessageIds, trackOf } from './demo-messages.js';
import { type DemoReaction, reactToMessage, reactToTask } from './demo-reactions.js';
import { streamOf, textSeed } from './demo-random.js';
import type { AccountState, Scheduled, TaskCompletion, TimedScheduled, WorldContext } from './demo-state.js';
import { hourMilliseconds } from './demo-state.js';

/** What happened in the world before the instant asked for, in time order. */
export interface WorldStep {
  readonly messages: readonly TrackingMessage[];
  /** Tasks the reps finished, each with when (the driver records them through the API). */
  readonly completions: readonly Completion[];
}

type Completion = TaskCompletion & { readonly at: Date };

/** How an account fared, as only the world knows it (for measuring a health score against). */
export interface AccountOutcome {
  readonly accountId: string;
  readonly ownerEmail: string;
  readonly tier: 'A' | 'B' | 'C';
  readonly stage: AccountState['stage'];
  readonly satisfaction: number;
  /** The story's day it cancelled; null while a customer. */
  readonly churnedDay: number | null;
}

export interface DemoWorldOptions {
  /** The day an outage hits about one account in eight (default: ten days before today; null: none). */
  readonly outageDay?: number | null;
}

export class DemoWorld {
  private readonly states: AccountState[];
  /** One stream of draws per account: what one account draws never shifts another's story. */
  private readonly streams: Random[];
  private readonly byId: Map<string, AccountState>;
  private pending: TimedScheduled[] = [];
  private order = 0;
  private nextDay = 0;
  private readonly answered = new Set<string>();
  private readonly context: WorldContext;
  private readonly outageDay: number | null;

  constructor(
    readonly company: DemoCompany,
    options: DemoWorldOptions = {},
  ) {
    this.outageDay = options.outageDay === undefined ? company.days - 10 : options.outageDay;
    this.states = company.accounts.map((account, index) => ({
      account,
      index,
      diligence: company.team.find((user) => user.email === account.ownerEmail)?.diligence ?? null,
      stage: 'waiting',
      satisfaction: account.baseSatisfaction,
      lastSpokenDay: null,
      nextOutreachDay: null,
      renewalDay: null,
      activated: account.startDay === 0,
      boostedUntilDay: -1,
      churnedDay: null,
      invoices: 0,
      tickets: 0,
      unpaid: new Map(),
    }));
    this.streams = this.states.map((_, index) => streamOf(company.seed, 10, index));
    this.byId = new Map(this.states.map((state) => [state.account.id, state]));
    const ids = new MessageIds(company.seed);
    this.context = {
      company,
      ids,
      schedule: (at, scheduled) => this.pending.push({ at, order: this.order++, item: scheduled }),
      payInvoiceBy: (invoiceId, at) => {
        for (const entry of this.pending) {
          if (entry.item.kind !== 'message' || entry.item.invoiceId !== invoiceId || entry.at <= at) continue;
          (entry as { at: number }).at = at;
          entry.item.message.timestamp?.setTime(at);
        }
      },
    };
  }

  /** The first day not yet simulated. */
  get simulatedDays(): number {
    return this.nextDay;
  }

  /**
   * Everything that happens before `until`, after taking in what Tend did (`reactions`, each answered
   * once however often it is given). Days are simulated whole as they begin; what a day schedules past
   * `until` comes with a later call.
   */
  advance(until: Date, reactions: readonly DemoReaction[] = []): WorldStep {
    for (const reaction of reactions) this.react(reaction);
    const last = this.company.days;
    while (this.nextDay <= last && dayStart(this.company, this.nextDay).getTime() < until.getTime()) {
      this.simulateDay(this.nextDay);
      this.nextDay++;
    }
    const due: TimedScheduled[] = [];
    const later: TimedScheduled[] = [];
    for (const entry of this.pending) (entry.at < until.getTime() ? due : later).push(entry);
    this.pending = later;
    due.sort((a, b) => a.at - b.at || a.order - b.order);
    const step = { messages: [] as TrackingMessage[], completions: [] as Completion[] };
    for (const entry of due) this.deliver(entry.item, entry.at, step);
    return step;
  }

  /** Each account's stage, hidden satisfaction and churn as things stand. */
  outcomes(): AccountOutcome[] {
    return this.states.map((state) => ({
      accountId: state.account.id,
      ownerEmail: state.account.ownerEmail,
      tier: state.account.tier,
      stage: state.stage,
      satisfaction: state.satisfaction,
      churnedDay: state.churnedDay,
    }));
  }

  private deliver(item: Scheduled, at: number, into: { messages: TrackingMessage[]; completions: Completion[] }): void {
    switch (item.kind) {
      case 'message':
        if (item.invoiceId !== undefined) {
          const accountId = item.message.context.groupId;
          if (typeof accountId === 'string') this.byId.get(accountId)?.unpaid.delete(item.invoiceId);
        }
        into.messages.push(item.message);
        return;
      case 'completion':
        into.completions.push({ ...item.completion, at: new Date(at) });
        return;
    }
  }

  private react(reaction: DemoReaction): void {
    if (this.answered.has(reaction.id) || reaction.accountId === null) return;
    this.answered.add(reaction.id);
    const state = this.byId.get(reaction.accountId);
    if (state === undefined) return;
    // Draws follow what Tend did, never its ids: Tend makes a new random id for each message and task,
    // and a story keyed by them would differ on every run of the same seed.
    const random = streamOf(this.company.seed, 30, textSeed(reactionIdentity(reaction)));
    if (reaction.kind === 'message') reactToMessage(this.context, state, reaction, random);
    else reactToTask(this.context, state, reaction, random);
  }

  private simulateDay(day: number): void {
    this.states.forEach((state, index) => simulateAccountDay(this.context, state, day, this.streams[index]!));
    if (day === this.outageDay) this.outage(day);
  }

  /** An outage of the reports service hits some customers for five hours. */
  private outage(day: number): void {
    const random = streamOf(this.company.seed, 20, day);
    const begins = dayStart(this.company, day).getTime() + 10 * hourMilliseconds;
    const outageId = `OUT-${day}`;
    for (const state of this.states) {
      if (!['onboarding', 'active', 'renewal'].includes(state.stage) || random.next() >= 0.12) continue;
      const person = state.account.people.find((candidate) => isPresent(candidate, day));
      if (person === undefined) continue;
      const properties = { outageId, service: 'Reports', summary: 'Reports do not load' };
      const { ids } = this.context;
      const started = trackOf(ids, person.userId, state.account.id, 'Outage Started', properties, new Date(begins));
      this.context.schedule(begins, { kind: 'message', message: started });
      const endsAt = begins + 5 * hourMilliseconds;
      const fixed = { outageId, service: 'Reports' };
      const resolved = trackOf(ids, person.userId, state.account.id, 'Outage Resolved', fixed, new Date(endsAt));
      this.context.schedule(endsAt, { kind: 'message', message: resolved });
      state.satisfaction -= 0.15 * this.company.churnDrivers.tickets;
    }
  }
}

/** What makes a reaction the same one on every run: who, what, and when, on the story's clock. */
function reactionIdentity(reaction: DemoReaction): string {
  const at = reaction.at.toISOString();
  return reaction.kind === 'message'
    ? ['message', reaction.accountId, reaction.userId, reaction.channel, reaction.template, at].join('|')
    : ['task', reaction.accountId, reaction.ownerEmail, reaction.objective, at].join('|');
}
