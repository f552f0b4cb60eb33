// The audit log: who changed what among the things a business must be able to account for (users,
// write keys and tokens, consents, the do-not-contact list, resends, erasures). Append-only; the
// details hold ids and settings, never a secret and never more personal data than the subject's id.
import { type Kysely, sql } from 'kysely';

export async function up(database: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      id uuid primary key,
      at timestamptz not null,
      actor text not null,
      action text not null,
      subject text not null,
      details jsonb not null default '{}'
    );
    create index audit_log_at on audit_log (at desc, id desc);
    create index audit_log_action on audit_log (action, at desc);
  `.execute(database);
}

export async function down(database: Kysely<unknown>): Promise<void> {
  await sql`drop table audit_log`.execute(database);
}
