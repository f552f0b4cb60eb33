import { describe, expect, it } from 'vitest';
import { compareRates, summariseRate, twoProportionPValue } from '../models/experiment-statistics.js';
import { noRuns } from './group-counts.js';
import type { RunGroup } from './holdout.js';
import { type CountsAtEntryScore, liftByRiskBand, minimumRunsPerGroup, totalCounts } from './risk-band-lift.js';
import { riskBandOf } from './risk-bands.js';

/** `entered` runs of a group at one entry score, `retained` of them kept. */
const runs = (group: RunGroup, entryScore: number | null, entered: number, retained: number): CountsAtEntryScore => ({
  group,
  entryScore,
  counts: { ...noRuns(), entered, retained, responded: entered - retained },
});

describe('riskBandOf', () => {
  it('bands a score by where it stood when the run entered, and no score as unscored', () => {
    const cases: [number | null, string][] = [
      [0, 'high-risk'],
      [49, 'high-risk'],
      [50, 'middle'],
      [74, 'middle'],
      [75, 'low-risk'],
      [100, 'low-risk'],
      [null, 'unscored'],
    ];
    for (const [score, band] of cases) expect(riskBandOf(score), String(score)).toBe(band);
  });
});

describe('liftByRiskBand', () => {
  const rows = [
    runs('treated', 20, 12, 11),
    runs('treated', 45, 8, 8),
    runs('holdout', 30, 20, 10),
    runs('treated', 60, 25, 10),
    runs('holdout', 70, 25, 20),
    runs('treated', 90, 30, 24),
    runs('holdout', 80, 30, 23),
    runs('treated', null, 3, 3),
  ];
  const bands = liftByRiskBand(rows);

  it('lists every band, most at risk first, each with the scores it holds', () => {
    expect(bands.map((band) => [band.band, band.scores])).toEqual([
      ['high-risk', { from: 0, below: 50 }],
      ['middle', { from: 50, below: 75 }],
      ['low-risk', { from: 75, below: null }],
      ['unscored', { from: null, below: null }],
    ]);
  });

  it('adds up the runs of each band and compares their retention with the statistics of a holdout test', () => {
    const high = bands[0]!;
    expect(high.treated).toEqual({ ...noRuns(), entered: 20, retained: 19, responded: 1 });
    expect(high.holdout).toEqual({ ...noRuns(), entered: 20, retained: 10, responded: 10 });
    const treated = summariseRate(19, 20);
    const holdout = summariseRate(10, 20);
    expect(high.retention).toEqual({
      treated,
      holdout,
      lift: compareRates(treated, holdout),
      pValue: twoProportionPValue(treated, holdout),
    });
    expect(high.verdict).toBe('helps');
    expect(high.explanation).toMatch(/^Helps: 95\.0 % of treated accounts retained against 50\.0 % held out \(\+45\.0/);
  });

  it('says harms, or no effect shown, when the interval says so', () => {
    expect(bands[1]!.verdict).toBe('harms'); // 40 % against 80 %
    expect(bands[1]!.retention?.lift.upper).toBeLessThan(0);
    expect(bands[2]!.verdict).toBe('no-effect-shown'); // 80 % against 76.7 %
    expect(bands[2]!.explanation).toMatch(/the interval includes zero/);
  });

  it('does not judge a band with too few runs in a group, nor one a group has not reached', () => {
    const few = liftByRiskBand([
      runs('treated', 20, minimumRunsPerGroup, minimumRunsPerGroup),
      runs('holdout', 20, minimumRunsPerGroup - 1, 0),
    ])[0]!;
    expect(few.retention?.lift.significant).toBe(true);
    expect(few.verdict).toBe('too-few-to-judge');
    expect(few.explanation).toBe(
      `Too few to judge: each group needs ${minimumRunsPerGroup} runs; ` +
        `this band has ${minimumRunsPerGroup} treated and ${minimumRunsPerGroup - 1} held out.`,
    );
    const unscored = bands[3]!;
    expect(unscored.retention).toBeNull();
    expect(unscored.verdict).toBe('too-few-to-judge');
  });

  it('adds up to the playbook as a whole', () => {
    const totals = totalCounts(rows);
    expect(totals.treated.entered).toBe(78);
    expect(totals.holdout.retained).toBe(53);
    expect(liftByRiskBand([]).every((band) => band.treated.entered === 0 && band.retention === null)).toBe(true);
  });
});
