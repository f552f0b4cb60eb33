import { describe, expect, it } from 'vitest';
import { passwordProblem, signInAdmission } from './sign-in-rules.js';

const at = new Date('2027-03-01T09:00:00Z');
const minutesBefore = (minutes: number) => new Date(at.getTime() - minutes * 60_000);
const failures = (count: number, everyMinutes = 1) =>
  Array.from({ length: count }, (_, index) => minutesBefore(index * everyMinutes));

describe('signInAdmission', () => {
  it('admits up to 9 recent failures, refuses at 10, by account before address', () => {
    expect(signInAdmission(failures(9), failures(9), at)).toEqual({ kind: 'admitted' });
    expect(signInAdmission(failures(10), [], at)).toMatchObject({ kind: 'refused', by: 'account' });
    expect(signInAdmission([], failures(10), at)).toMatchObject({ kind: 'refused', by: 'address' });
  });

  it('waits until the oldest counted failure leaves the 15-minute window', () => {
    // Failures 0..9 minutes ago: the 10th newest is 9 minutes old, so 6 minutes remain.
    expect(signInAdmission(failures(12), [], at)).toEqual({ kind: 'refused', by: 'account', retryAfterSeconds: 360 });
  });

  it('forgets failures older than the window', () => {
    expect(signInAdmission(failures(10, 2), [], at)).toEqual({ kind: 'admitted' });
  });
});

describe('passwordProblem', () => {
  it('asks for 10 characters and says how many there were', () => {
    expect(passwordProblem('short')).toMatch(/at least 10 characters long \(it has 5\)/);
    expect(passwordProblem('correct horse')).toBeNull();
    expect(passwordProblem('          ')).toMatch(/only spaces/);
    expect(passwordProblem('x'.repeat(2000))).toMatch(/at most 1024/);
  });
});
