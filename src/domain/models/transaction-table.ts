// Reads a user's transaction export (one row per purchase: customer, date, optional amount) into
// the transactions the customer-base models summarise, naming the line of any unreadable cell.
import { epochDay, type Transaction } from './customer-summary.js';
import type { RecordTable } from './feature-encoding.js';
import { ModelInputError } from './model-input-error.js';
import { lineOf, requireColumn } from './table-columns.js';

/** Which columns hold the customer, the purchase date and (optionally) the amount spent. */
export interface TransactionColumns {
  customer: string;
  date: string;
  amount?: string;
}

/**
 * Reads calendar dates as exports write them: 2024-03-07, 2024-03-07T14:05:00Z or
 * 2024-03-07 14:05 (the time is ignored), 2024/03/07, and 20240307 (CDNOW's form).
 * Returns the epoch day, or null when the text is not one of these or not a real date.
 */
export function parseCalendarDate(text: string): number | null {
  const match = /^(\d{4})([-/]?)(\d{2})\2(\d{2})(?:[T ].*)?$/.exec(text.trim());
  if (match === null) return null;
  try {
    return epochDay(Number(match[1]), Number(match[3]), Number(match[4]));
  } catch (error) {
    if (error instanceof ModelInputError) return null;
    throw error;
  }
}

/**
 * Turns the rows of a transaction table into transactions. A blank customer, a date that is not a
 * date or an amount that is not a number stops the read with the line and column named.
 */
export function readTransactionTable(table: RecordTable, columns: TransactionColumns): Transaction[] {
  const customer = requireColumn(table, columns.customer, 'customer column');
  const date = requireColumn(table, columns.date, 'date column');
  const amount = columns.amount === undefined ? null : requireColumn(table, columns.amount, 'amount column');
  return table.records.map((record, row) => {
    const line = lineOf(table, row);
    const id = (record[customer] ?? '').trim();
    if (id === '')
      throw new ModelInputError(`Line ${line}: the customer column "${columns.customer}" is blank.`, {
        line,
        column: columns.customer,
      });
    const dateText = (record[date] ?? '').trim();
    const day = parseCalendarDate(dateText);
    if (day === null) {
      throw new ModelInputError(
        `Line ${line}: cannot read the date "${dateText}" in column "${columns.date}" (expected YYYY-MM-DD).`,
        {
          line,
          column: columns.date,
        },
      );
    }
    if (amount === null) return { customerId: id, day };
    const amountText = (record[amount] ?? '').trim();
    const spent = amountText === '' ? Number.NaN : Number(amountText);
    if (!Number.isFinite(spent)) {
      throw new ModelInputError(
        `Line ${line}: the amount "${amountText}" in column "${columns.amount}" is not a number.`,
        {
          line,
          column: columns.amount,
        },
      );
    }
    return { customerId: id, day, amount: spent };
  });
}
