import { describe, expect, it } from 'vitest';
import { eventSummary, summaryLength, timelineKindOf, touchName, touchSummary } from './timeline-entry.js';

describe('timeline entries', () => {
  it.each([
    ['Call Logged', 'touch'],
    ['Message Replied', 'message'],
    ['Task Completed', 'task'],
    ['Signal Cleared', 'signal'],
    ['Invoice Paid', 'event'],
    [null, 'event'],
  ] as const)('%s is a %s', (name, kind) => {
    expect(timelineKindOf(name)).toBe(kind);
  });

  it("say Tend's own events in words", () => {
    expect(eventSummary('Signal Raised', { kind: 'neglected', reasons: ['No call for 40 days', 'Tier A'] })).toBe(
      'neglected: No call for 40 days; Tier A',
    );
    const cleared = (openForHours: number) => eventSummary('Signal Cleared', { kind: 'neglected', openForHours });
    expect(cleared(30)).toBe('neglected cleared after 30 hours');
    expect(cleared(408)).toBe('neglected cleared after 17 days');
    expect(eventSummary('Task Created', { objective: 'Call about renewal', owner: 'ann@example.com' })).toBe(
      'Call about renewal · for ann@example.com',
    );
    expect(eventSummary('Task Completed', { outcome: 'reached', note: null })).toBe('reached');
    const call = { objective: 'review', summary: 'Went well', rep: 'ann@example.com' };
    expect(eventSummary('Call Logged', call)).toBe('review: Went well');
    expect(eventSummary('Message Sent', { channel: 'email', template: 'win-back' })).toBe('email · win-back');
    expect(eventSummary('Message Replied', { channel: 'sms', body: 'Call me\nplease' })).toBe('sms: Call me please');
  });

  it('say other events by their worded properties first, at most four, on one short line', () => {
    expect(eventSummary('Ticket Opened', { priority: 'high', subject: 'Login broken', nested: { a: 1 } })).toBe(
      'Login broken, priority: high',
    );
    expect(eventSummary('Signed In', {})).toBeNull();
    expect(eventSummary('Invoice Paid', { a: 1, b: 2, c: 3, d: 4, e: 5 })).toBe('a: 1, b: 2, c: 3, d: 4');
    const long = eventSummary('Note Added', { note: 'x'.repeat(500) });
    expect(long?.length).toBe(summaryLength);
    expect(long?.endsWith('…')).toBe(true);
  });

  it('say a logged touch by its objective and summary', () => {
    expect(touchSummary('renewal', 'They will sign')).toBe('renewal: They will sign');
    expect(touchSummary(null, null)).toBeNull();
  });
});

describe('touch names', () => {
  it('name a touch by its channel', () => {
    expect(touchName('phone')).toBe('Phone call');
    expect(touchName('pigeon')).toBe('Touch (pigeon)');
  });
});
