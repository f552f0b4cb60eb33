// Checks the words of a conversation: its status and wait, a reply's subject and text limits, the
// Message-ID a reply names, and why a person's reply must not go.
import { describe, expect, it } from 'vitest';
import type { SendContact } from '../playbooks/send-policy.js';
import {
  conversationStatus,
  minutesWaited,
  replyRefusal,
  replySubject,
  replyTextProblem,
  threadMessageId,
} from './conversation.js';

const anna: SendContact = {
  email: 'anna@kunde.example',
  phone: '+41791234567',
  timezone: 'Europe/Zurich',
  consent: { email: 'opted-out', sms: 'opted-in' },
  doNotContact: false,
  erased: false,
  lastReplyAt: new Date('2026-05-04T09:00:00Z'),
};

describe('a conversation', () => {
  it('is open while the customer waits, and counts their wait in whole minutes', () => {
    const since = new Date('2026-05-04T09:00:00Z');
    expect(conversationStatus(since)).toBe('open');
    expect(conversationStatus(null)).toBe('answered');
    expect(minutesWaited(since, new Date('2026-05-04T11:30:59Z'))).toBe(150);
    expect(minutesWaited(null, new Date())).toBeNull();
  });

  it('answers an e-mail with "Re:" once, keeping the customer\'s own', () => {
    expect(replySubject('Export')).toBe('Re: Export');
    expect(replySubject('RE: Export')).toBe('RE: Export');
    expect(replySubject('AW: Rechnung')).toBe('AW: Rechnung');
    expect(replySubject('  Line\r\nbreak ')).toBe('Re: Line break');
    expect(replySubject(null)).toBe('Re: your message');
  });

  it('takes a reply that is not empty and fits its channel', () => {
    expect(replyTextProblem('Danke!', 'sms')).toBeNull();
    expect(replyTextProblem(' \n ', 'email')).toBe('is empty: write the answer to send');
    expect(replyTextProblem('x'.repeat(1601), 'sms')).toBe(
      'is 1601 characters long; 1600 is the longest text message Tend sends',
    );
    expect(replyTextProblem('x'.repeat(1601), 'email')).toBeNull();
  });

  it('names the Message-ID a reply answers, with brackets, and nothing that is none', () => {
    expect(threadMessageId('<r1@kunde.example>')).toBe('<r1@kunde.example>');
    expect(threadMessageId(' r1@kunde.example ')).toBe('<r1@kunde.example>');
    expect(threadMessageId('6a2f4e1c-0000-4000-8000-000000000000')).toBeNull();
    expect(threadMessageId('<a@b> <c@d>')).toBeNull();
    expect(threadMessageId(null)).toBeNull();
  });
});

describe("a person's reply", () => {
  it('goes to someone who unsubscribed from e-mail, and by text to someone who opted in', () => {
    expect(replyRefusal(anna, 'email', 'Anna')).toBeNull();
    expect(replyRefusal(anna, 'sms', 'Anna')).toBeNull();
  });

  it('is refused for the erased, the do-not-contact list and STOP to texts, saying what to do instead', () => {
    expect(replyRefusal({ ...anna, erased: true }, 'email', 'Anna')).toMatchObject({
      kind: 'erased',
      message: expect.stringMatching(/^Anna asked to be erased.*Nothing was sent\.$/),
    });
    expect(replyRefusal({ ...anna, doNotContact: true }, 'email', 'Anna')?.message).toMatch(
      /do-not-contact list.*Nothing was sent.*DELETE \/api\/v1\/do-not-contact/,
    );
    const stopped = { ...anna, consent: { sms: 'opted-out' as const } };
    expect(replyRefusal(stopped, 'sms', 'Anna')).toMatchObject({ kind: 'opted-out' });
    expect(replyRefusal(stopped, 'email', 'Anna')).toBeNull();
  });
});
