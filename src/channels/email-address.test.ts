import { describe, expect, it } from 'vitest';
import {
  bounceAddress,
  isEmailAddress,
  isHostname,
  isNoReplyAddress,
  outboxIdOfBounceAddress,
  outboxIdOfReplyAddress,
  parseMailbox,
  replyAddress,
} from './email-address.js';

describe('e-mail addresses', () => {
  it('reads a bare address and one with a display name, and refuses anything else', () => {
    expect(parseMailbox('hello@acme.example')).toEqual({ address: 'hello@acme.example' });
    expect(parseMailbox(' "Acme, Support" <support@acme.example> ')).toEqual({
      address: 'support@acme.example',
      name: 'Acme, Support',
    });
    expect(parseMailbox('Acme <support@acme>')).toBeNull();
    expect(parseMailbox('support@acme.example\r\nBcc: x@y.example')).toBeNull();
    expect(parseMailbox('two words@acme.example')).toBeNull();
  });

  it('spots the usual spellings of a no-reply mailbox and leaves real ones alone', () => {
    for (const address of [
      'no-reply@a.example',
      'noreply@a.example',
      'NoReply@a.example',
      'do-not-reply@a.example',
      'do_not_reply@a.example',
      'donotreply@a.example',
      'billing.noreply@a.example',
      'no.reply@a.example',
    ]) {
      expect(isNoReplyAddress(address), address).toBe(true);
    }
    for (const address of [
      'reply+abc@a.example',
      'replies@a.example',
      'nora.reply@a.example',
      'noah@a.example',
      'support@a.example',
    ]) {
      expect(isNoReplyAddress(address), address).toBe(false);
    }
  });

  it('accepts dotted host names only', () => {
    expect(isHostname('reply.acme.example')).toBe(true);
    expect(isHostname('localhost')).toBe(false);
    expect(isHostname('reply@acme.example')).toBe(false);
  });

  it('refuses a 100 KB hostile text at once (no backtracking), and an address longer than 254 characters', () => {
    const hostile = [
      `a${' '.repeat(100_000)}x`,
      `Name${' '.repeat(100_000)}<a@b.example`,
      `a@${'a'.repeat(100_000)}!`,
      `a@${'a.'.repeat(50_000)}-`,
      `"${'<'.repeat(100_000)}" <a@b.example>`,
    ];
    for (const text of hostile) {
      const started = performance.now();
      expect(parseMailbox(text)).toBeNull();
      expect(isEmailAddress(text)).toBe(false);
      expect(isHostname(text)).toBe(false);
      expect(performance.now() - started, text.slice(0, 20)).toBeLessThan(50);
    }
    expect(isEmailAddress(`${'a'.repeat(64)}@${'b'.repeat(63)}.example`)).toBe(true);
    expect(isEmailAddress(`${'a'.repeat(200)}@${'b'.repeat(50)}.example`)).toBe(false);
    expect(parseMailbox('a>b <x@y.example>')).toEqual({ address: 'x@y.example', name: 'a>b' });
  });

  it("names a message's thread address and return path, and reads its id back from each", () => {
    const id = '0190aa00-bb11-7c22-8d33-ee44ff556677';
    expect(replyAddress(id, 'r.example')).toBe('reply+0190aa00bb117c228d33ee44ff556677@r.example');
    expect(bounceAddress(id, 'r.example')).toBe('bounce+0190aa00bb117c228d33ee44ff556677@r.example');
    expect(outboxIdOfReplyAddress(replyAddress(id, 'r.example'))).toBe(id);
    expect(outboxIdOfBounceAddress(bounceAddress(id, 'r.example').toUpperCase())).toBe(id);
    expect(outboxIdOfBounceAddress(replyAddress(id, 'r.example'))).toBeNull();
    expect(outboxIdOfReplyAddress('reply+short@r.example')).toBeNull();
  });
});
