// Outbox messages carry their playbook's priority (an outage notice is claimed before a marketing batch
// waiting longer) and their playbook, so that a playbook's sending progress is read along one index
// rather than through its runs. Messages written before keep the normal rank.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`alter table outbox add column priority int2 not null default 10, add column playbook_id text`.execute(
    database,
  );
  await sql`update outbox set playbook_id = runs.playbook_id from journey_runs runs
    where runs.id = outbox.run_id`.execute(database);
  // The claim's order: highest rank first, then the longest due. outbox_pending stays for the next due time.
  await sql`create index outbox_claim on outbox (priority desc, next_attempt_at) where status = 'pending'`.execute(
    database,
  );
  await sql`create index outbox_playbook on outbox (playbook_id, created_at) where playbook_id is not null`.execute(
    database,
  );
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop index outbox_playbook; drop index outbox_claim;
    alter table outbox drop column playbook_id, drop column priority`.execute(database);
}
