// Checks that holdout assignment hits its share, never changes for a subject, and is independent
// between playbooks.
import { describe, expect, it } from 'vitest';
import { assignGroup, fnv1a32, holdoutDraw } from './holdout.js';

const subjects = Array.from({ length: 10_000 }, (_, index) => `contact-${index + 1}`);

function heldOutShare(playbookId: string, share: number): number {
  return subjects.filter((subject) => assignGroup(playbookId, subject, share) === 'holdout').length / subjects.length;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, so non-ASCII ids hash as in other languages', () => {
    // "é" is the two bytes C3 A9; "€" three bytes E2 82 AC; an emoji four.
    expect(fnv1a32('é')).toBe(fnv1a32String([0xc3, 0xa9]));
    expect(fnv1a32('€')).toBe(fnv1a32String([0xe2, 0x82, 0xac]));
    expect(fnv1a32('😀')).toBe(fnv1a32String([0xf0, 0x9f, 0x98, 0x80]));
  });
});

function fnv1a32String(bytes: number[]): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

describe('assignGroup', () => {
  it('holds out within ±1.5 points of the share over 10 000 subjects', () => {
    for (const share of [0.1, 0.2]) {
      for (const playbook of ['disengagement-nudge', 'late-payment', 'new-lead']) {
        expect(Math.abs(heldOutShare(playbook, share) - share)).toBeLessThan(0.015);
      }
    }
    expect(heldOutShare('late-payment', 0)).toBe(0);
  });

  it('gives the same subject the same answer every time', () => {
    const first = subjects.map((subject) => assignGroup('late-payment', subject, 0.2));
    // Again in reverse order, from ids built afresh: no state carries over between calls.
    const again = [...subjects]
      .reverse()
      .map((subject) => assignGroup(['late', 'payment'].join('-'), `contact-${subject.slice(8)}`, 0.2))
      .reverse();
    expect(again).toEqual(first);
    expect(first.filter((group) => group === 'holdout').length).toBeGreaterThan(0);
  });

  it('draws uniformly: every tenth of [0, 1) gets 10 % ± 1.5 points', () => {
    const counts = new Array<number>(10).fill(0);
    for (const subject of subjects) counts[Math.floor(holdoutDraw('onboarding-stalled', subject) * 10)]! += 1;
    for (const count of counts) expect(Math.abs(count / subjects.length - 0.1)).toBeLessThan(0.015);
  });

  it('assigns independently across playbooks: the draws are uncorrelated', () => {
    const a = subjects.map((subject) => holdoutDraw('disengagement-nudge', subject));
    const b = subjects.map((subject) => holdoutDraw('renewal-90-60-30', subject));
    // With 10 000 independent pairs the correlation's standard error is 0.01.
    expect(Math.abs(correlation(a, b))).toBeLessThan(0.03);
    const bothHeldOut =
      subjects.filter(
        (subject) =>
          assignGroup('disengagement-nudge', subject, 0.2) === 'holdout' &&
          assignGroup('renewal-90-60-30', subject, 0.2) === 'holdout',
      ).length / subjects.length;
    expect(Math.abs(bothHeldOut - 0.04)).toBeLessThan(0.01);
  });
});

function correlation(xs: readonly number[], ys: readonly number[]): number {
  const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, index) => {
    const y = ys[index]!;
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}
