// The audit log in the store: one row per change, written in the same transaction as the change where
// the caller has one, so a change and its record stand or fall together.
import type { Kysely } from 'kysely';
import { type AuditAction, type AuditEntry, describeActor } from '../domain/audit.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface AuditLogRow {
  id: string;
  at: string;
  actor: string;
  action: AuditAction;
  subject: string;
  details: Record<string, unknown>;
}

/** Records a change; pass the change's own transaction as `database` where there is one. */
export async function recordAuditEntry(database: Kysely<Database>, entry: AuditEntry, at: Date): Promise<void> {
  await database
    .insertInto('audit_log')
    .values({
      id: newId(at.getTime()),
      at,
      actor: describeActor(entry.actor),
      action: entry.action,
      subject: entry.subject,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute();
}

export interface AuditLogQuery {
  readonly limit: number;
  readonly action?: AuditAction;
  readonly subject?: string;
  /** Only entries older than this id (the previous page's last), newest first. */
  readonly before?: string;
}

/** Entries newest first, a page at a time. */
export async function listAuditEntries(database: Kysely<Database>, query: AuditLogQuery): Promise<AuditLogRow[]> {
  let select = database
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit);
  if (query.action !== undefined) select = select.where('action', '=', query.action);
  if (query.subject !== undefined) select = select.where('subject', '=', query.subject);
  if (query.before !== undefined) {
    const before = query.before;
    select = select.where((eb) =>
      eb.or([
        eb('at', '<', eb.selectFrom('audit_log').select('at').where('id', '=', before)),
        eb.and([
          eb('at', '=', eb.selectFrom('audit_log').select('at').where('id', '=', before)),
          eb('id', '<', before),
        ]),
      ]),
    );
  }
  const rows = await select.execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action as AuditAction,
    subject: row.subject,
    details: row.details,
  }));
}
