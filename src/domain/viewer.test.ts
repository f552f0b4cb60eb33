// What each viewer may see: an admin everything, a manager their own book and their reps', a rep their own.
import { describe, expect, it } from 'vitest';
import { bookOf, inBook, mayViewUser, type Viewer } from './viewer.js';

const user = (email: string) => ({ id: email, email, name: null });
const admin: Viewer = { kind: 'admin', actor: { kind: 'admin-token', label: 'ops' }, user: null };
const maria: Viewer = {
  kind: 'manager',
  actor: { kind: 'user', email: 'maria@co.example' },
  user: user('maria@co.example'),
  repEmails: ['rita@co.example'],
};
const rita: Viewer = { kind: 'rep', actor: { kind: 'user', email: 'rita@co.example' }, user: user('rita@co.example') };

describe('books', () => {
  it('holds every account for an admin, and only the owners’ accounts for the others', () => {
    expect(inBook(bookOf(admin), null)).toBe(true);
    expect(inBook(bookOf(maria), 'Rita@Co.example')).toBe(true);
    expect(inBook(bookOf(maria), 'maria@co.example')).toBe(true);
    expect(inBook(bookOf(maria), 'sam@co.example')).toBe(false);
    expect(inBook(bookOf(rita), 'rita@co.example')).toBe(true);
    expect(inBook(bookOf(rita), 'maria@co.example')).toBe(false);
    expect(inBook(bookOf(rita), null)).toBe(false);
  });

  it('lets a person see their own views, a manager their reps’, an admin anyone’s', () => {
    expect(mayViewUser(rita, 'RITA@co.example')).toBe(true);
    expect(mayViewUser(rita, 'maria@co.example')).toBe(false);
    expect(mayViewUser(maria, 'rita@co.example')).toBe(true);
    expect(mayViewUser(maria, 'sam@co.example')).toBe(false);
    expect(mayViewUser(admin, 'sam@co.example')).toBe(true);
  });
});
