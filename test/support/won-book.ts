// A generated book of accounts won by sellers whose customers cancel at known monthly rates: imported as a
// CRM export (one accounts CSV with the acquisition columns), the cancellations sent as events. Seeded, so
// the book is the same on every run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { importCsv } from '../../src/ingest/csv-import.js';
import { send, track } from './scenario.js';
import type { TestTend } from './test-tend.js';

export interface Seller {
  readonly email: string;
  readonly name: string;
  readonly monthlyChurn: number;
  readonly accounts: number;
}

const dayMilliseconds = 86_400_000;

/** A small seeded generator (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function monthsLater(at: Date, months: number): Date {
  const moved = new Date(at);
  moved.setUTCMonth(moved.getUTCMonth() + months);
  return moved;
}

/**
 * Imports the sellers' accounts, each won on a day of the `days` before `now` and lost in each month
 * with its seller's chance, and sends the cancellations that fell before now; `extraRows` are appended
 * to the CSV as they are. Returns the import's rejected rows.
 */
export async function importWonBook(
  tend: TestTend,
  sellers: readonly Seller[],
  now: Date,
  options: { days?: number; extraRows?: readonly string[] } = {},
): Promise<{ line: number; reason: string }[]> {
  const random = seeded(23);
  const days = options.days ?? 730;
  const rows = ['id,name,owner,revenue,currency,acquired_at,acquired_by,acquisition_channel,campaign'];
  const cancellations: Record<string, unknown>[] = [];
  for (const seller of sellers) {
    for (let index = 0; index < seller.accounts; index++) {
      const id = `${seller.name.toLowerCase()}-${index}`;
      const acquiredAt = new Date(now.getTime() - Math.floor(random() * days + 1) * dayMilliseconds);
      let month = 1;
      while (random() >= seller.monthlyChurn && month < 100) month++;
      const start = monthsLater(acquiredAt, month - 1);
      const length = monthsLater(start, 1).getTime() - start.getTime() - 60_000;
      const cancelledAt = new Date(start.getTime() + random() * length);
      const channel = random() < 0.5 ? 'partner' : 'web';
      const cells = [id, `Customer ${id}`, seller.email, '1200', 'EUR', acquiredAt.toISOString(), seller.email];
      rows.push([...cells, channel, 'spring'].join(','));
      if (cancelledAt.getTime() < now.getTime())
        cancellations.push(track(`buyer-${id}`, 'Subscription Cancelled', { accountId: id }, cancelledAt));
    }
  }
  rows.push(...(options.extraRows ?? []));
  const scratch = mkdtempSync(join(tmpdir(), 'tend-won-book-'));
  try {
    const file = join(scratch, 'accounts.csv');
    writeFileSync(file, `${rows.join('\n')}\n`);
    const summary = await importCsv(tend.tend.store.database, tend.tend.clock, {
      kind: 'accounts',
      file,
      columnMap: {},
    });
    expect(summary.imported).toBe(sellers.reduce((total, seller) => total + seller.accounts, 0));
    for (let start = 0; start < cancellations.length; start += 250)
      await send(tend, cancellations.slice(start, start + 250));
    return summary.rejected;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
