// `tend models …` end to end: the real command as a child process, on the reference data (when this
// clone has it) and on small synthetic files written to a temporary folder, including the errors a
// user's own file runs into.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/models/random.js';
import { referenceDirectory } from '../support/reference-data.js';
import { runTend } from '../support/run-tend.js';

const reference = referenceDirectory();
let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tend-models-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const scratchFile = (name: string, lines: readonly string[]): string => {
  const file = join(scratch, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
};
const isoDay = (epochDay: number): string => new Date(epochDay * 86_400_000).toISOString().slice(0, 10);
const csvLines = (file: string): string[] => readFileSync(file, 'utf8').trim().split('\n');

/**
 * A purchase log drawn from a BG/NBD with known parameters (weekly rates): each customer buys at a
 * gamma rate from a first day in the first 12 weeks, and may drop out after each purchase.
 */
function syntheticTransactions(customers: number, truth: { r: number; alpha: number; a: number; b: number }): string[] {
  const random = seededRandom(7);
  const start = 19_723; // 2024-01-01
  const lines = ['customer,date,amount'];
  for (let id = 1; id <= customers; id++) {
    const rate = random.gamma(truth.r, truth.alpha);
    const dropout = random.beta(truth.a, truth.b);
    const orderMean = 20 + 40 * random.next();
    let week = random.next() * 12;
    const purchase = (): void => {
      lines.push(`c${id},${isoDay(start + Math.floor(week * 7))},${(orderMean * (0.5 + random.next())).toFixed(2)}`);
    };
    purchase();
    // Dropping out is possible after each repeat purchase (not the first), as the model has it.
    for (;;) {
      week += random.exponential(rate);
      if (week >= 52) break;
      purchase();
      if (random.next() < dropout) break;
    }
  }
  return lines;
}

describe('tend models check', () => {
  it.skipIf(reference === null)(
    'reproduces every published figure on the reference data and exits 0',
    { timeout: 120_000 },
    async () => {
      const result = await runTend(['models', 'check', '--data', reference!]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const summary = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout);
      expect(summary?.slice(1).map(Number)).toEqual([expect.any(Number), 0]);
      expect(Number(summary![1])).toBeGreaterThanOrEqual(90);
      // One line per figure: the published value with its tolerance, Tend's value, the verdict.
      expect(result.stdout).toMatch(/BG\/NBD r\s+0\.2426 ± 0\.0012\s+0\.24\d+\s+pass/);
      expect(result.stdout).toMatch(/regular: sBG β\s+1\.182 ± 0\.0005\s+1\.182\d+\s+pass/);
      expect(result.stdout).toMatch(
        /disengagement: 60 % drop caught within 2 weeks, 30–60 a week\s+≥ 0\.95\s+0\.9\d+\s+pass/,
      );
    },
  );

  it("checks the paper's sBG examples before any reference file is read: an empty folder shows them", async () => {
    const empty = join(scratch, 'empty-reference');
    mkdirSync(empty);
    const result = await runTend(['models', 'check', '--data', empty]);
    // The missing CDNOW file still stops the command (exit 2), after the sBG section has passed.
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CDNOW_sample.txt');
    expect(result.stdout).toContain('Contract retention: shifted-beta-geometric (sBG)');
    expect(result.stdout).toMatch(/high end: sBG α\s+0\.668 ± 0\.0005\s+0\.668\d+\s+pass/);
    expect(result.stdout).toMatch(/high end: sBG β\s+3\.806 ± 0\.0005\s+3\.806\d+\s+pass/);
    expect(result.stdout).toMatch(/high end: log-likelihood\s+-1611\.2 ± 0\.05\s+-1611\.1\d+\s+pass/);
    expect(result.stdout).toMatch(/regular: sBG α\s+0\.704 ± 0\.0005\s+0\.704\d+\s+pass/);
    expect(result.stdout).toMatch(/regular: sBG β\s+1\.182 ± 0\.0005\s+1\.182\d+\s+pass/);
    expect(result.stdout).toMatch(
      /high end: year 12 survivors per 1000, projected \(actual 394\)\s+378 ± 1\s+378\.0\s+pass/,
    );
    expect(result.stdout).toMatch(
      /regular: year 8 survivors per 1000, projected \(actual 223\)\s+220\.1 ± 1\s+220\.1\s+pass/,
    );
    const sbgLines = result.stdout.split('\n').filter((line) => /^ {2}(high end|regular): /.test(line));
    expect(sbgLines).toHaveLength(18);
    expect(sbgLines.filter((line) => line.endsWith('pass'))).toHaveLength(18);
  });

  it('names the missing data folder and --data, with exit code 2', async () => {
    const result = await runTend(['models', 'check', '--data', '/nonexistent/reference']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/reference');
    expect(result.stderr).toContain('--data');
    expect(result.stdout).toBe('');
  });
});

describe('tend models fit bgnbd', () => {
  it('fits a synthetic purchase log: sane parameters as JSON, one --out row per customer with P(alive), purchases and CLV', async () => {
    const truth = { r: 0.5, alpha: 4, a: 0.8, b: 2.5 };
    const file = scratchFile('purchases.csv', syntheticTransactions(1500, truth));
    const out = join(scratch, 'forecast.csv');
    const result = await runTend([
      'models',
      'fit',
      'bgnbd',
      '--transactions',
      file,
      '--customer',
      'customer',
      '--date',
      'date',
      '--amount',
      'amount',
      '--calibration-end',
      '2024-12-29',
      '--out',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const fit = JSON.parse(result.stdout);
    expect(fit).toMatchObject({
      model: 'bg-nbd',
      customers: 1500,
      converged: true,
      timeUnit: 'week',
      horizon: 52,
      lifetimeValue: { marginShare: 0.3, annualDiscountRate: 0.1 },
    });
    // From 1,500 customers: r and α within 15 % of the truth, and the mean dropout chance a/(a+b) too.
    const within = (value: number, expected: number): number => Math.abs(value - expected) / expected;
    expect(within(fit.parameters.r, truth.r)).toBeLessThan(0.15);
    expect(within(fit.parameters.alpha, truth.alpha)).toBeLessThan(0.15);
    expect(
      within(fit.parameters.a / (fit.parameters.a + fit.parameters.b), truth.a / (truth.a + truth.b)),
    ).toBeLessThan(0.15);
    expect(fit.logLikelihood).toBeLessThan(0);
    const lines = csvLines(out);
    expect(lines[0]).toBe(
      'customer,frequency,recency,T,p_alive,expected_purchases_next_52_weeks,expected_order_value,clv_next_52_weeks',
    );
    expect(lines).toHaveLength(1 + 1500);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(new Set(rows.map((row) => row[0])).size).toBe(1500);
    for (const row of rows) {
      const [, , , , alive, purchases, , clv] = row.map(Number) as number[];
      expect(alive).toBeGreaterThanOrEqual(0);
      expect(alive).toBeLessThanOrEqual(1);
      expect(clv).toBeGreaterThanOrEqual(0);
      expect(purchases).toBeGreaterThanOrEqual(0);
    }
    const totalPurchases = rows.reduce((sum, row) => sum + Number(row[5]), 0);
    expect(totalPurchases).toBeCloseTo(fit.totals.expectedPurchases, 3);
  });

  it.skipIf(reference === null)(
    'reads the CDNOW sample written as CSV and finds the published BG/NBD parameters',
    async () => {
      const raw = readFileSync(join(reference!, 'cdnow', 'CDNOW_sample.txt'), 'utf8');
      const lines = ['sample_id,day,dollars'];
      for (const line of raw.split(/\r?\n/)) {
        const fields = line.trim().split(/\s+/);
        if (fields.length >= 5) lines.push(`${fields[1]},${fields[2]},${fields[4]}`);
      }
      const file = scratchFile('cdnow.csv', lines);
      const result = await runTend([
        'models',
        'fit',
        'bgnbd',
        '--transactions',
        file,
        '--customer',
        'sample_id',
        '--date',
        'day',
        '--calibration-end',
        '1997-09-30',
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(0);
      const fit = JSON.parse(result.stdout);
      expect(fit.customers).toBe(2357);
      const published = { r: 0.2425982, alpha: 4.4136842, a: 0.7929899, b: 2.4261667 };
      for (const [name, value] of Object.entries(published))
        expect(Math.abs(fit.parameters[name] - value) / value).toBeLessThan(0.005);
      expect(Math.abs(fit.logLikelihood - -9582.429)).toBeLessThan(0.1);
    },
  );

  it('names the line of a date it cannot read, with exit code 2', async () => {
    const file = scratchFile('bad-date.csv', [
      'customer,date',
      'a,2024-01-01',
      'b,2024-01-05',
      'a,2024-01-09',
      'c,01/12/2024',
    ]);
    const result = await runTend([
      'models',
      'fit',
      'bgnbd',
      '--transactions',
      file,
      '--customer',
      'customer',
      '--date',
      'date',
      '--calibration-end',
      '2024-02-01',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('Line 5');
    expect(result.stderr).toContain('"01/12/2024"');
    expect(result.stderr).toContain('bad-date.csv');
  });
});

describe('tend models fit sbg', () => {
  it("fits the paper's high end cohort from --survivors and projects five more years", async () => {
    const result = await runTend(['models', 'fit', 'sbg', '--survivors', '1000,869,743,653,593,551,517,491']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/cohort\s+1000\s+7\s+0\.6681\s+3\.8061\s+-1611\.158/);
    expect(result.stdout).toMatch(
      /46\.0 % \(460\)\s+43\.6 % \(436\)\s+41\.4 % \(414\)\s+39\.5 % \(395\)\s+37\.8 % \(378\)/,
    );
  });

  it('fits one cohort per CSV row as JSON, says which are too few to judge, and names a bad cell', async () => {
    const file = scratchFile('cohorts.csv', [
      'cohort,start,year 1,year 2,year 3,year 4,year 5,year 6,year 7',
      'high end,1000,869,743,653,593,551,517,491',
      'regular,1000,631,468,382,326,289,262,241',
      '2025,400,300,,,,,,',
    ]);
    const bad = scratchFile('bad-cohorts.csv', ['cohort,start,year 1,year 2', 'a,100,90,80', 'b,100,95,96']);
    const notNumber = scratchFile('text-cohorts.csv', ['cohort,start,year 1,year 2', 'a,100,ninety,80']);
    const [result, increasing, text] = await Promise.all([
      runTend(['models', 'fit', 'sbg', '--csv', file, '--ahead', '3', '--json']),
      runTend(['models', 'fit', 'sbg', '--csv', bad]),
      runTend(['models', 'fit', 'sbg', '--csv', notNumber]),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ model: 'sbg', ahead: 3 });
    const [high, regular, young] = report.cohorts;
    expect(high).toMatchObject({ cohort: 'high end', customers: 1000, periods: 7 });
    expect(high.alpha.toFixed(3)).toBe('0.668');
    expect(regular.beta.toFixed(3)).toBe('1.182');
    expect(regular.projection.map((year: { period: number }) => year.period)).toEqual([8, 9, 10]);
    expect(regular.projection[0].expectedCustomers).toBeCloseTo(220.1, 1);
    expect(young).toEqual({
      cohort: '2025',
      customers: 400,
      periods: 1,
      tooFewToJudge: 'counts from at least two periods (all of these are from one)',
    });
    expect(increasing.code).toBe(2);
    expect(increasing.stderr).toContain(
      'bad-cohorts.csv: Line 3 (cohort "b"): survivors must not increase: 96 after 95',
    );
    expect(text.code).toBe(2);
    expect(text.stderr).toContain('Line 2 (cohort "a"), column "year 1": "ninety" is not a whole number');
  });

  it('refuses survivors that are shares, and a call with neither --survivors nor --csv', async () => {
    const [shares, neither] = await Promise.all([
      runTend(['models', 'fit', 'sbg', '--survivors', '100,86.9,74.3']),
      runTend(['models', 'fit', 'sbg']),
    ]);
    expect(shares.code).toBe(2);
    expect(shares.stderr).toContain('"86.9" (number 2)');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--survivors');
    expect(neither.stderr).toContain('--csv');
  });
});

describe('tend models fit churn', () => {
  // Monthly plans and few logins churn more; region is noise.
  function accounts(): string[] {
    const random = seededRandom(11);
    const lines = ['account,plan,logins,region,churned'];
    for (let id = 1; id <= 600; id++) {
      const monthly = random.next() < 0.5;
      const logins = random.poisson(monthly ? 6 : 10);
      const region = ['north', 'south', 'east'][random.integer(3)]!;
      const logit = -0.5 + (monthly ? 1.5 : -1) - 0.25 * (logins - 8);
      lines.push(
        `a${id},${monthly ? 'monthly' : 'annual'},${logins},${region},${random.next() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no'}`,
      );
    }
    return lines;
  }

  it('finds a planted signal: cross-validated AUC well above 0.5, the planted features strongest, risk and reasons per row', async () => {
    const file = scratchFile('accounts.csv', accounts());
    const out = join(scratch, 'risk.csv');
    const result = await runTend([
      'models',
      'fit',
      'churn',
      '--csv',
      file,
      '--target',
      'churned',
      '--id',
      'account',
      '--folds',
      '5',
      '--seed',
      '3',
      '--out',
      out,
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ target: 'churned', positive: 'yes', records: 600, folds: 5, seed: 3 });
    expect(report.auc).toBeGreaterThan(0.75);
    expect(report.foldAucs).toHaveLength(5);
    expect(report.calibration).toHaveLength(10);
    expect(report.strongestFeatures.slice(0, 3).map((feature: { column: string }) => feature.column)).not.toContain(
      'region',
    );
    const plan = report.strongestFeatures.find((feature: { feature: string }) => feature.feature === 'plan = monthly');
    expect(plan?.direction).toBe('raises');
    const lines = csvLines(out);
    expect(lines[0]).toBe('account,risk,reason_1,reason_2,reason_3');
    expect(lines).toHaveLength(601);
    expect(lines[1]).toMatch(/^a1,0\.\d+,/);
  });

  it('refuses a missing target column (naming it and the columns there are) and a target with one class', async () => {
    const file = scratchFile('one-class.csv', [
      'account,plan,churned',
      'a1,monthly,no',
      'a2,annual,no',
      'a3,monthly,no',
    ]);
    const [missing, oneClass] = await Promise.all([
      runTend(['models', 'fit', 'churn', '--csv', file, '--target', 'Churn']),
      runTend(['models', 'fit', 'churn', '--csv', file, '--target', 'churned']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('"Churn"');
    expect(missing.stderr).toContain('"account", "plan", "churned"');
    expect(oneClass.code).toBe(2);
    expect(oneClass.stderr).toContain('only one class');
    expect(oneClass.stderr).toContain('"churned"');
  });
});

describe('tend models uplift', () => {
  it('gives each group its rate or mean and the lift over control with intervals; refuses an unknown control', async () => {
    // Control: 10 of 100 convert, spend 1 or 3 (mean 2); treatment: 25 of 100 convert, spend 2 or 4 (mean 3).
    const lines = ['customer,arm,converted,spend'];
    for (let i = 0; i < 100; i++) lines.push(`c${i},holdout,${i < 10 ? 1 : 0},${i % 2 === 0 ? 1 : 3}`);
    for (let i = 0; i < 100; i++) lines.push(`t${i},email,${i < 25 ? 1 : 0},${i % 2 === 0 ? 2 : 4}`);
    const file = scratchFile('experiment.csv', lines);
    const [result, unknown] = await Promise.all([
      runTend([
        'models',
        'uplift',
        '--csv',
        file,
        '--group',
        'arm',
        '--control',
        'holdout',
        '--outcome',
        'converted,spend',
        '--json',
      ]),
      runTend(['models', 'uplift', '--csv', file, '--group', 'arm', '--control', 'none', '--outcome', 'converted']),
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.groups).toEqual([
      { group: 'holdout', count: 100 },
      { group: 'email', count: 100 },
    ]);
    const [converted, spend] = report.outcomes;
    expect(converted.kind).toBe('rate');
    const [control, email] = converted.groups;
    expect(control.summary.rate).toBe(0.1);
    // Wilson 95 % interval of 10/100.
    expect(control.summary.lower).toBeCloseTo(0.0552, 4);
    expect(control.summary.upper).toBeCloseTo(0.1744, 4);
    expect(control.lift).toBeNull();
    expect(email.summary.rate).toBe(0.25);
    expect(email.lift.absolute).toBeCloseTo(0.15, 10);
    expect(email.lift.lower).toBeGreaterThan(0);
    expect(email.lift.significant).toBe(true);
    expect(spend.kind).toBe('mean');
    expect(spend.groups[0].summary.mean).toBe(2);
    expect(spend.groups[1].lift.absolute).toBeCloseTo(1, 10);
    // Welch: standard deviations 1.005 in both arms, so the standard error is about 0.142.
    expect(spend.groups[1].lift.upper - spend.groups[1].lift.absolute).toBeCloseTo(
      1.972 * Math.sqrt((2 * (100 / 99)) / 100),
      2,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"none"');
    expect(unknown.stderr).toContain('"holdout", "email"');
  });
});
