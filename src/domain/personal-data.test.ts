// Finds a person quoted in text however it is written (case, spacing of a phone number), and only
// them: not inside longer words, not other people's numbers.
import { describe, expect, it } from 'vitest';
import { eraseMentions, identitiesInTraits, mentionPatterns, normalisedPhone } from './personal-data.js';

const anna = {
  ids: ['u-7', 'anonymous-cookie-1'],
  emails: ['Anna.Muster+news@Kunde.example'],
  phones: ['+41 79 123 45 67'],
  names: ['Anna Muster', 'Li'],
};
const patterns = mentionPatterns(anna, 'own records');
const erase = (value: unknown) => eraseMentions(value, patterns, 'erased:x');

describe('mentions of a person', () => {
  it('finds the e-mail in any case, the phone however spaced, the name and its parts', () => {
    expect(erase('Reply from ANNA.MUSTER+NEWS@kunde.example')).toBe('Reply from [erased]');
    expect(erase('call +41791234567 or +41 (79) 123-45-67 or 41 79 123 45 67')).toBe(
      'call [erased] or [erased] or [erased]',
    );
    expect(erase('Anna  Muster stopped signing in; muster said so')).toBe(
      '[erased] stopped signing in; [erased] said so',
    );
  });

  it('replaces ids with the erased id, whole ids only', () => {
    expect(erase('contact:u-7, cookie ANONYMOUS-COOKIE-1')).toBe('contact:erased:x, cookie erased:x');
    expect(erase('u-70 and xu-7 and annabel are others')).toBe('u-70 and xu-7 and annabel are others');
  });

  it('leaves short name parts and other numbers alone', () => {
    expect(erase('Li Wei and +41 79 123 45 68')).toBe('Li Wei and +41 79 123 45 68');
  });

  it('keeps the shape of JSON: keys, arrays, numbers', () => {
    expect(erase({ reasons: ['Anna Muster went quiet', 3], 'u-7': { count: 7, ok: true } })).toEqual({
      reasons: ['[erased] went quiet', 3],
      'erased:x': { count: 7, ok: true },
    });
  });

  it('in records about others, looks only for what names the person alone', () => {
    const others = mentionPatterns(anna, 'other records');
    const text = 'u-7: Anna Muster (anna.muster+news@kunde.example) and Hans Muster, Anna B.';
    expect(eraseMentions(text, others, 'erased:x')).toBe('u-7: [erased] ([erased]) and Hans Muster, Anna B.');
  });

  it('escapes what is special in a regular expression', () => {
    const odd = mentionPatterns({ ids: ['a.b*(c)'], emails: [], phones: [], names: [] }, 'own records');
    expect(eraseMentions('a.b*(c) axb*(c)', odd, 'E')).toBe('E axb*(c)');
  });
});

describe('identities in traits', () => {
  it('reads e-mail, phone, the whole name and its parts', () => {
    expect(
      identitiesInTraits({ email: 'a@b.example', phone: 41791234567, firstName: 'Anna', lastName: 'Muster' }),
    ).toEqual({ emails: ['a@b.example'], phones: ['41791234567'], names: ['Anna Muster', 'Anna', 'Muster'] });
  });

  it('normalises phone numbers to their digits and a leading +', () => {
    expect(normalisedPhone('+41 (79) 123-45-67')).toBe('+41791234567');
    expect(normalisedPhone('0041 79 123 45 67')).toBe('+41791234567');
    expect(normalisedPhone('079 123 45 67')).toBe('0791234567');
  });
});
