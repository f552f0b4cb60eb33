import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashNeedsRenewal, hashPassword, passwordMatches } from './passwords.js';

describe('passwords', () => {
  it('verifies the password hashed, and no other; salts each hash', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$N=32768,r=8,p=3\$/);
    expect(stored).not.toContain('correct horse');
    expect(await passwordMatches('correct horse battery', stored)).toBe(true);
    expect(await passwordMatches('correct horse batterY', stored)).toBe(false);
    expect(await hashPassword('correct horse battery')).not.toBe(stored);
  });

  it('says no when there is no hash, after as much work', async () => {
    expect(await passwordMatches('anything at all', null)).toBe(false);
    expect(await passwordMatches('anything at all', 'not a hash')).toBe(false);
  });

  it('verifies a hash made at a lower cost, and asks for it to be made again', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const key = scryptSync('an older password', salt, 32, { N: 1024, r: 8, p: 1 });
    const old = `scrypt$N=1024,r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await passwordMatches('an older password', old)).toBe(true);
    expect(hashNeedsRenewal(old)).toBe(true);
    expect(hashNeedsRenewal(await hashPassword('a current password'))).toBe(false);
  });
});
