// Checks which events are touches, and of what kind: calls and meetings are spoken and two-way,
// automated messages never are, and a rep's note counts only when it records contact on a channel.
import { describe, expect, it } from 'vitest';
import { touchFromEvent } from './touch-events.js';

describe('touchFromEvent', () => {
  it('reads a logged call as a spoken two-way touch by the rep', () => {
    expect(
      touchFromEvent('Call Logged', { rep: 'Rita@Tend.example', summary: 'Renewal', objective: 'review' }),
    ).toEqual({
      channel: 'phone',
      direction: 'outbound',
      actor: 'rep',
      twoWay: true,
      userEmail: 'rita@tend.example',
      objective: 'review',
      summary: 'Renewal',
    });
  });

  it("reads Tend's own message as an automated one-way touch", () => {
    expect(touchFromEvent('Message Sent', { channel: 'sms', automated: true })).toMatchObject({
      channel: 'sms',
      actor: 'system',
      twoWay: false,
      userEmail: null,
    });
  });

  it('counts a note as a touch only when it names the channel the contact was on', () => {
    expect(touchFromEvent('Note Added', { rep: 'rita@tend.example', note: 'Prefers calls after 4 pm' })).toBeNull();
    expect(touchFromEvent('Note Added', { rep: 'rita@tend.example', channel: 'carrier pigeon' })).toBeNull();
    expect(
      touchFromEvent('Note Added', { rep: 'rita@tend.example', channel: 'Letter', note: 'Sent the contract by post' }),
    ).toEqual({
      channel: 'letter',
      direction: 'outbound',
      actor: 'rep',
      twoWay: false,
      userEmail: 'rita@tend.example',
      objective: null,
      summary: 'Sent the contract by post',
    });
    expect(
      touchFromEvent('Note Added', { rep: 'rita@tend.example', channel: 'meeting', summary: 'Met at the trade fair' }),
    ).toMatchObject({ channel: 'meeting', twoWay: true });
  });

  it("reads a person's own message (a reply in a conversation) as their touch, two-way when said", () => {
    const reply = { channel: 'sms', rep: 'Rita@Tend.example', twoWay: true, automated: false };
    expect(touchFromEvent('Message Sent', reply)).toMatchObject({
      channel: 'sms',
      direction: 'outbound',
      actor: 'rep',
      twoWay: true,
      userEmail: 'rita@tend.example',
    });
    // A rep named on an automated message does not make it theirs.
    expect(touchFromEvent('Message Sent', { ...reply, automated: true })).toMatchObject({ actor: 'system' });
  });

  it('is no touch for other events', () => {
    expect(touchFromEvent('Signed In', {})).toBeNull();
  });
});
