// The event stream of the chaos run, as a B2B product's servers send it through a Segment SDK: first
// an identify and a group for every person, then product use with money and voice mixed in (invoices
// issued, paid and failing, surveys with low scores, tickets, outages, calls the reps log, trait
// updates), and new leads arriving part-way. Events carry the timestamp of Tend's clock as the
// driver last saw it, so invoices fall due and playbooks move as the manual clock is advanced.
import type { Random } from '../../src/domain/models/random.js';
import { type Account, type Person, type Population, pick } from './population.js';

export type Message = Record<string, unknown> & { readonly messageId: string };

const library = { name: 'analytics-node', version: '3.1.0' };
const day = (at: Date, plusDays: number) => new Date(at.getTime() + plusDays * 86_400_000).toISOString().slice(0, 10);

interface Weighted {
  readonly weight: number;
  readonly make: (person: Person, account: Account) => Message | null;
}

export class Traffic {
  private sequence = 0;
  private setupIndex = 0;
  private readonly setup: Person[];
  private readonly active: Person[] = [];
  private readonly enlisted = new Set<string>();
  private cumulative: number[] = [];
  private readonly activity = new Map<string, number>();
  private readonly openInvoices = new Map<string, string[]>();
  private readonly outages = new Map<string, 'started' | 'resolved'>();
  private readonly latecomers: Account[];
  private readonly mix: Weighted[];
  private readonly mixTotal: number;
  /** Messages handed out so far. */
  handedOut = 0;

  constructor(
    private readonly population: Population,
    private readonly random: Random,
    readonly total: number,
    private readonly prefix: string,
    private readonly clockView: () => Date,
  ) {
    this.setup = population.accounts.filter((account) => account.arrivesAt === 0).flatMap((account) => account.people);
    this.latecomers = population.accounts.filter((account) => account.arrivesAt > 0);
    this.latecomers.sort((a, b) => a.arrivesAt - b.arrivesAt);
    const one = <T>(items: readonly T[]) => pick(this.random, items);
    const track = (event: string, properties: () => Record<string, unknown>) => (person: Person, account: Account) =>
      this.track(person, account, event, properties());
    this.mix = [
      { weight: 36, make: track('Signed In', () => ({ method: one(['password', 'sso', 'magic-link']) })) },
      { weight: 15, make: (person, account) => this.page(person, account) },
      { weight: 15, make: track('Feature Used', () => ({ feature: one(['reports', 'export', 'api', 'dashboards']) })) },
      {
        weight: 2,
        make: track('Ticket Opened', () => ({ ticketId: `t-${this.sequence}`, subject: one(['Invoice', 'Login']) })),
      },
      { weight: 1.5, make: track('Ticket Resolved', () => ({ ticketId: `t-${this.sequence - 100}` })) },
      { weight: 1.5, make: (person, account) => this.survey(person, account) },
      { weight: 2.5, make: (person, account) => this.invoiceIssued(person, account) },
      { weight: 1.2, make: (person, account) => this.invoiceSettled(person, account, 'Invoice Paid') },
      { weight: 0.8, make: (person, account) => this.invoiceSettled(person, account, 'Payment Failed') },
      {
        weight: 2,
        make: track('Order Completed', () => ({ orderId: `o-${this.sequence}`, revenue: 20 + this.random.integer(9) })),
      },
      { weight: 0.25, make: (person, account) => this.outage(person, account) },
      {
        weight: 1,
        make: (person, account) =>
          this.track(person, account, 'Call Logged', {
            rep: account.owner,
            direction: 'outbound',
            twoWay: true,
            channel: 'phone',
            summary: 'Quarterly check-in',
          }),
      },
      { weight: 2, make: (person) => this.identify(person, { lastSeenPlan: one(['starter', 'team', 'business']) }) },
      {
        weight: 0.8,
        make: (person, account) => {
          const usage = { seatsUsed: 1 + this.random.integer(50), usageBand: one(['low', 'medium', 'high']) };
          return this.group(person, account, usage);
        },
      },
    ];
    this.mixTotal = this.mix.reduce((sum, entry) => sum + entry.weight, 0);
  }

  /** The next `size` messages (fewer at the end; none when the stream is done). */
  nextBatch(size: number): Message[] {
    const batch: Message[] = [];
    while (batch.length < size && this.handedOut < this.total) {
      const message = this.nextMessage();
      if (message === null) continue;
      batch.push(message);
      this.handedOut++;
    }
    return batch;
  }

  private nextMessage(): Message | null {
    // Setup: identify then group for each person, before anything else about them.
    if (this.setupIndex < this.setup.length * 2) {
      const person = this.setup[this.setupIndex >> 1]!;
      const account = this.account(person);
      const first = (this.setupIndex & 1) === 0;
      this.setupIndex++;
      if (!first) this.enlist(person);
      return first ? this.identifyFully(person) : this.group(person, account, this.accountTraits(account));
    }
    const progress = this.handedOut / this.total;
    const arriving = this.latecomers[0];
    if (arriving !== undefined && arriving.arrivesAt <= progress) {
      const person = arriving.people[this.setupIndex % arriving.people.length]!;
      this.setupIndex++;
      if (!this.activity.has(person.id)) {
        this.activity.set(person.id, 0);
        return this.identifyFully(person);
      }
      this.enlist(person);
      if (arriving.people.every((member) => this.enlisted.has(member.id))) this.latecomers.shift();
      return this.group(person, arriving, this.accountTraits(arriving));
    }
    const person = this.somebody();
    let roll = this.random.next() * this.mixTotal;
    for (const entry of this.mix) {
      roll -= entry.weight;
      if (roll <= 0) return entry.make(person, this.account(person));
    }
    return null;
  }

  private account(person: Person): Account {
    return this.population.accounts[Number(person.accountId.slice(5)) - 1]!;
  }

  /** Adds a person to those who use the product, some far more than others. */
  private enlist(person: Person): void {
    if (this.enlisted.has(person.id)) return;
    this.enlisted.add(person.id);
    const weight = Math.exp(this.random.normal() * 1.1);
    this.activity.set(person.id, weight);
    this.active.push(person);
    this.cumulative.push((this.cumulative.at(-1) ?? 0) + weight);
  }

  private somebody(): Person {
    const target = this.random.next() * this.cumulative.at(-1)!;
    let low = 0;
    let high = this.cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return this.active[low]!;
  }

  private base(type: string, person: Person): Message {
    const timestamp = new Date(this.clockView().getTime() + this.random.integer(1000)).toISOString();
    return { type, messageId: `${this.prefix}-${++this.sequence}`, userId: person.id, timestamp, context: { library } };
  }

  private identifyFully(person: Person): Message {
    const { email, phone, firstName, lastName, timezone, language } = person;
    return this.identify(person, { email, phone, firstName, lastName, timezone, language });
  }

  private identify(person: Person, traits: Record<string, unknown>): Message {
    return { ...this.base('identify', person), traits };
  }

  private accountTraits(account: Account): Record<string, unknown> {
    const renewal = account.renewalInDays === null ? {} : { renewalDate: day(this.clockView(), account.renewalInDays) };
    const { name, plan, revenue, owner } = account;
    const profit = Math.round(revenue * 0.3);
    return { name, plan, revenue, profit, currency: 'EUR', owner, lifecycleStage: account.stage, ...renewal };
  }

  private group(person: Person, account: Account, traits: Record<string, unknown>): Message {
    return { ...this.base('group', person), groupId: account.id, traits };
  }

  private track(person: Person, account: Account, event: string, properties: Record<string, unknown>): Message {
    const message = this.base('track', person);
    return { ...message, event, properties, context: { ...(message.context as object), groupId: account.id } };
  }

  private page(person: Person, account: Account): Message {
    const message = this.base('page', person);
    const name = pick(this.random, ['Dashboard', 'Billing', 'Settings', 'Reports']);
    const context = { ...(message.context as object), groupId: account.id };
    return { ...message, name, properties: { path: `/app/${this.random.integer(500)}` }, context };
  }

  private survey(person: Person, account: Account): Message {
    const score = this.random.next() < 0.35 ? this.random.integer(7) : 7 + this.random.integer(4);
    const comment = score <= 6 ? 'Too slow lately, and nobody called back.' : 'Works well for us.';
    return this.track(person, account, 'Survey Answered', { score, scale: 10, comment });
  }

  private invoiceIssued(person: Person, account: Account): Message | null {
    const open = this.openInvoices.get(account.id) ?? [];
    if (open.length >= 2) return null;
    const invoiceId = `inv-${account.id.slice(5)}-${this.sequence}`;
    this.openInvoices.set(account.id, [...open, invoiceId]);
    const amount = 100 + this.random.integer(5000);
    const dueDate = day(this.clockView(), this.random.integer(4));
    return this.track(person, account, 'Invoice Issued', { invoiceId, amount, currency: 'EUR', dueDate });
  }

  private invoiceSettled(person: Person, account: Account, event: 'Invoice Paid' | 'Payment Failed'): Message | null {
    const open = this.openInvoices.get(account.id);
    if (!open || open.length === 0) return null;
    const invoiceId = open[this.random.integer(open.length)]!;
    if (event === 'Invoice Paid')
      this.openInvoices.set(
        account.id,
        open.filter((id) => id !== invoiceId),
      );
    return this.track(person, account, event, { invoiceId });
  }

  /** At most one outage per account, so that its notice and all-clear are each sent once. */
  private outage(person: Person, account: Account): Message | null {
    const state = this.outages.get(account.id);
    if (state === 'resolved') return null;
    this.outages.set(account.id, state === undefined ? 'started' : 'resolved');
    const event = state === undefined ? 'Outage Started' : 'Outage Resolved';
    return this.track(person, account, event, { outageId: `outage-${account.id}`, service: 'api' });
  }
}
