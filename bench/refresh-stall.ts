// What an ingest call waits on the embedded database while the engine refreshes many accounts: its one
// connection serves both, and an evaluation batch holds it to the commit. Runs Tend in this process on
// a fresh PGlite, makes every account due for its daily refresh, and times one-event ingest calls
// (one every 20 ms) for 15 s; then the same with the baseline, batches of their full size (500).
//   npm run bench:refresh-stall -- [--accounts 20000] [--seconds 15]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { BatchSizer } from '../src/engine/batch-sizer.js';
import { startTestTend } from '../test/support/test-tend.js';
import { quantile } from './support/load-client.js';

const { values: flags } = parseArgs({
  options: { accounts: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '15' } },
});
const accounts = Number(flags.accounts);
const seconds = Number(flags.seconds);
if (!Number.isInteger(accounts) || accounts < 1)
  throw new Error(`--accounts must be a positive integer, got ${JSON.stringify(flags.accounts)}`);
if (!Number.isInteger(seconds) || seconds < 1)
  throw new Error(`--seconds must be a positive integer, got ${JSON.stringify(flags.seconds)}`);

interface Figures {
  readonly calls: number;
  readonly latencies: Float64Array;
  /** Real seconds until no account was due any more (null: not within the run). */
  readonly refreshSeconds: number | null;
}

async function measure(): Promise<Figures> {
  const tend = await startTestTend({});
  try {
    const database = tend.tend.store.database;
    await sql`insert into accounts (id, name, lifecycle_stage, revenue_minor, profit_minor, currency, traits, created_at, updated_at)
      select 'acct_' || g, 'Account ' || g, 'active', 100000 + g, 10000 + g, 'EUR', '{}', now() - interval '400 days', now() from generate_series(1, ${accounts}) g`.execute(
      database,
    );
    await sql`insert into interactions (id, external_id, account_id, channel, direction, actor, two_way, occurred_at, created_at)
      select gen_random_uuid(), 'bench-' || g || '-' || k, 'acct_' || g, 'email', 'outbound', 'rep', false, now() - (k * 7 || ' days')::interval, now()
      from generate_series(1, ${accounts}) g, generate_series(1, 5) k`.execute(database);
    // The engine ranks and evaluates every account once; then every account is due for its refresh.
    tend.tend.scheduler.wake();
    const dueCount = async (): Promise<number> =>
      (
        await sql<{
          count: number;
        }>`select count(*)::int as count from accounts where refresh_due_at is null or refresh_due_at <= now()`.execute(
          database,
        )
      ).rows[0]!.count;
    for (let wait = 0; wait < 600 && (await dueCount()) > 0; wait++)
      await new Promise((done) => setTimeout(done, 1000));
    await sql`update accounts set refresh_due_at = now()`.execute(database);
    tend.tend.scheduler.wake();
    const latencies: number[] = [];
    const began = performance.now();
    let refreshSeconds: number | null = null;
    for (let sequence = 0; performance.now() - began < seconds * 1000; sequence++) {
      const sent = performance.now();
      const event = {
        type: 'track',
        event: 'Feature Used',
        userId: `stall-${sequence}`,
        messageId: `stall-${sequence}`,
        properties: { feature: 'reports' },
        context: { groupId: `acct_${1 + (sequence % accounts)}` },
      };
      const reply = await tend.track('/v1/batch', { batch: [event] });
      if (reply.status !== 200) throw new Error(`ingest answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      latencies.push(performance.now() - sent);
      if (refreshSeconds === null && sequence % 25 === 0 && (await dueCount()) === 0)
        refreshSeconds = (performance.now() - began) / 1000;
      await new Promise((done) => setTimeout(done, 20));
    }
    return { calls: latencies.length, latencies: Float64Array.from(latencies).sort(), refreshSeconds };
  } finally {
    await tend.stop();
  }
}

const budgeted = await measure();
// The baseline: every batch takes its full size, as before the budget.
BatchSizer.prototype.next = (most: number): number => most;
const fullBatches = await measure();

console.log(
  `\nIngest during a daily refresh of ${accounts.toLocaleString('en')} accounts on PGlite (one-event calls every 20 ms, ${seconds} s):`,
);
console.log('| batches | calls | p50 ms | p90 ms | p99 ms | max ms | refresh done after |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const [label, figures] of [
  ['20 ms budget (Tend)', budgeted],
  ['500 accounts (baseline)', fullBatches],
] as const) {
  const at = (q: number): string => quantile(figures.latencies, q).toFixed(1);
  console.log(
    `| ${label} | ${figures.calls} | ${at(0.5)} | ${at(0.9)} | ${at(0.99)} | ${at(1)} | ${figures.refreshSeconds === null ? `> ${seconds} s` : `${figures.refreshSeconds.toFixed(1)} s`} |`,
  );
}
