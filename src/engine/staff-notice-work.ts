// Due work for notices to staff that time alone brings: each person's daily digest at 08:00 in their own
// time zone, and a customer still waiting for an answer at twice the allowance, brought to the manager.
import { moneyInWords } from '../domain/money-words.js';
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { isValidTimeZone, localDateTime, nextLocalTime } from '../domain/playbooks/local-time.js';
import type { TendConfig } from '../domain/relationship/tend-config.js';
import { slowResponseManagerDelayMs } from '../domain/signal-notices.js';
import type { DigestSection, StaffNoticePayload } from '../domain/staff-notices.js';
import type { Database } from '../store/schema.js';
import { notifyManagersOfWaiting, nextWaitingDue } from '../store/signal-notices.js';
import {
  type DigestPerson,
  dueDigests,
  escalatedTaskLines,
  keptNotices,
  nextDigestDue,
  openTaskLines,
  planDigests,
  settleDigest,
  unplannedDigests,
} from '../store/staff-digests.js';
import { teamOf } from '../store/users.js';
import type { DueWork } from './due-work.js';
import { oversightFor, todayFor } from './rep-views.js';
import type { LaneState } from './work-lane.js';

export interface StaffNoticeWorkOptions {
  readonly database: Kysely<Database>;
  readonly clock: Clock;
  readonly config: TendConfig;
  /** The zone of a person who set none (the send policy's default). */
  readonly defaultTimeZone: string;
}

/** The hour the digest arrives, on the person's own clock. */
const digestHour = 8;

export class StaffNoticeWork implements DueWork<number> {
  private readonly delays: { delayMs: (instance: string) => number };

  constructor(private readonly options: StaffNoticeWorkOptions) {
    this.delays = { delayMs: (instance) => slowResponseManagerDelayMs(options.config, instance) };
  }

  /** Plans new people's digests, sends the due ones, and tells managers of customers still waiting. */
  async runDue(lane: LaneState): Promise<number> {
    const { database, clock } = this.options;
    let done = 0;
    while (!lane.stopping) {
      const batch = await notifyManagersOfWaiting(database, this.delays, clock.now());
      if (batch === 0) break;
      done += batch;
    }
    const unplanned = await unplannedDigests(database);
    await planDigests(
      database,
      unplanned.map((person) => ({ userId: person.id, dueAt: this.nextDigestAt(person, clock.now()) })),
    );
    while (!lane.stopping) {
      const due = await dueDigests(database, clock.now());
      if (due.length === 0) break;
      for (const person of due) if (await this.sendDigest(person)) done += 1;
    }
    return done;
  }

  async nextDue(now: Date, until: Date): Promise<Date | null> {
    const { database } = this.options;
    const dates = [await nextDigestDue(database, now, until), await nextWaitingDue(database, this.delays, now, until)];
    const known = dates.filter((date): date is Date => date !== null);
    return known.length === 0 ? null : new Date(Math.min(...known.map((date) => date.getTime())));
  }

  private zoneOf(person: DigestPerson): string {
    return person.timezone !== null && isValidTimeZone(person.timezone)
      ? person.timezone
      : this.options.defaultTimeZone;
  }

  /** The first 08:00 on the person's clock strictly after `after`. */
  private nextDigestAt(person: DigestPerson, after: Date): Date {
    return nextLocalTime(new Date(after.getTime() + 1), this.zoneOf(person), digestHour, 0);
  }

  /** Composes and writes one person's digest (or nothing, when there is nothing); false: another worker did. */
  private async sendDigest(person: DigestPerson): Promise<boolean> {
    const now = this.options.clock.now();
    const next = this.nextDigestAt(person, now);
    if (!person.enabled) return settleDigest(this.options.database, person, null, next, now);
    const local = localDateTime(now, this.zoneOf(person));
    const localDate = `${local.year}-${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    const { sections, keptKeys, manager } = await this.digestOf(person);
    if (sections.length === 0) return settleDigest(this.options.database, person, null, next, now);
    const payload: StaffNoticePayload = {
      kind: 'staff-notice',
      notice: 'digest',
      userEmail: person.email,
      accountId: null,
      title: `Your Tend digest for ${localDate}`,
      reason: manager ? 'Good morning. What needs you and your team today:' : 'Good morning. What needs you today:',
      path: manager ? '/oversight' : '/today',
      sections,
    };
    return settleDigest(this.options.database, person, { payload, localDate, keptKeys }, next, now);
  }

  /**
   * A rep's today list (the same ranking as the app's) and open tasks; a manager's team's most valuable
   * neglected accounts, signals past their deadline and tasks escalated to them; anyone's kept notices.
   */
  private async digestOf(
    person: DigestPerson,
  ): Promise<{ sections: DigestSection[]; keptKeys: string[]; manager: boolean }> {
    const { database, config, clock } = this.options;
    const context = { database, config, clock };
    const everyone = () => true;
    const sections: DigestSection[] = [];
    const add = (title: string, lines: DigestSection['lines']) => {
      if (lines.length > 0) sections.push({ title, lines });
    };
    const today = await todayFor(context, person.id, undefined, everyone);
    add(
      'Whom to contact today',
      today.entries.map((entry) => ({
        text: `${entry.name ?? entry.accountId}: ${entry.why[0] ?? entry.objective}`,
        path: `/accounts/${encodeURIComponent(entry.accountId)}`,
      })),
    );
    add('Your open tasks', await openTaskLines(database, person.email));
    const team = person.role === 'rep' ? [] : await teamOf(database, person.id);
    const manager = team.length > 0;
    if (manager) {
      const oversight = await oversightFor(context, person.id, everyone);
      add(
        "Your team's most valuable neglected accounts",
        oversight.reps
          .flatMap((rep) => rep.neglected.map((account) => ({ rep: rep.repEmail, account })))
          .sort((a, b) => b.account.valueMinor - a.account.valueMinor)
          .slice(0, 10)
          .map(({ rep, account }) => ({
            text: `${account.name ?? account.accountId} (${rep})`,
            path: `/accounts/${encodeURIComponent(account.accountId)}`,
          })),
      );
      // What the team's neglect puts at stake, per rep: the count and the money at risk, currency by currency.
      add(
        'Neglect in your team',
        oversight.reps
          .filter((rep) => rep.neglectedAccounts > 0)
          .map((rep) => {
            const atRisk = rep.revenueAtRisk.map((money) => moneyInWords(money.amountMinor, money.currency));
            const accounts = `${rep.neglectedAccounts} neglected account${rep.neglectedAccounts === 1 ? '' : 's'}`;
            return {
              text: `${rep.repEmail}: ${accounts}${atRisk.length === 0 ? '' : `, ${atRisk.join(' + ')} at risk`}`,
              path: `/accounts?owner=${encodeURIComponent(rep.repEmail)}&signal=neglected`,
            };
          }),
      );
      add(
        'Signals past their deadline',
        oversight.reps
          .filter((rep) => rep.signalsPastDeadline > 0)
          .map((rep) => ({
            text: `${rep.repEmail}: ${rep.signalsPastDeadline} past their deadline`,
            path: '/oversight',
          })),
      );
      add('Escalated to you', await escalatedTaskLines(database, person.email));
    }
    const kept = await keptNotices(database, person.id);
    add('Notices kept for your digest', kept.lines);
    return { sections, keptKeys: kept.keys, manager };
  }
}
