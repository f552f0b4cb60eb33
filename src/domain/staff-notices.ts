// Notices to the business's own people (an alert, a task, an escalation, a customer's reply, a signal on a
// valuable account): what one says, how each person chose to get each kind, and what the outbox carries.

/** What a notice is about; each person chooses per kind how to get it. */
export type StaffNoticeKind = 'alert' | 'task' | 'escalation' | 'reply' | 'signal';
export const staffNoticeKinds: readonly StaffNoticeKind[] = ['alert', 'task', 'escalation', 'reply', 'signal'];

/** Immediately (a message each), gathered in the daily digest, or not at all. */
export type NoticeDelivery = 'immediately' | 'digest' | 'off';

/** What a person gets when they chose nothing: what needs them now at once, the rest the next morning. */
export const defaultNoticeDelivery: Readonly<Record<StaffNoticeKind, NoticeDelivery>> = {
  alert: 'immediately',
  task: 'digest',
  escalation: 'immediately',
  reply: 'immediately',
  signal: 'digest',
};

/** The staff channels of the outbox: never a customer's, so never counted against a customer's consent or caps. */
export type StaffChannel = 'staff-email' | 'slack';

export interface StaffNotice {
  readonly kind: StaffNoticeKind;
  /** The staff member (users.email). */
  readonly userEmail: string;
  readonly accountId: string | null;
  /** One line, plain words. */
  readonly title: string;
  /** Why it concerns them. */
  readonly reason: string;
  /** The app path the link opens: /accounts/{id}, /tasks, /conversations/{id}. */
  readonly path: string;
  /** Unique per notice and person. */
  readonly idempotencyKey: string;
}

/** A line of a digest: what it names and where the link goes. */
export interface DigestLine {
  readonly text: string;
  readonly path: string;
}

/** A titled part of a digest (the today list, open tasks, notices kept for the digest…). */
export interface DigestSection {
  readonly title: string;
  readonly lines: readonly DigestLine[];
}

/**
 * What a staff row of the outbox carries (payload.kind 'staff-notice'): a notice, a message written for
 * one person (mail), or their daily digest. Everything the delivery needs but the account's name and the
 * Slack URL, which are read as it goes out (the URL is a secret, kept only on the user).
 */
export type StaffNoticePayload =
  | {
      readonly kind: 'staff-notice';
      readonly notice: StaffNoticeKind;
      readonly userEmail: string;
      readonly accountId: string | null;
      readonly title: string;
      readonly reason: string;
      readonly path: string;
    }
  | {
      readonly kind: 'staff-notice';
      readonly notice: 'mail';
      readonly userEmail: string;
      readonly accountId: null;
      readonly title: string;
      readonly reason: string;
      readonly path: string;
    }
  | {
      readonly kind: 'staff-notice';
      readonly notice: 'digest';
      readonly userEmail: string;
      readonly accountId: null;
      readonly title: string;
      readonly reason: string;
      readonly path: string;
      readonly sections: readonly DigestSection[];
    };

/** The staff payload of an outbox row, or null when the row is a customer's message. */
export function staffNoticePayload(payload: Readonly<Record<string, unknown>>): StaffNoticePayload | null {
  if (payload.kind !== 'staff-notice') return null;
  return payload as unknown as StaffNoticePayload;
}

/** The delivery that applies: the person's choice, else the kind's default. */
export function noticeDelivery(kind: StaffNoticeKind, chosen: string | null | undefined): NoticeDelivery {
  return chosen === 'immediately' || chosen === 'digest' || chosen === 'off' ? chosen : defaultNoticeDelivery[kind];
}
