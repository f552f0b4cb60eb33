import { describe, expect, it } from 'vitest';
import { addressKey } from './rate-limit-address.js';
import { TokenBuckets } from './rate-limit.js';

const second = 1000;

describe('TokenBuckets', () => {
  it('admits a burst at once, then one request per refill', () => {
    const buckets = new TokenBuckets({ perSecond: 2, burst: 3 });
    const answers = [0, 0, 0, 0].map(() => buckets.take('source', 1, 0).kind);
    expect(answers).toEqual(['admitted', 'admitted', 'admitted', 'refused']);
    expect(buckets.take('source', 1, 0.4 * second).kind).toBe('refused');
    expect(buckets.take('source', 1, 0.5 * second).kind).toBe('admitted');
    expect(buckets.take('source', 1, 0.5 * second).kind).toBe('refused');
  });

  it('refills no further than the burst', () => {
    const buckets = new TokenBuckets({ perSecond: 10, burst: 2 });
    buckets.take('source', 2, 0);
    const later = 3600 * second;
    expect([0, 0, 0].map(() => buckets.take('source', 1, later).kind)).toEqual(['admitted', 'admitted', 'refused']);
  });

  it('keeps each key apart', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    expect(buckets.take('a', 1, 0).kind).toBe('admitted');
    expect(buckets.take('a', 1, 0).kind).toBe('refused');
    expect(buckets.take('b', 1, 0).kind).toBe('admitted');
  });

  it('says when to retry in whole seconds, at least one', () => {
    const buckets = new TokenBuckets({ perSecond: 200, burst: 1 });
    buckets.take('source', 1, 0);
    expect(buckets.take('source', 1, 0)).toEqual({ kind: 'refused', retryAfterSeconds: 1 });
    const slow = new TokenBuckets({ perSecond: 0.5, burst: 1 });
    slow.take('address', 1, 0);
    expect(slow.take('address', 1, 0)).toEqual({ kind: 'refused', retryAfterSeconds: 2 });
    expect(slow.take('address', 1, 1.5 * second)).toEqual({ kind: 'refused', retryAfterSeconds: 1 });
  });

  it('admits a batch larger than what is left once, and refuses until it is repaid', () => {
    const events = new TokenBuckets({ perSecond: 100, burst: 500 });
    expect(events.take('source', 400, 0).kind).toBe('admitted');
    expect(events.take('source', 400, 0).kind).toBe('admitted'); // 100 left: admitted, 300 owed
    expect(events.take('source', 1, 0)).toEqual({ kind: 'refused', retryAfterSeconds: 4 }); // 301 tokens to come back
    expect(events.take('source', 0, 3 * second).kind).toBe('refused');
    expect(events.take('source', 0, 3.01 * second).kind).toBe('admitted');
  });

  it('a batch larger than the burst is admitted from a full bucket rather than never', () => {
    const events = new TokenBuckets({ perSecond: 10, burst: 50 });
    expect(events.take('source', 80, 0).kind).toBe('admitted');
    expect(events.take('source', 1, 0)).toEqual({ kind: 'refused', retryAfterSeconds: 4 });
  });

  it('over time admits no more than the burst plus the rate (and one request past it)', () => {
    const events = new TokenBuckets({ perSecond: 1000, burst: 5000 });
    let taken = 0;
    for (let at = 0; at <= 60 * second; at += 1) {
      if (events.take('source', 100, at).kind === 'admitted') taken += 100;
    }
    expect(taken).toBeGreaterThanOrEqual(5000 + 60 * 1000 - 100);
    expect(taken).toBeLessThanOrEqual(5000 + 60 * 1000 + 100);
  });

  it('a cost of 0 asks without taking', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    expect(buckets.take('source', 0, 0).kind).toBe('admitted');
    expect(buckets.take('source', 0, 0).kind).toBe('admitted');
    expect(buckets.size).toBe(0);
    expect(buckets.take('source', 1, 0).kind).toBe('admitted');
    expect(buckets.take('source', 0, 0).kind).toBe('refused');
  });

  it('charges what is known afterwards, whatever is left', () => {
    const failures = new TokenBuckets({ perSecond: 0.5, burst: 2 });
    failures.charge('address', 1, 0);
    failures.charge('address', 1, 0);
    failures.charge('address', 1, 0);
    expect(failures.take('address', 0, 0)).toEqual({ kind: 'refused', retryAfterSeconds: 4 });
    expect(failures.take('address', 0, 4 * second).kind).toBe('admitted');
  });

  it('a clock that steps back refills nothing', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 });
    buckets.take('source', 1, 10 * second);
    expect(buckets.take('source', 1, 5 * second).kind).toBe('refused');
  });

  it('forgets full buckets first when there are too many keys, and never holds more than its maximum', () => {
    const buckets = new TokenBuckets({ perSecond: 1, burst: 1 }, 100);
    for (let index = 0; index < 100; index++) buckets.take(`early-${index}`, 1, 0);
    buckets.take('busy', 1, 10 * second);
    expect(buckets.size).toBe(1); // the early ones were full again by then
    for (let index = 0; index < 1000; index++) buckets.take(`flood-${index}`, 1, 10 * second);
    expect(buckets.size).toBeLessThanOrEqual(100);
    expect(buckets.take('flood-999', 1, 10 * second).kind).toBe('refused');
  });
});

describe('addressKey', () => {
  it('keeps an IPv4 address and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:a:b:c:d')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:DB8:1:2::d')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });

  it('gives anything it cannot read back as it came', () => {
    expect(addressKey('1:2:3')).toBe('1:2:3');
    expect(addressKey('1::2::3')).toBe('1::2::3');
    expect(addressKey('zz:1:2:3:4:5:6:7')).toBe('zz:1:2:3:4:5:6:7');
  });
});
