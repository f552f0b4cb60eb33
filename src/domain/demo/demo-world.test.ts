import { describe, expect, it } from 'vitest';
import { lastSubstantiveContactAt } from '../relationship/contact-audit.js';
import { touchFromEvent } from '../relationship/touch-events.js';
import type { Touch } from '../relationship/account-snapshot.js';
import type { TrackingMessage } from '../tracking-message.js';
import { dayStart, demoCompany } from './demo-company.js';
import { DemoWorld } from './demo-world.js';
import { demoTeam, vendor } from './demo-team.js';

const today = new Date('2026-12-07T00:00:00Z');
const at = (local: string) => `${local}@${vendor.domain}`;

const nameOf = (message: TrackingMessage): string => (message.type === 'track' ? message.event : message.type);
const accountOf = (message: TrackingMessage): string =>
  message.type === 'group' ? message.groupId : String(message.context.groupId);

/** A whole year of a 300-account company, without Tend: what the world does by itself. */
const year = (() => {
  const company = demoCompany({ seed: 1, accounts: 300, today });
  const world = new DemoWorld(company);
  const { messages } = world.advance(new Date(today.getTime() + 8 * 3_600_000));
  return { company, world, messages };
})();

describe('the demo world', () => {
  it('tells the same story for the same company, message ids included, however it is asked', () => {
    const company = demoCompany({ seed: 5, accounts: 40, today, days: 91 });
    const whole = new DemoWorld(company).advance(today).messages;
    const stepwise = new DemoWorld(company);
    const halves = [...stepwise.advance(dayStart(company, 45)).messages, ...stepwise.advance(today).messages];
    expect(halves).toEqual(whole);
    expect(new DemoWorld(company).advance(today).messages).toEqual(whole);
    expect(new Set(whole.map((message) => message.messageId)).size).toBe(whole.length);
    for (let index = 1; index < whole.length; index++) {
      const [earlier, later] = [whole[index - 1]!.timestamp!, whole[index]!.timestamp!];
      expect(later.getTime()).toBeGreaterThanOrEqual(earlier.getTime());
    }
    expect(whole.every((message) => message.timestamp!.getTime() < today.getTime())).toBe(true);
  });

  it('has a year of use, invoices, failed payments, tickets, surveys, calls, meetings, e-mails and replies', () => {
    const counts = new Map<string, number>();
    for (const message of year.messages) counts.set(nameOf(message), (counts.get(nameOf(message)) ?? 0) + 1);
    const common = [
      'Signed In',
      'Feature Used',
      'Invoice Issued',
      'Invoice Paid',
      'Ticket Opened',
      'Ticket Resolved',
      'Survey Answered',
      'Call Logged',
      'Meeting Held',
      'Email Sent',
      'Message Replied',
      'Subscription Renewed',
    ];
    for (const name of common) expect(counts.get(name), name).toBeGreaterThan(50);
    const rare = ['Payment Failed', 'Ticket Reopened', 'Subscription Cancelled', 'Subscription Started'];
    rare.push('Outage Started');
    for (const name of rare) expect(counts.get(name), name).toBeGreaterThan(5);
    const detractors = year.messages.filter(
      (message) =>
        message.type === 'track' && message.event === 'Survey Answered' && Number(message.properties.score) <= 6,
    );
    expect(detractors.length).toBeGreaterThan(10);
    expect(detractors.length).toBeLessThan(counts.get('Survey Answered')! / 2);
    // A demo that loads in seconds: tens of thousands of events for 300 accounts, not hundreds.
    expect(year.messages.length).toBeLessThan(80_000);
  });

  it("shows each rep's diligence in the contact audit: Rita speaks with tier A within two weeks, Sam not", () => {
    const touches = new Map<string, Touch[]>();
    for (const message of year.messages) {
      if (message.type !== 'track') continue;
      const touch = touchFromEvent(message.event, message.properties);
      if (touch === null) continue;
      const list = touches.get(accountOf(message)) ?? [];
      list.push({ ...touch, at: message.timestamp! });
      touches.set(accountOf(message), list);
    }
    const daysSilent = (email: string) => {
      const tierA = year.company.accounts.filter(
        (account) => account.ownerEmail === email && account.tier === 'A' && account.startDay === 0,
      );
      const silences = tierA.map((account) => {
        const byThem = (touch: Touch) => touch.userEmail === email || touch.actor === 'customer';
        const theirs = (touches.get(account.id) ?? []).filter(byThem);
        const last = lastSubstantiveContactAt(theirs);
        return last === null ? 365 : (today.getTime() - last.getTime()) / 86_400_000;
      });
      return silences.reduce((sum, days) => sum + days, 0) / silences.length;
    };
    expect(daysSilent(at('rita.novak'))).toBeLessThan(14);
    expect(daysSilent(at('sam.fischer'))).toBeGreaterThan(2 * daysSilent(at('rita.novak')));
    const spokenShare = (email: string) => {
      const outreach = ['Call Logged', 'Meeting Held', 'Email Sent'];
      const mine = year.messages.filter(
        (message) => message.type === 'track' && message.properties.rep === email && outreach.includes(message.event),
      );
      return mine.filter((message) => nameOf(message) !== 'Email Sent').length / mine.length;
    };
    expect(spokenShare(at('jonas.weber'))).toBeLessThan(0.4);
    expect(spokenShare(at('rita.novak'))).toBeGreaterThan(0.6);
  });

  it('loses customers to neglect and fading use: more of the neglecting reps, use falling before they cancel', () => {
    const outcomes = year.world.outcomes();
    const churned = outcomes.filter((outcome) => outcome.churnedDay !== null);
    expect(churned.length / outcomes.length).toBeGreaterThan(0.04);
    expect(churned.length / outcomes.length).toBeLessThan(0.25);
    const churnOf = (email: string) => churned.filter((outcome) => outcome.ownerEmail === email).length;
    expect(churnOf(at('sam.fischer'))).toBeGreaterThan(churnOf(at('rita.novak')));
    // Sign-ins in the eight weeks before cancelling against the eight weeks before those.
    let before = 0;
    let last = 0;
    for (const outcome of churned.filter((candidate) => candidate.churnedDay! >= 112)) {
      const cancelledAt = dayStart(year.company, outcome.churnedDay!).getTime();
      for (const message of year.messages) {
        if (nameOf(message) !== 'Signed In' || accountOf(message) !== outcome.accountId) continue;
        const weeksBefore = (cancelledAt - message.timestamp!.getTime()) / (7 * 86_400_000);
        if (weeksBefore > 0 && weeksBefore <= 8) last++;
        else if (weeksBefore > 8 && weeksBefore <= 16) before++;
      }
    }
    expect(last).toBeLessThan(before * 0.8);
  });

  it("answers Tend: a rep does Tend's task with a call, and a nudged customer may reply", () => {
    const company = demoCompany({ seed: 2, accounts: 40, today, days: 60 });
    const rita = at('rita.novak');
    const account = company.accounts.find((candidate) => candidate.ownerEmail === rita && candidate.startDay === 0)!;
    const world = new DemoWorld(company);
    const asked = dayStart(company, 30);
    world.advance(asked);
    const reactions = [
      { kind: 'task' as const, id: 'task-1', ownerEmail: rita, accountId: account.id, objective: 'Call', at: asked },
      ...Array.from({ length: 20 }, (_, index) => ({
        kind: 'message' as const,
        id: `message-${index}`,
        accountId: account.id,
        userId: account.people[0]!.userId,
        channel: 'email',
        template: 'we-miss-you',
        at: asked,
      })),
    ];
    const step = world.advance(dayStart(company, 40), reactions);
    expect(step.completions.map((completion) => completion.taskId)).toEqual(['task-1']);
    const tracked = step.messages.flatMap((message) => (message.type === 'track' ? [message] : []));
    const call = tracked.find((message) => message.event === 'Call Logged' && message.properties.objective === 'Call');
    expect(call).toMatchObject({ properties: { rep: rita }, context: { groupId: account.id } });
    // Replies to Tend's messages, not to the rep's own e-mails (those name the rep).
    const replies = tracked.filter(
      (message) =>
        message.event === 'Message Replied' &&
        message.properties.rep === undefined &&
        accountOf(message) === account.id,
    );
    expect(replies.length).toBeGreaterThan(0);
    // Told twice, a reaction is answered once.
    expect(world.advance(dayStart(company, 50), reactions).completions).toEqual([]);
  });

  it('lets no rep own more than their share, and the team own everything', () => {
    const owners = new Set(year.company.accounts.map((account) => account.ownerEmail));
    expect(owners).toEqual(new Set(demoTeam.filter((user) => user.role === 'rep').map((user) => user.email)));
  });
});
