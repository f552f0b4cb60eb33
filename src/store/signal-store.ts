// Keeps the signals table in step with evaluations: a condition that starts holding is raised, one
// that keeps holding is refreshed (severity, reasons), one that stopped holding is cleared. Raising and
// clearing are also written as events (Signal Raised, Signal Cleared) so journeys can react to them.
import { type Kysely, sql } from 'kysely';
import type { ActiveSignal, SignalKind } from '../domain/relationship/signal.js';
import type { Book } from '../domain/viewer.js';
import { personInBook } from './book-scope.js';
import { insertEventRows } from './event-rows.js';
import { newId } from './ids.js';
import { ownEvent } from './own-events.js';
import type { Database } from './schema.js';
import type { WritePart } from './write-together.js';

/** A signal just raised, for the playbooks that start on it. */
export interface RaisedSignal {
  readonly accountId: string;
  /** The person the signal is about, who a run it starts addresses; null when it is the account. */
  readonly contactId: string | null;
  readonly kind: SignalKind;
  readonly signalId: string;
  /** Why it was raised, in words (for the notice to the account's owner). */
  readonly reasons: readonly string[];
  /** Who is told of it instead of the account's owner (a promise's deliverer), if they are a user; else null. */
  readonly noticeTo: string | null;
}

export interface SignalChanges {
  readonly raised: number;
  readonly cleared: number;
  /** The signals raised by this change, for the playbooks that start on them. */
  readonly raisedSignals: readonly RaisedSignal[];
}

const keyOf = (kind: string, instance: string) => `${kind}\u0000${instance}`;

function signalEvent(
  accountId: string,
  contactId: string | null,
  name: 'Signal Raised' | 'Signal Cleared',
  signalId: string,
  properties: Record<string, unknown>,
  at: Date,
) {
  return ownEvent(
    name,
    `signal:${signalId}:${name === 'Signal Raised' ? 'raised' : 'cleared'}`,
    accountId,
    contactId,
    properties,
    at,
  );
}

export interface AccountSignals {
  readonly accountId: string;
  readonly owner: string | null;
  readonly active: readonly ActiveSignal[];
}

function sameContent(
  row: {
    severity: number;
    value_at_stake_minor: number;
    reasons: string[];
    deadline_at: Date | null;
    owner_email: string | null;
  },
  signal: ActiveSignal,
  owner: string | null,
): boolean {
  return (
    row.severity === Math.round(signal.severity) &&
    row.value_at_stake_minor === Math.round(signal.valueAtStakeMinor) &&
    JSON.stringify(row.reasons) === JSON.stringify(signal.reasons) &&
    (row.deadline_at?.getTime() ?? null) === (signal.deadlineAt?.getTime() ?? null) &&
    row.owner_email === owner
  );
}

/** An open signal as an evaluation compares it with what it finds now. */
export interface OpenSignal {
  readonly id: string;
  readonly account_id: string;
  readonly kind: string;
  readonly instance: string;
  readonly raised_at: Date;
  readonly severity: number;
  readonly value_at_stake_minor: number;
  readonly reasons: string[];
  readonly deadline_at: Date | null;
  readonly owner_email: string | null;
  readonly contact_id: string | null;
}

/**
 * The writes that apply the evaluations of a batch of accounts at `now`, given their open signals
 * (read with their snapshots, loadEvaluationInputs): every row that changes and the events that say
 * so, as parts of one statement (writeTogether), and what they change.
 */
export function signalWrites(
  batch: readonly AccountSignals[],
  now: Date,
  open: readonly OpenSignal[],
  { judgedPeople = true }: { judgedPeople?: boolean } = {},
): { parts: WritePart[]; changes: SignalChanges } {
  const openByKey = new Map(open.map((row) => [`${row.account_id}\u0000${keyOf(row.kind, row.instance)}`, row]));
  const activeKeys = new Set<string>();
  const inserts: {
    id: string;
    account_id: string;
    contact_id: string | null;
    kind: SignalKind;
    instance: string;
    severity: number;
    value_at_stake_minor: number;
    reasons: string;
    deadline_at: Date | null;
    owner_email: string | null;
    reason_list: readonly string[];
    notice_to: string | null;
  }[] = [];
  const events = [];
  const refreshed: {
    id: string;
    severity: number;
    value_at_stake_minor: number;
    reasons: string;
    deadline_at: Date | null;
    owner_email: string | null;
  }[] = [];
  for (const item of batch) {
    for (const signal of item.active) {
      const key = `${item.accountId}\u0000${keyOf(signal.kind, signal.instance)}`;
      activeKeys.add(key);
      const existing = openByKey.get(key);
      const owner = item.owner;
      const values = {
        severity: Math.round(signal.severity),
        value_at_stake_minor: Math.round(signal.valueAtStakeMinor),
        reasons: JSON.stringify(signal.reasons),
        deadline_at: signal.deadlineAt,
        owner_email: owner,
        updated_at: now,
      };
      if (existing) {
        if (!sameContent(existing, signal, owner)) refreshed.push({ id: existing.id, ...values });
        continue;
      }
      const id = newId(now.getTime());
      const contactId = signal.contactId ?? null;
      inserts.push({
        id,
        account_id: item.accountId,
        contact_id: contactId,
        kind: signal.kind,
        instance: signal.instance,
        ...values,
        reason_list: signal.reasons,
        notice_to: signal.noticeTo?.toLowerCase() ?? null,
      });
      events.push(
        signalEvent(
          item.accountId,
          contactId,
          'Signal Raised',
          id,
          {
            signalId: id,
            kind: signal.kind,
            instance: signal.instance,
            severity: values.severity,
            valueAtStake: signal.valueAtStakeMinor / 100,
            reasons: signal.reasons,
            owner,
          },
          now,
        ),
      );
    }
  }
  // An evaluation that did not read the people leaves their signals as they are (the daily refresh judges them).
  const clearedRows =
    batch.length === 0
      ? []
      : open.filter(
          (row) =>
            !activeKeys.has(`${row.account_id}\u0000${keyOf(row.kind, row.instance)}`) &&
            (judgedPeople || row.contact_id === null),
        );
  for (const row of clearedRows) {
    events.push(
      signalEvent(
        row.account_id,
        row.contact_id,
        'Signal Cleared',
        row.id,
        {
          signalId: row.id,
          kind: row.kind as SignalKind,
          instance: row.instance,
          openForHours: Math.round((now.getTime() - row.raised_at.getTime()) / 3_600_000),
        },
        now,
      ),
    );
  }
  // The raised rows, the refreshed ones (a daily sweep refreshes most `neglected` severities), the
  // cleared ones, and their events touch disjoint rows.
  const parts: WritePart[] = [];
  // Arrays rather than a row of parameters each: the statement's text stays the same (prepared-statements).
  if (inserts.length > 0) {
    const column = <K extends keyof (typeof inserts)[number]>(key: K) => inserts.map((row) => row[key]);
    parts.push({
      name: 'raised',
      statement: sql`insert into signals (id, account_id, contact_id, kind, instance, raised_at, severity,
          value_at_stake_minor, reasons, deadline_at, owner_email, updated_at)
        select id, account_id, contact_id, kind, instance, ${now}::timestamptz, severity, value_at_stake_minor,
          reasons, deadline_at, owner_email, ${now}::timestamptz
        from unnest(${column('id')}::uuid[], ${column('account_id')}::text[], ${column('contact_id')}::text[],
                    ${column('kind')}::text[], ${column('instance')}::text[], ${column('severity')}::int[],
                    ${column('value_at_stake_minor')}::int8[], ${column('reasons')}::jsonb[],
                    ${inserts.map((row) => row.deadline_at?.toISOString() ?? null)}::timestamptz[],
                    ${column('owner_email')}::text[])
          as raised(id, account_id, contact_id, kind, instance, severity, value_at_stake_minor, reasons,
            deadline_at, owner_email)`,
    });
  }
  if (refreshed.length > 0) {
    refreshed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const column = <K extends keyof (typeof refreshed)[number]>(key: K) => refreshed.map((row) => row[key]);
    parts.push({
      name: 'refreshed',
      statement: sql`update signals set severity = fresh.severity,
          value_at_stake_minor = fresh.value_at_stake_minor, reasons = fresh.reasons,
          deadline_at = fresh.deadline_at, owner_email = fresh.owner_email, updated_at = ${now}
        from unnest(${column('id')}::uuid[], ${column('severity')}::int[], ${column('value_at_stake_minor')}::int8[],
                    ${column('reasons')}::jsonb[],
                    ${refreshed.map((row) => row.deadline_at?.toISOString() ?? null)}::timestamptz[],
                    ${column('owner_email')}::text[])
          as fresh(id, severity, value_at_stake_minor, reasons, deadline_at, owner_email)
        where signals.id = fresh.id`,
    });
  }
  if (clearedRows.length > 0)
    parts.push({
      name: 'cleared',
      statement: sql`update signals set cleared_at = ${now}, updated_at = ${now}
        where id = any(${clearedRows.map((row) => row.id)}::uuid[])`,
    });
  if (events.length > 0) parts.push({ name: 'recorded', statement: insertEventRows(events) });
  return {
    parts,
    changes: {
      raised: inserts.length,
      cleared: clearedRows.length,
      raisedSignals: inserts.map((row) => ({
        accountId: row.account_id,
        contactId: row.contact_id,
        kind: row.kind,
        signalId: row.id,
        reasons: row.reason_list,
        noticeTo: row.notice_to,
      })),
    },
  };
}

export interface SignalFilter {
  readonly kind?: string;
  readonly ownerEmail?: string;
  readonly accountId?: string;
  readonly open?: boolean;
  readonly limit: number;
}

/** Signals most severe first, only those of the book's accounts. */
export async function listSignals(database: Kysely<Database>, filter: SignalFilter, book: Book) {
  let query = database
    .selectFrom('signals')
    .leftJoin('accounts', 'accounts.id', 'signals.account_id')
    .select([
      'signals.id',
      'signals.account_id',
      'signals.contact_id',
      'accounts.name as account_name',
      'signals.kind',
      'signals.instance',
      'signals.owner_email',
      'signals.severity',
      'signals.value_at_stake_minor',
      'signals.reasons',
      'signals.deadline_at',
      'signals.raised_at',
      'signals.cleared_at',
      'accounts.currency',
    ])
    .orderBy('signals.severity', 'desc')
    .orderBy('signals.raised_at', 'desc')
    .limit(filter.limit)
    .where(personInBook(book, 'accounts.owner_email'));
  if (filter.kind !== undefined) query = query.where('signals.kind', '=', filter.kind);
  if (filter.ownerEmail !== undefined) query = query.where('signals.owner_email', '=', filter.ownerEmail.toLowerCase());
  if (filter.accountId !== undefined) query = query.where('signals.account_id', '=', filter.accountId);
  if (filter.open === true) query = query.where('signals.cleared_at', 'is', null);
  if (filter.open === false) query = query.where('signals.cleared_at', 'is not', null);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as SignalKind,
    instance: row.instance || undefined,
    accountId: row.account_id,
    accountName: row.account_name,
    /** The person the signal is about; null when it is about the account. */
    contactId: row.contact_id,
    owner: row.owner_email,
    severity: row.severity,
    valueAtStake: row.value_at_stake_minor / 100,
    currency: row.currency,
    reasons: row.reasons,
    deadlineAt: row.deadline_at?.toISOString() ?? null,
    raisedAt: row.raised_at.toISOString(),
    clearedAt: row.cleared_at?.toISOString() ?? null,
    open: row.cleared_at === null,
  }));
}
