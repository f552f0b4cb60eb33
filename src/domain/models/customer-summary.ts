// Turns a transaction log into what the customer-base models read: per customer the repeat
// purchases x, the time of the last one tₓ and the age T at the calibration end, plus holdout counts.

import { ModelInputError } from './model-input-error.js';
import type { Random } from './random.js';

export type CustomerId = string | number;

/** One purchase. `day` is an ISO day 'YYYY-MM-DD' or a whole number of days since 1970-01-01. */
export interface Transaction {
  customerId: CustomerId;
  day: string | number;
  /** Spend of the purchase; purchases on one day are added together. */
  amount?: number;
}

export type TimeUnit = 'day' | 'week';

export interface SummaryOptions {
  /** Last day of the calibration period (inclusive). */
  calibrationEnd: string | number;
  /** Last day of the holdout period (inclusive); holdout counts are filled in when given. */
  holdoutEnd?: string | number;
  timeUnit: TimeUnit;
}

/** The (x, tₓ, T) triple the models are fitted on, in the chosen time unit. */
export interface CustomerHistory {
  /** x: purchase days after the first one, within calibration. */
  frequency: number;
  /** tₓ: time from the first purchase to the last calibration purchase. */
  recency: number;
  /** T: time from the first purchase to the calibration end. */
  age: number;
}

export interface CustomerSummary extends CustomerHistory {
  customerId: CustomerId;
  /** Epoch day of the first purchase. */
  firstPurchaseDay: number;
  /** Purchase days in the holdout period (0 when no holdout end was given). */
  holdoutFrequency: number;
  /** Mean spend per repeat purchase day in calibration (the gamma-gamma input); null without repeats or amounts. */
  averageRepeatValue: number | null;
}

const MILLISECONDS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 for a calendar date, computed from its parts (never from the clock). */
export function epochDay(year: number, month: number, day: number): number {
  const monthStart = Date.UTC(year, month - 1, 1) / MILLISECONDS_PER_DAY;
  const daysInMonth = Date.UTC(year, month, 1) / MILLISECONDS_PER_DAY - monthStart;
  const validYear = Number.isInteger(year) && year >= 100;
  const validMonth = Number.isInteger(month) && month >= 1 && month <= 12;
  if (!validYear || !validMonth || !Number.isInteger(day) || day < 1 || day > daysInMonth) {
    throw new ModelInputError(`${year}-${month}-${day} is not a calendar date`);
  }
  return monthStart + day - 1;
}

/** Epoch day of 'YYYY-MM-DD' (or a whole epoch-day number, passed through): purchase logs carry either. */
export function parseDay(day: string | number): number {
  if (typeof day === 'number') {
    if (!Number.isInteger(day)) throw new ModelInputError(`Day ${day} must be a whole number of days since 1970-01-01`);
    return day;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) throw new ModelInputError(`Day '${day}' must look like YYYY-MM-DD`);
  return epochDay(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Days per model time unit. */
function daysPerUnit(unit: TimeUnit): number {
  switch (unit) {
    case 'day':
      return 1;
    case 'week':
      return 7;
  }
}

/**
 * Summarises a transaction log per customer, merging purchases made on the same day. Customers whose
 * first purchase falls after the calibration end are left out: they were not yet customers.
 */
export function summariseCustomers(transactions: Iterable<Transaction>, options: SummaryOptions): CustomerSummary[] {
  const calibrationEnd = parseDay(options.calibrationEnd);
  const holdoutEnd = options.holdoutEnd === undefined ? null : parseDay(options.holdoutEnd);
  if (holdoutEnd !== null && holdoutEnd < calibrationEnd) {
    throw new ModelInputError('The holdout end must not come before the calibration end');
  }
  const unit = daysPerUnit(options.timeUnit);
  // Flat columns and a bucket sort by customer: no per-customer map, so a million customers stay cheap.
  const customerIndex = new Map<CustomerId, number>();
  const customerIds: CustomerId[] = [];
  const hasAmounts: boolean[] = [];
  const owners: number[] = [];
  const days: number[] = [];
  const amounts: number[] = [];
  for (const transaction of transactions) {
    let owner = customerIndex.get(transaction.customerId);
    if (owner === undefined) {
      owner = customerIds.length;
      customerIndex.set(transaction.customerId, owner);
      customerIds.push(transaction.customerId);
      hasAmounts.push(false);
    }
    if (transaction.amount !== undefined) hasAmounts[owner] = true;
    owners.push(owner);
    days.push(parseDay(transaction.day));
    amounts.push(transaction.amount ?? 0);
  }
  const starts = new Int32Array(customerIds.length + 1);
  for (const owner of owners) starts[owner + 1]!++;
  for (let i = 0; i < customerIds.length; i++) starts[i + 1]! += starts[i]!;
  const filled = starts.slice(0, customerIds.length);
  const byCustomer = new Int32Array(owners.length);
  owners.forEach((owner, i) => {
    byCustomer[filled[owner]!++] = i;
  });
  const summaries: CustomerSummary[] = [];
  for (let owner = 0; owner < customerIds.length; owner++) {
    const purchases = Array.from(byCustomer.subarray(starts[owner]!, starts[owner + 1]!));
    purchases.sort((i, j) => days[i]! - days[j]!);
    const first = days[purchases[0]!]!;
    if (first > calibrationEnd) continue;
    let frequency = 0;
    let last = first;
    let holdoutFrequency = 0;
    let repeatSpend = 0;
    let previous = first;
    for (const purchase of purchases) {
      const day = days[purchase]!;
      if (day <= calibrationEnd) {
        if (day !== first) {
          if (day !== previous) frequency++;
          last = day;
          repeatSpend += amounts[purchase]!;
        }
      } else if (holdoutEnd !== null && day <= holdoutEnd && day !== previous) {
        holdoutFrequency++;
      }
      previous = day;
    }
    summaries.push({
      customerId: customerIds[owner]!,
      frequency,
      recency: (last - first) / unit,
      age: (calibrationEnd - first) / unit,
      firstPurchaseDay: first,
      holdoutFrequency,
      averageRepeatValue: frequency > 0 && hasAmounts[owner]! ? repeatSpend / frequency : null,
    });
  }
  return summaries;
}

/** Customers sharing one (x, tₓ, T), counted: the likelihood is evaluated once per group. */
export interface HistoryGroup extends CustomerHistory {
  count: number;
}

/**
 * Collapses histories to distinct (x, tₓ, T) with counts, so that a fit on a million customers
 * costs what the number of distinct histories costs. Sorted by x, then T, then tₓ.
 */
export function groupHistories(histories: Iterable<CustomerHistory>): HistoryGroup[] {
  const groups = new Map<string, HistoryGroup>();
  for (const { frequency, recency, age } of histories) {
    const key = `${frequency}|${recency}|${age}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { frequency, recency, age, count: 1 });
    else group.count++;
  }
  return [...groups.values()].sort((p, q) => p.frequency - q.frequency || p.age - q.age || p.recency - q.recency);
}

/** Grouped histories as typed columns: the likelihood loops of a fit run over these, fast and monomorphic. */
export interface HistoryColumns {
  size: number;
  frequency: Float64Array;
  recency: Float64Array;
  age: Float64Array;
  count: Float64Array;
  customers: number;
}

/** Packs groups (in their order) into columns once per fit. */
export function historyColumns(groups: readonly HistoryGroup[]): HistoryColumns {
  const size = groups.length;
  const columns: HistoryColumns = {
    size,
    frequency: new Float64Array(size),
    recency: new Float64Array(size),
    age: new Float64Array(size),
    count: new Float64Array(size),
    customers: 0,
  };
  groups.forEach((group, i) => {
    columns.frequency[i] = group.frequency;
    columns.recency[i] = group.recency;
    columns.age[i] = group.age;
    columns.count[i] = group.count;
    columns.customers += group.count;
  });
  return columns;
}

/**
 * A seeded systematic sample of about `customers` customers from grouped histories (same order):
 * a cheap stand-in for the full data while a fit tries its several starting points.
 */
export function sampleHistoryGroups(
  groups: readonly HistoryGroup[],
  customers: number,
  random: Random,
): HistoryGroup[] {
  const total = groups.reduce((sum, group) => sum + group.count, 0);
  if (total <= customers) return [...groups];
  const step = total / customers;
  const order = random.shuffle(groups.map((_, i) => i));
  const taken = new Map<number, number>();
  let next = random.next() * step;
  let passed = 0;
  for (const index of order) {
    const count = groups[index]!.count;
    let chosen = 0;
    while (next < passed + count) {
      chosen++;
      next += step;
    }
    passed += count;
    if (chosen > 0) taken.set(index, chosen);
  }
  return [...taken.keys()].sort((i, j) => i - j).map((i) => ({ ...groups[i]!, count: taken.get(i)! }));
}
