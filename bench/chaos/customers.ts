// The people at the other end of Tend's messages, and the business's staff: they answer e-mails and
// texts (through the inbound e-mail webhook and Twilio's signed inbound webhook), click links, opt out
// mid-run (one-click unsubscribe, STOP, the consent API, the do-not-contact list), and reps complete
// their tasks. Every opt-out is remembered with the moment Tend acknowledged it.
import type { Random } from '../../src/domain/models/random.js';
import { twilioSignature } from '../../src/channels/twilio-webhooks.js';
import { callUntilAnswered, type Tally } from './http.js';
import type { Population, Person } from './population.js';
import type { ReceivedEmail, ReceivedText } from './providers.js';

export type OptOutScope = 'email' | 'sms' | 'all';

export interface OptOut {
  readonly personId: string;
  readonly scope: OptOutScope;
  readonly how: string;
  /** Date.now() when Tend's answer arrived: from then on nothing may reach the person on `scope`. */
  readonly acknowledgedAt: number;
}

export interface CustomerSettings {
  readonly url: string;
  /** TEND_PUBLIC_URL: what Twilio signs. */
  readonly publicUrl: string;
  readonly adminToken: string;
  readonly inboundEmailSecret: string;
  readonly twilio: { readonly accountSid: string; readonly authToken: string; readonly from: string };
  readonly population: Population;
  readonly random: Random;
  readonly tally: Tally;
}

export interface CustomerFigures {
  emailReplies: number;
  textReplies: number;
  clicks: number;
  tasksCompleted: number;
  smsOptIns: number;
  /** Answers other than 2xx to the customers' own requests (each a finding unless explained). */
  refused: number;
  readonly refusedSamples: string[];
}

type Channel = 'email' | 'sms';

const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));
const form = { 'content-type': 'application/x-www-form-urlencoded' };

export class Customers {
  readonly optOuts: OptOut[] = [];
  readonly figures: CustomerFigures = {
    emailReplies: 0,
    textReplies: 0,
    clicks: 0,
    tasksCompleted: 0,
    smsOptIns: 0,
    refused: 0,
    refusedSamples: [],
  };
  private readonly pending = new Set<Promise<void>>();
  private readonly optedOut = new Set<string>();
  /** People who were sent something lately: the ones an opt-out can still make a difference for. */
  private readonly recentRecipients: Person[] = [];
  private sequence = 0;
  private reacting = true;

  constructor(private readonly settings: CustomerSettings) {}

  private get admin() {
    return { authorization: `Bearer ${this.settings.adminToken}`, 'content-type': 'application/json' };
  }

  private get random(): Random {
    return this.settings.random;
  }

  /** Runs a reaction in the background, after a person's delay of up to 3 s. */
  private later(work: () => Promise<void>): void {
    const delay = 100 + this.random.integer(3000);
    const running = pause(delay)
      .then(work)
      .catch((error: unknown) => this.refuse(`unexpected: ${String(error)}`));
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
  }

  private refuse(sample: string): void {
    this.figures.refused++;
    if (this.figures.refusedSamples.length < 10) this.figures.refusedSamples.push(sample);
  }

  private async get(path: string, label: string): Promise<unknown> {
    const { url, tally } = this.settings;
    const answer = await callUntilAnswered(`${url}${path}`, { headers: this.admin }, tally, label);
    if (answer.status === 200) return JSON.parse(answer.text);
    this.refuse(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    return null;
  }

  private async post(path: string, headers: Record<string, string>, body: string, label: string): Promise<boolean> {
    const call = { method: 'POST' as const, headers, body };
    const answer = await callUntilAnswered(`${this.settings.url}${path}`, call, this.settings.tally, label);
    if (answer.status >= 200 && answer.status < 300) return true;
    this.refuse(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
    return false;
  }

  private postJson(path: string, body: unknown, label: string): Promise<boolean> {
    return this.post(path, this.admin, JSON.stringify(body), label);
  }

  /** Posts a text from `person` to Tend's inbound webhook, signed as Twilio signs it. */
  private async text(person: Person, body: string): Promise<boolean> {
    const { twilio, publicUrl } = this.settings;
    const sid = `SMin${String(++this.sequence).padStart(30, '0')}`;
    const parameters = {
      MessageSid: sid,
      AccountSid: twilio.accountSid,
      From: person.phone,
      To: twilio.from,
      Body: body,
    };
    const signature = twilioSignature(twilio.authToken, `${publicUrl}/webhooks/twilio/inbound`, parameters);
    const headers = { ...form, 'x-twilio-signature': signature };
    const encoded = new URLSearchParams(parameters).toString();
    return this.post('/webhooks/twilio/inbound', headers, encoded, 'POST /webhooks/twilio/inbound');
  }

  private optOut(person: Person, scope: OptOutScope, how: string): void {
    this.optedOut.add(person.id);
    this.optOuts.push({ personId: person.id, scope, how, acknowledgedAt: Date.now() });
  }

  /** Agreement to texts, before the traffic's main part: a sign-up form through the API, or START by text. */
  async optInToTexts(concurrency: number): Promise<void> {
    const { accounts, people: everybody } = this.settings.population;
    const present = new Set(accounts.filter((account) => account.arrivesAt === 0).map((account) => account.id));
    const people = everybody.filter((person) => person.smsOptIn !== null && present.has(person.accountId));
    const signUp = { channel: 'sms', status: 'opted-in', source: 'sign-up form' };
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < people.length; index = next++) {
        const person = people[index]!;
        const done =
          person.smsOptIn === 'form'
            ? await this.postJson(`/api/v1/contacts/${person.id}/consents`, signUp, 'POST consents (opt-in)')
            : await this.text(person, 'START');
        if (done) this.figures.smsOptIns++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** An e-mail reached someone: they may answer it, click in it, or unsubscribe. */
  onEmail(email: ReceivedEmail): void {
    const person = this.settings.population.byEmail.get(email.recipient);
    if (!person || !this.reacting) return;
    this.remember(person);
    const roll = this.random.next();
    if (roll < 0.05 && email.unsubscribeUrl !== null) {
      const path = new URL(email.unsubscribeUrl).pathname;
      this.later(async () => {
        const unsubscribed = await this.post(path, form, 'List-Unsubscribe=One-Click', 'POST /unsubscribe');
        if (unsubscribed) this.optOut(person, 'email', 'one-click unsubscribe');
      });
    } else if (roll < 0.17 && email.replyTo !== null) {
      const reply = {
        from: `${person.firstName} <${person.email}>`,
        to: email.replyTo,
        subject: `Re: ${email.subject}`,
        text: 'Thanks, can we talk about a payment plan next week?',
        messageId: `<reply-${++this.sequence}@${person.accountId}.example>`,
      };
      // The inbound webhook's own secret, as the HTTP Basic password a mail service sends from its URL.
      const secret = Buffer.from(`tend:${this.settings.inboundEmailSecret}`).toString('base64');
      const headers = { 'content-type': 'application/json', authorization: `Basic ${secret}` };
      this.later(async () => {
        const label = 'POST /webhooks/email/inbound';
        const sent = await this.post('/webhooks/email/inbound', headers, JSON.stringify(reply), label);
        if (sent) this.figures.emailReplies++;
      });
    } else if (roll < 0.2 && email.links.length > 0) {
      const link = new URL(email.links[0]!);
      this.later(async () => {
        const { url, tally } = this.settings;
        const answer = await callUntilAnswered(`${url}${link.pathname}`, {}, tally, 'GET /l/');
        if (answer.status === 302) this.figures.clicks++;
        else this.refuse(`GET /l/: HTTP ${answer.status}`);
      });
    }
  }

  /** A text reached someone: they may answer STOP, or answer. */
  onText(text: ReceivedText): void {
    const person = this.settings.population.byPhone.get(text.to);
    if (!person || !this.reacting) return;
    this.remember(person);
    const roll = this.random.next();
    if (roll < 0.1) {
      this.later(async () => {
        if (await this.text(person, 'STOP')) this.optOut(person, 'sms', 'STOP by text');
      });
    } else if (roll < 0.2) {
      this.later(async () => {
        if (await this.text(person, 'OK, I will pay on Friday')) this.figures.textReplies++;
      });
    }
  }

  private remember(person: Person): void {
    this.recentRecipients.push(person);
    if (this.recentRecipients.length > 200) this.recentRecipients.shift();
  }

  /**
   * Someone who was sent something lately opts out by another way than the message itself: the
   * business records it through the consent API, or puts an address, number or id on the
   * do-not-contact list. Returns once Tend has acknowledged it.
   */
  async optOutSomebody(): Promise<void> {
    // Half of them race a message: its recipient opts out while it waits for the dispatcher or is being sent.
    const racing = this.random.next() < 0.5 ? await this.someoneWithAMessageUnderWay() : null;
    const person = racing?.person ?? this.someoneSentToLately();
    const roll = this.random.next();
    if (roll < 0.5) {
      const channel = racing?.channel ?? (this.random.next() < 0.6 ? 'email' : 'sms');
      const change = { channel, status: 'opted-out', source: 'preference centre' };
      if (await this.postJson(`/api/v1/contacts/${person.id}/consents`, change, 'POST consents (opt-out)')) {
        this.optOut(person, channel, `consent API (${channel})`);
      }
      return;
    }
    const which =
      roll < 0.7
        ? { value: person.email, how: 'e-mail address' }
        : roll < 0.85
          ? { value: person.phone, how: 'phone number' }
          : { value: person.id, how: 'userId' };
    const entry = { value: which.value, reason: 'asked by phone' };
    if (await this.postJson('/api/v1/do-not-contact', entry, 'POST /api/v1/do-not-contact')) {
      this.optOut(person, 'all', `do-not-contact (${which.how})`);
    }
  }

  private someoneSentToLately(): Person {
    const candidates = this.recentRecipients.filter((person) => !this.optedOut.has(person.id));
    if (candidates.length > 0) return candidates[this.random.integer(candidates.length)]!;
    const everybody = this.settings.population.people;
    return everybody[this.random.integer(everybody.length)]!;
  }

  /** Someone with a message in the outbox that is waiting (pending) or being sent, and its channel. */
  private async someoneWithAMessageUnderWay(): Promise<{ person: Person; channel: Channel } | null> {
    for (const status of ['sending', 'pending']) {
      const answer = await this.get(`/api/v1/outbox?status=${status}&limit=50`, 'GET /api/v1/outbox');
      type Listed = { messages?: { contactId: string | null; channel: string }[] } | null;
      const messages = (answer as Listed)?.messages ?? [];
      const waiting = messages.flatMap((message) => {
        const person = message.contactId === null ? undefined : this.settings.population.byId.get(message.contactId);
        const known = message.channel === 'email' || message.channel === 'sms';
        const channel: Channel | null = known ? (message.channel as Channel) : null;
        return person && channel && !this.optedOut.has(person.id) ? [{ person, channel }] : [];
      });
      if (waiting.length > 0) return waiting[this.random.integer(waiting.length)]!;
    }
    return null;
  }

  /** A rep works through a few open tasks and records how each ended. */
  async completeSomeTasks(): Promise<void> {
    const answer = await this.get('/api/v1/tasks?status=open&limit=20', 'GET /api/v1/tasks');
    const tasks = (answer as { tasks?: { id: string }[] } | null)?.tasks ?? [];
    for (const task of tasks.slice(0, 1 + this.random.integer(4))) {
      const roll = this.random.next();
      const outcome = roll < 0.6 ? 'reached' : roll < 0.8 ? 'no-answer' : 'saved';
      const label = 'POST /api/v1/tasks/{id}/complete';
      const done = await this.postJson(`/api/v1/tasks/${task.id}/complete`, { outcome, note: 'Spoke to them.' }, label);
      if (done) this.figures.tasksCompleted++;
    }
  }

  /** Stops reacting to new messages and waits for the reactions under way to be acknowledged. */
  async settle(): Promise<void> {
    this.reacting = false;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
