// The contact audit of one account: how often, how, by whom and both ways it has been touched over the
// last 30, 90 and 365 days, and how long since a person last had a real conversation with it.
import { spokenChannels, type Touch, type TouchChannel } from './account-snapshot.js';
import { dayMs, withinLastDays } from './time-spans.js';

export const auditWindowsDays: readonly number[] = [30, 90, 365];

const touchChannels: readonly TouchChannel[] = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'];

export interface ContactWindow {
  readonly days: number;
  readonly total: number;
  readonly byChannel: Readonly<Record<TouchChannel, number>>;
  readonly byDirection: { readonly inbound: number; readonly outbound: number };
  readonly byActor: { readonly rep: number; readonly system: number; readonly customer: number };
  readonly twoWay: number;
  /** Share of the window's touches that were spoken (phone, video, meeting); null with no touches. */
  readonly spokenShare: number | null;
}

export interface ContactAudit {
  readonly windows: readonly ContactWindow[];
  readonly lastSubstantiveContactAt: Date | null;
  /** Whole days since that contact; null when there has been none in the touches given. */
  readonly daysSinceSubstantiveContact: number | null;
}

/** A spoken touch: a call, a video call or a meeting. */
export function isSpoken(touch: Touch): boolean {
  return spokenChannels.includes(touch.channel);
}

/**
 * A substantive contact is a two-way exchange with a human on our side or the customer answering:
 * a logged call or meeting, or a reply in a two-way thread. Automated (system) touches never count.
 */
export function isSubstantive(touch: Touch): boolean {
  return touch.twoWay && (touch.actor === 'rep' || touch.actor === 'customer');
}

/** The newest substantive two-way human contact among the touches (any order), or null. */
export function lastSubstantiveContactAt(touches: readonly Touch[]): Date | null {
  let latest: Date | null = null;
  for (const touch of touches) {
    if (isSubstantive(touch) && (latest === null || touch.at.getTime() > latest.getTime())) latest = touch.at;
  }
  return latest;
}

/** Counts the account's touches per window, for the rep's and manager's view of who gets attention. */
export function auditContacts(touches: readonly Touch[], now: Date): ContactAudit {
  const windows = auditWindowsDays.map((days) => contactWindow(touches, days, now));
  const lastContact = lastSubstantiveContactAt(touches.filter((touch) => touch.at.getTime() <= now.getTime()));
  return {
    windows,
    lastSubstantiveContactAt: lastContact,
    daysSinceSubstantiveContact:
      lastContact === null ? null : Math.floor((now.getTime() - lastContact.getTime()) / dayMs),
  };
}

function contactWindow(touches: readonly Touch[], days: number, now: Date): ContactWindow {
  const byChannel = Object.fromEntries(touchChannels.map((channel) => [channel, 0])) as Record<TouchChannel, number>;
  const byDirection = { inbound: 0, outbound: 0 };
  const byActor = { rep: 0, system: 0, customer: 0 };
  let total = 0;
  let twoWay = 0;
  let spoken = 0;
  for (const touch of touches) {
    if (!withinLastDays(touch.at, days, now)) continue;
    total++;
    byChannel[touch.channel]++;
    byDirection[touch.direction]++;
    byActor[touch.actor]++;
    if (touch.twoWay) twoWay++;
    if (isSpoken(touch)) spoken++;
  }
  return { days, total, byChannel, byDirection, byActor, twoWay, spokenShare: total === 0 ? null : spoken / total };
}
