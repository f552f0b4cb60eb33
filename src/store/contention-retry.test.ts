import { describe, expect, it } from 'vitest';
import { type ContentionRetry, retryOnContention, transientDatabaseError } from './contention-retry.js';

/** An error shaped as pg's: a message that may quote data, and the SQLSTATE in `code`. */
const databaseError = (code: string, message = `failed with ${code}: Key (email)=(ann@example.com) already exists`) =>
  Object.assign(new Error(message), { code });

describe('which database errors are contention, which mean the database is unavailable', () => {
  it.each([
    ['40P01', 'deadlock'],
    ['40001', 'serialization-failure'],
    ['23505', 'unique-race'],
    ['55P03', 'lock-not-available'],
  ])('SQLSTATE %s is contention (%s)', (code, contention) => {
    expect(transientDatabaseError(databaseError(code))).toEqual({ kind: 'contention', contention, sqlState: code });
  });

  it('looks through the causes of a wrapping error', () => {
    const wrapped = new Error('evaluating accounts at ingest failed', { cause: databaseError('40P01') });
    expect(transientDatabaseError(wrapped)).toMatchObject({ kind: 'contention', contention: 'deadlock' });
  });

  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
  });
  it.each([
    ['57P01', databaseError('57P01', 'terminating connection due to administrator command')],
    ['57P03', databaseError('57P03', 'the database system is starting up')],
    ['08006', databaseError('08006', 'connection failure')],
    ['53300', databaseError('53300', 'sorry, too many clients already')],
    ['53100', databaseError('53100', 'could not extend file: No space left on device')],
    ['ECONNREFUSED', refused],
    ['ENOENT', Object.assign(new Error('connect ENOENT /data/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect' })],
    ['connection-lost', new Error('Connection terminated unexpectedly')],
    ['connection-lost', new Error('timeout exceeded when trying to connect')],
  ])('%s means the database is unavailable', (code, error) => {
    expect(transientDatabaseError(error)).toEqual({ kind: 'unavailable', code });
  });

  it.each([
    ['a foreign key violation', databaseError('23503')],
    ['a syntax error', databaseError('42601')],
    ['a missing file', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', syscall: 'open' })],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['a thrown string', 'oops'],
    ['nothing', undefined],
  ])('%s is neither', (_name, error) => {
    expect(transientDatabaseError(error)).toBeNull();
  });
});

describe('retrying a transaction that lost to a concurrent writer', () => {
  const quick = { sleep: async () => {}, random: () => 0.5 };

  it('runs it again until it commits, reporting each retry with its SQLSTATE and never the message', async () => {
    const retries: ContentionRetry[] = [];
    let attempts = 0;
    const result = await retryOnContention(
      async () => {
        attempts++;
        if (attempts < 3) throw databaseError(attempts === 1 ? '40P01' : '40001');
        return 'committed';
      },
      { ...quick, onRetry: (retry) => retries.push(retry) },
    );
    expect(result).toBe('committed');
    expect(retries).toEqual([
      { contention: 'deadlock', sqlState: '40P01', attempt: 1, pauseMilliseconds: 10 },
      { contention: 'serialization-failure', sqlState: '40001', attempt: 2, pauseMilliseconds: 20 },
    ]);
    expect(JSON.stringify(retries)).not.toContain('ann@example.com');
  });

  it('retries a unique race once: a second violation is a real duplicate', async () => {
    let attempts = 0;
    const failing = retryOnContention(async () => {
      attempts++;
      throw databaseError('23505');
    }, quick);
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(2);
  });

  it('does not retry what is not contention', async () => {
    let attempts = 0;
    await expect(
      retryOnContention(async () => {
        attempts++;
        throw databaseError('57P01', 'terminating connection due to administrator command');
      }, quick),
    ).rejects.toMatchObject({ code: '57P01' });
    expect(attempts).toBe(1);
  });

  it("gives up after the policy's attempts, throwing the last error", async () => {
    const threeAttempts = {
      attempts: 3,
      firstPauseMilliseconds: 10,
      longestPauseMilliseconds: 100,
      totalMilliseconds: 10_000,
    };
    let attempts = 0;
    await expect(
      retryOnContention(
        async () => {
          attempts++;
          throw databaseError('40P01', `deadlock ${attempts}`);
        },
        { ...quick, policy: threeAttempts },
      ),
    ).rejects.toThrow('deadlock 3');
    expect(attempts).toBe(3);
  });

  it('starts no retry past the total time; pauses grow to the longest pause, jittered by half either way', async () => {
    let clock = 0;
    const pauses: number[] = [];
    const policy = {
      attempts: 10,
      firstPauseMilliseconds: 100,
      longestPauseMilliseconds: 300,
      totalMilliseconds: 1_000,
    };
    const draws = [0, 0.999, 0.5, 0.5, 0.5];
    await expect(
      retryOnContention(
        async () => {
          clock += 50;
          throw databaseError('40P01');
        },
        {
          policy,
          now: () => clock,
          random: () => draws.shift() ?? 0.5,
          sleep: async (milliseconds) => {
            pauses.push(milliseconds);
            clock += milliseconds;
          },
        },
      ),
    ).rejects.toMatchObject({ code: '40P01' });
    // 100 × 0.5, 200 × 1.5, then the longest, 300; the next pause would end past 1,000 ms.
    expect(pauses).toEqual([50, 300, 300]);
    expect(clock).toBeLessThanOrEqual(policy.totalMilliseconds);
  });
});
