// Reading a user's purchase log: the date forms exports use, and errors that name line and column.
import { describe, expect, it } from 'vitest';
import { epochDay } from './customer-summary.js';
import { parseCsvTable } from './csv-table.js';
import { ModelInputError } from './model-input-error.js';
import { parseCalendarDate, readTransactionTable } from './transaction-table.js';

describe('parseCalendarDate', () => {
  it('reads ISO days, ISO instants, slashes and CDNOW-style YYYYMMDD as the same day', () => {
    const day = epochDay(1997, 9, 30);
    expect(
      ['1997-09-30', '1997-09-30T23:59:59Z', '1997-09-30 08:15', '1997/09/30', '19970930', ' 1997-09-30 '].map(
        parseCalendarDate,
      ),
    ).toEqual(Array(6).fill(day));
  });

  it('refuses what is not a calendar date', () => {
    expect(
      ['1997-02-29', '1997-13-01', '30/09/1997', '1997-09', '1997-09/30', '', 'yesterday'].map(parseCalendarDate),
    ).toEqual(Array(7).fill(null));
  });
});

describe('readTransactionTable', () => {
  const table = (lines: string[]) => parseCsvTable(lines.join('\n'));
  const failure = (work: () => unknown): ModelInputError => {
    try {
      work();
    } catch (error) {
      if (error instanceof ModelInputError) return error;
      throw error;
    }
    throw new Error('expected a ModelInputError');
  };

  it('reads customer, day and amount', () => {
    const rows = readTransactionTable(table(['id,when,paid', 'a,2024-01-02,10.5', 'b,20240103,3']), {
      customer: 'id',
      date: 'when',
      amount: 'paid',
    });
    expect(rows).toEqual([
      { customerId: 'a', day: epochDay(2024, 1, 2), amount: 10.5 },
      { customerId: 'b', day: epochDay(2024, 1, 3), amount: 3 },
    ]);
    expect(readTransactionTable(table(['id,when', 'a,2024-01-02']), { customer: 'id', date: 'when' })).toEqual([
      { customerId: 'a', day: epochDay(2024, 1, 2) },
    ]);
  });

  it('names the line and column of an unreadable date, a blank customer or a non-numeric amount', () => {
    const columns = { customer: 'id', date: 'when', amount: 'paid' };
    const badDate = failure(() =>
      readTransactionTable(table(['id,when,paid', 'a,2024-01-02,1', 'a,2024-02-30,1']), columns),
    );
    expect(badDate.message).toBe('Line 3: cannot read the date "2024-02-30" in column "when" (expected YYYY-MM-DD).');
    expect(badDate.location).toEqual({ line: 3, column: 'when' });
    expect(failure(() => readTransactionTable(table(['id,when,paid', ',2024-01-02,1']), columns)).location).toEqual({
      line: 2,
      column: 'id',
    });
    const badAmount = failure(() =>
      readTransactionTable(table(['id,when,paid', 'a,2024-01-02,1', 'a,2024-01-03,$4']), columns),
    );
    expect(badAmount.message).toContain('Line 3');
    expect(badAmount.message).toContain('"$4"');
  });

  it('names a missing column and lists the ones there are', () => {
    const error = failure(() =>
      readTransactionTable(table(['id,when', 'a,2024-01-02']), { customer: 'customer', date: 'when' }),
    );
    expect(error.message).toBe('The customer column "customer" is not in the header (columns: "id", "when").');
    expect(error.location).toEqual({ column: 'customer' });
  });
});
