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

const pause = (milliseconds: number) => new Promise((done) => setTimeout(done, milliseconds));

export class Customers {
  readonly optOuts: OptOut[] = [];
  readonly figures: CustomerFigures = { emailReplies: 0, textReplies: 0, clicks: 0, tasksCompleted: 0, smsOptIns: 0, refused: 0, refusedSamples: [] };
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

  private track(work: () => Promise<void>): void {
    const running = work().catch((error: unknown) => this.refuse(`unexpected: ${String(error)}`));
    this.pending.add(running);
    void running.finally(() => this.pending.delete(running));
  }

  private refuse(sample: string): void {
    this.figures.refused++;
    if (this.figures.refusedSamples.length < 10) this.figures.refusedSamples.push(sample);
  }

  private async post(path: string, headers: Record<string, string>, body: string, label: string): Promise<boolean> {
    const answer = await callUntilAnswered(`${this.settings.url}${path}`, { method: 'POST', headers, body }, this.settings.tally, label);
    if (answer.status >= 200 && answer.status < 300) return true;
    this.refuse(`${label}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
    return false;
  }

  /** Posts a text from `person` to Tend's inbound webhook, signed as Twilio signs it. */
  private async text(person: Person, body: string): Promise<boolean> {
    const { twilio, publicUrl } = this.settings;
    const parameters = { MessageSid: `SMin${String(++this.sequence).padStart(30, '0')}`, AccountSid: twilio.accountSid, From: person.phone, To: twilio.from, Body: body };
    const signature = twilioSignature(twilio.authToken, `${publicUrl}/webhooks/twilio/inbound`, parameters);
    return this.post('/webhooks/twilio/inbound', { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, new URLSearchParams(parameters).toString(), 'POST /webhooks/twilio/inbound');
  }

  private optOut(person: Person, scope: OptOutScope, how: string): void {
    this.optedOut.add(person.id);
    this.optOuts.push({ personId: person.id, scope, how, acknowledgedAt: Date.now() });
  }

  /** Agreement to texts, before the traffic's main part: a sign-up form through the API, or START by text. */
  async optInToTexts(concurrency: number): Promise<void> {
    const people = this.settings.population.people.filter((person) => person.smsOptIn !== null && this.settings.population.accounts.find((account) => account.id === person.accountId)?.arrivesAt === 0);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < people.length; index = next++) {
        const person = people[index]!;
        const done = person.smsOptIn === 'form'
          ? await this.post(`/api/v1/contacts/${person.id}/consents`, this.admin, JSON.stringify({ channel: 'sms', status: 'opted-in', source: 'sign-up form' }), 'POST consents (opt-in)')
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
    const roll = this.settings.random.next();
    const delay = 100 + this.settings.random.integer(3000);
    if (roll < 0.05 && email.unsubscribeUrl !== null) {
      const url = new URL(email.unsubscribeUrl);
      this.track(async () => {
        await pause(delay);
        if (await this.post(url.pathname, { 'content-type': 'application/x-www-form-urlencoded' }, 'List-Unsubscribe=One-Click', 'POST /unsubscribe')) this.optOut(person, 'email', 'one-click unsubscribe');
      });
    } else if (roll < 0.17 && email.replyTo !== null) {
      this.track(async () => {
        await pause(delay);
        const body = JSON.stringify({ from: `${person.firstName} <${person.email}>`, to: email.replyTo, subject: `Re: ${email.subject}`, text: 'Thanks, can we talk about a payment plan next week?', messageId: `<reply-${++this.sequence}@${person.accountId}.example>` });
        if (await this.post('/webhooks/email/inbound', this.inboundEmailHeaders(), body, 'POST /webhooks/email/inbound')) this.figures.emailReplies++;
      });
    } else if (roll < 0.2 && email.links.length > 0) {
      const link = new URL(email.links[0]!);
      this.track(async () => {
        await pause(delay);
        const answer = await callUntilAnswered(`${this.settings.url}${link.pathname}`, {}, this.settings.tally, 'GET /l/');
        if (answer.status === 302) this.figures.clicks++;
        else this.refuse(`GET /l/: HTTP ${answer.status}`);
      });
    }
  }

  /** The inbound e-mail webhook's own secret, as the HTTP Basic password a mail service sends from its URL. */
  private inboundEmailHeaders(): Record<string, string> {
    return { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`tend:${this.settings.inboundEmailSecret}`).toString('base64')}` };
  }

  /** A text reached someone: they may answer STOP, or answer. */
  onText(text: ReceivedText): void {
    const person = this.settings.population.byPhone.get(text.to);
    if (!person || !this.reacting) return;
    this.remember(person);
    const roll = this.settings.random.next();
    const delay = 100 + this.settings.random.integer(3000);
    if (roll < 0.1) {
      this.track(async () => {
        await pause(delay);
        if (await this.text(person, 'STOP')) this.optOut(person, 'sms', 'STOP by text');
      });
    } else if (roll < 0.2) {
      this.track(async () => {
        await pause(delay);
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
    const { random } = this.settings;
    const candidates = this.recentRecipients.filter((person) => !this.optedOut.has(person.id));
    const person = candidates.length > 0 ? candidates[random.integer(candidates.length)]! : this.settings.population.people[random.integer(this.settings.population.people.length)]!;
    const roll = random.next();
    if (roll < 0.5) {
      const channel = random.next() < 0.6 ? 'email' : 'sms';
      if (await this.post(`/api/v1/contacts/${person.id}/consents`, this.admin, JSON.stringify({ channel, status: 'opted-out', source: 'preference centre' }), 'POST consents (opt-out)')) this.optOut(person, channel, `consent API (${channel})`);
      return;
    }
    const which = roll < 0.7 ? { value: person.email, how: 'e-mail address' } : roll < 0.85 ? { value: person.phone, how: 'phone number' } : { value: person.id, how: 'userId' };
    if (await this.post('/api/v1/do-not-contact', this.admin, JSON.stringify({ value: which.value, reason: 'asked by phone' }), 'POST /api/v1/do-not-contact')) this.optOut(person, 'all', `do-not-contact (${which.how})`);
  }

  /** A rep works through a few open tasks and records how each ended. */
  async completeSomeTasks(): Promise<void> {
    const answer = await callUntilAnswered(`${this.settings.url}/api/v1/tasks?status=open&limit=20`, { headers: this.admin }, this.settings.tally, 'GET /api/v1/tasks');
    if (answer.status !== 200) return this.refuse(`GET /api/v1/tasks: HTTP ${answer.status} ${answer.text.slice(0, 200)}`);
    const tasks = (JSON.parse(answer.text) as { tasks?: { id: string }[] }).tasks ?? [];
    for (const task of tasks.slice(0, 1 + this.settings.random.integer(4))) {
      const outcome = pickOutcome(this.settings.random);
      if (await this.post(`/api/v1/tasks/${task.id}/complete`, this.admin, JSON.stringify({ outcome, note: 'Spoke to them.' }), 'POST /api/v1/tasks/{id}/complete')) this.figures.tasksCompleted++;
    }
  }

  /** Stops reacting to new messages and waits for the reactions under way to be acknowledged. */
  async settle(): Promise<void> {
    this.reacting = false;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

function pickOutcome(random: Random): 'reached' | 'no-answer' | 'saved' {
  const roll = random.next();
  return roll < 0.6 ? 'reached' : roll < 0.8 ? 'no-answer' : 'saved';
}
