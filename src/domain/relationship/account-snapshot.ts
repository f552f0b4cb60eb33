// What Tend knows about one account at one instant, gathered by the store from its records and
// incremental metrics: the single input of every relationship decision (signals, health, today list).
// Times are Dates; money is in minor units (cents) of the account's currency.

export type TouchChannel = 'phone' | 'video' | 'meeting' | 'email' | 'sms' | 'chat' | 'letter';
export const spokenChannels: readonly TouchChannel[] = ['phone', 'video', 'meeting'];

/** One touch between the business and the customer (an interaction record). */
export interface Touch {
  readonly at: Date;
  readonly channel: TouchChannel;
  readonly direction: 'inbound' | 'outbound';
  /** Who acted: a rep (human), the system (automated), or the customer. */
  readonly actor: 'rep' | 'system' | 'customer';
  readonly twoWay: boolean;
  readonly userEmail: string | null;
  readonly objective: string | null;
  readonly summary: string | null;
}

/** An inbound contact about a problem (a ticket, or an inbound message), for effort and response time. */
export interface InboundContact {
  readonly at: Date;
  /** The problem it is about, normalised (ticket category/subject); null when unknown. */
  readonly problem: string | null;
  readonly kind: 'ticket-opened' | 'ticket-reopened' | 'message';
  /** When it was first answered by a human; null while unanswered. */
  readonly answeredAt: Date | null;
  readonly summary: string | null;
}

export interface SurveyAnswer {
  readonly at: Date;
  /** Normalised to 0–10. */
  readonly score: number;
  readonly comment: string | null;
  readonly contactId: string | null;
}

export interface Invoice {
  readonly invoiceId: string;
  readonly issuedAt: Date;
  readonly dueAt: Date | null;
  readonly amountMinor: number;
  readonly paidAt: Date | null;
  /** A failed payment attempt after issue and before payment. */
  readonly failedAt: Date | null;
}

/**
 * Daily counts of one activity (e.g. "Signed In") for the last weeks, oldest first, ending on `through`
 * (a day, UTC).
 */
export interface ActivitySeries {
  readonly activity: string;
  readonly dailyCounts: readonly number[];
  readonly through: Date;
}

/** One person's own activity in the account, with what reasons call them by. */
export interface PersonActivity {
  readonly contactId: string;
  readonly name: string | null;
  readonly email: string | null;
  readonly activity: readonly ActivitySeries[];
}

/** Where a promise is in its life; `broken` is judged against the clock (see promises.ts). */
export type PromiseStatus = 'open' | 'kept' | 'withdrawn';

export interface PromiseHistoryEntry {
  readonly at: Date;
  readonly event: 'made' | 'changed' | 'kept' | 'withdrawn';
  /** Who recorded it (a user's e-mail), where known. */
  readonly by: string | null;
  /** What changed or why ("due moved from 2027-03-31 to 2027-04-30", a reason for withdrawing). */
  readonly note: string | null;
}

export interface AccountPromise {
  readonly promiseId: string;
  readonly title: string;
  /** When it is due: a date without a time is due by the end of that day (UTC); null: no date was given. */
  readonly dueAt: Date | null;
  /** Who made it (usually the seller): an e-mail or a name. */
  readonly madeBy: string | null;
  /** Who must deliver it: a user's e-mail or a team's name. */
  readonly owner: string | null;
  readonly madeAt: Date;
  readonly status: PromiseStatus;
  /** When it was kept or withdrawn; null while open. */
  readonly closedAt: Date | null;
  /** Oldest first. */
  readonly history: readonly PromiseHistoryEntry[];
}

export interface AccountSnapshot {
  readonly accountId: string;
  readonly name: string | null;
  readonly ownerEmail: string | null;
  readonly lifecycleStage: string | null;
  /** The account's traits as sent (playbook audiences and segments match on them). */
  readonly traits: Readonly<Record<string, unknown>>;
  /** When the account first appeared (group call, import, or first event). */
  readonly createdAt: Date;
  readonly currency: string | null;
  /** Yearly revenue and profit contribution (from traits, or invoices in the value window). */
  readonly revenueMinor: number | null;
  readonly profitMinor: number | null;
  /** Tier assigned by the latest value ranking ('A', 'B', 'C', …), null before the first ranking. */
  readonly tier: string | null;
  /** Touches of the last 365 days, newest first. */
  readonly touches: readonly Touch[];
  /** The newest spoken (phone, video, meeting) touch ever, even older than a year. */
  readonly lastSpokenAt: Date | null;
  /** Inbound contacts of the last 30 days, newest first. */
  readonly inbound: readonly InboundContact[];
  readonly surveys: readonly SurveyAnswer[];
  /** Replies classified negative (by sentiment property) in the last 30 days. */
  readonly negativeReplies: readonly { at: Date; summary: string | null }[];
  readonly invoices: readonly Invoice[];
  readonly renewalAt: Date | null;
  /** Names of events the account has ever had, with the first time each happened (for onboarding). */
  readonly firstEventAt: ReadonlyMap<string, Date>;
  /** Activity series for disengagement. */
  readonly activity: readonly ActivitySeries[];
  /**
   * The same series per person in the account who has any, for disengagement per person; null when not
   * read. Only the daily refresh reads them: a person's drift is judged on whole days, as the
   * account's is, and every other evaluation (at ingest above all) is spared the read.
   */
  readonly people: readonly PersonActivity[] | null;
  /** Outages that touched the account in the last 30 days. */
  readonly outages: readonly { at: Date; resolvedAt: Date | null; summary: string | null }[];
  /** A churn probability (0–1) from the churn model or a `churnProbability` trait; null if unknown. */
  readonly churnProbability: number | null;
  /** P(alive) from the BG/NBD model for non-contractual accounts; null if unknown. */
  readonly probabilityAlive: number | null;
  /** Total count of the usage-milestone event (e.g. sign-ins), for milestones. */
  readonly lifetimeActivityCount: number;
  /** Every promise made to the account, however old, with its history (see promises.ts). */
  readonly promises: readonly AccountPromise[];
}
