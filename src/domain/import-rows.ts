// Turns one CSV row (column → text, after the user's column map) into an account, a contact or an
// interaction, or into a reason in words why the row was rejected. Pure: the caller reads the file.
import { acquisitionTraits } from './acquisition.js';
import { type AccountFields, type ContactFields, accountFieldsFrom, contactFieldsFrom } from './traits.js';
import type { FieldProblem } from './errors.js';
import { jsonProblems } from './json-limits.js';
import { type EventTimes, eventTimeProblem, storableTimeProblem } from './time-limits.js';
import { personOrTeam, promiseDueAt } from './relationship/promises.js';
import type { PromiseStatus } from './relationship/account-snapshot.js';

export type ImportKind = 'accounts' | 'contacts' | 'interactions' | 'promises';
export const importKinds: readonly ImportKind[] = ['accounts', 'contacts', 'interactions', 'promises'];

export const interactionChannels = ['phone', 'video', 'meeting', 'email', 'sms', 'chat', 'letter'] as const;
export type InteractionChannel = (typeof interactionChannels)[number];
const spokenChannels: readonly InteractionChannel[] = ['phone', 'video', 'meeting'];

export interface AccountRow {
  readonly kind: 'accounts';
  readonly id: string;
  readonly fields: AccountFields;
  readonly traits: Record<string, string>;
  readonly createdAt: Date | null;
}

export interface ContactRow {
  readonly kind: 'contacts';
  readonly id: string;
  readonly accountId: string | null;
  readonly fields: ContactFields;
  readonly traits: Record<string, string>;
}

export interface InteractionRow {
  readonly kind: 'interactions';
  /** The row's own id, or a fingerprint of its content, so that a second import finds it again. */
  readonly externalId: string;
  readonly accountId: string | null;
  readonly contactId: string | null;
  readonly userEmail: string | null;
  readonly channel: InteractionChannel;
  readonly direction: 'inbound' | 'outbound';
  readonly actor: 'rep' | 'system' | 'customer';
  readonly twoWay: boolean;
  readonly objective: string | null;
  readonly summary: string | null;
  readonly occurredAt: Date;
}

/** A promise from a CRM export: recorded as `Promise …` events (see promises.ts). */
export interface PromiseRow {
  readonly kind: 'promises';
  readonly id: string;
  readonly accountId: string;
  readonly title: string;
  /** As given (a date is due by the end of that day). */
  readonly dueAt: string;
  readonly madeBy: string | null;
  readonly owner: string | null;
  readonly status: PromiseStatus;
  /** When it was made; null: when it is imported. */
  readonly madeAt: Date | null;
  /** When it was kept or withdrawn; null: when it is imported (for a closed promise). */
  readonly closedAt: Date | null;
  readonly note: string | null;
}

export type ImportRow = AccountRow | ContactRow | InteractionRow | PromiseRow;
export type RowVerdict = { ok: true; row: ImportRow } | { ok: false; reason: string };

/** The field names each kind knows; other columns are kept as traits (accounts, contacts). */
export const knownFields: Record<ImportKind, readonly string[]> = {
  accounts: [
    'id',
    'name',
    'plan',
    'lifecycleStage',
    'revenue',
    'profit',
    'currency',
    'owner',
    'createdAt',
    'acquiredAt',
    'acquiredBy',
    'acquisitionChannel',
    'campaign',
  ],
  contacts: ['userId', 'email', 'phone', 'name', 'firstName', 'lastName', 'language', 'timezone', 'accountId'],
  interactions: [
    'id',
    'accountId',
    'userId',
    'rep',
    'channel',
    'direction',
    'actor',
    'twoWay',
    'objective',
    'summary',
    'occurredAt',
  ],
  promises: ['id', 'accountId', 'title', 'dueAt', 'madeBy', 'owner', 'status', 'madeAt', 'closedAt', 'note'],
};

const fieldAliases: Record<string, string> = {
  accountid: 'accountId',
  account: 'accountId',
  groupid: 'accountId',
  userid: 'userId',
  contactid: 'userId',
  ownerEmail: 'owner',
  owneremail: 'owner',
  createdat: 'createdAt',
  occurredat: 'occurredAt',
  date: 'occurredAt',
  timestamp: 'occurredAt',
  twoway: 'twoWay',
  lifecyclestage: 'lifecycleStage',
  stage: 'lifecycleStage',
  firstname: 'firstName',
  lastname: 'lastName',
  promiseid: 'id',
  promise: 'title',
  duedate: 'dueAt',
  due: 'dueAt',
  madeby: 'madeBy',
  promisedby: 'madeBy',
  seller: 'madeBy',
  madeat: 'madeAt',
  closedat: 'closedAt',
};

/** The field a header names by default: its own name, case and separators ignored, or a known alias. */
export function defaultFieldFor(kind: ImportKind, header: string): string {
  const squashed = header
    .trim()
    .replace(/[\s_-]+/g, '')
    .toLowerCase();
  const known = knownFields[kind].find((field) => field.toLowerCase() === squashed);
  if (known) return known;
  const alias = fieldAliases[squashed];
  if (alias && knownFields[kind].includes(alias)) return alias;
  if (kind === 'contacts' && squashed === 'id') return 'userId';
  return header.trim();
}

function problemsInWords(problems: FieldProblem[]): string {
  return problems.map((problem) => `${problem.field.replace(/^row\./, '')} ${problem.message}`).join('; ');
}

function instant(text: string | undefined): Date | null | 'invalid' {
  if (text === undefined || text.trim() === '') return null;
  const value = /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? new Date(`${text.trim()}T00:00:00Z`) : new Date(text.trim());
  return Number.isNaN(value.getTime()) ? 'invalid' : value;
}

function extraTraits(kind: ImportKind, row: Record<string, string>): Record<string, string> {
  const traits: Record<string, string> = {};
  for (const [key, value] of Object.entries(row))
    if (!knownFields[kind].includes(key) && value !== '') traits[key] = value;
  return traits;
}

/**
 * Reads one mapped row of the given kind. An interaction's time must lie in the event window around
 * `times.now`, as an event's does.
 */
export function readImportRow(kind: ImportKind, row: Record<string, string>, times: EventTimes): RowVerdict {
  const unstorable = jsonProblems(row, '');
  if (unstorable.length > 0) return { ok: false, reason: problemsInWords(unstorable) };
  const problems: FieldProblem[] = [];
  switch (kind) {
    case 'accounts': {
      const id = row.id?.trim();
      if (!id) return { ok: false, reason: 'id is empty: every account needs its id (the groupId your product uses)' };
      const fields = accountFieldsFrom(row, 'row', problems);
      const createdAt = instant(row.createdAt);
      if (createdAt === 'invalid')
        problems.push({
          field: 'createdAt',
          message: `is not a date: ${JSON.stringify(row.createdAt)} (use YYYY-MM-DD)`,
        });
      const createdProblem = createdAt instanceof Date ? storableTimeProblem(createdAt) : null;
      if (createdProblem !== null) problems.push({ field: 'createdAt', message: createdProblem });
      if (problems.length > 0) return { ok: false, reason: problemsInWords(problems) };
      return {
        ok: true,
        row: {
          kind,
          id,
          fields,
          traits: { ...extraTraits(kind, row), ...acquisitionTraits(fields.acquisition) },
          createdAt: createdAt === 'invalid' ? null : createdAt,
        },
      };
    }
    case 'contacts': {
      const id = row.userId?.trim();
      if (!id)
        return { ok: false, reason: 'userId is empty: every contact needs the id your product uses for the person' };
      const fields = contactFieldsFrom(row, 'row', problems);
      if (problems.length > 0) return { ok: false, reason: problemsInWords(problems) };
      return {
        ok: true,
        row: { kind, id, accountId: row.accountId?.trim() || null, fields, traits: extraTraits(kind, row) },
      };
    }
    case 'interactions': {
      const channel = row.channel?.trim().toLowerCase() ?? '';
      if (!(interactionChannels as readonly string[]).includes(channel))
        problems.push({
          field: 'channel',
          message: `must be one of ${interactionChannels.join(', ')}; got ${JSON.stringify(row.channel ?? '')}`,
        });
      const direction = row.direction?.trim().toLowerCase() ?? '';
      if (direction !== 'inbound' && direction !== 'outbound')
        problems.push({
          field: 'direction',
          message: `must be inbound or outbound; got ${JSON.stringify(row.direction ?? '')}`,
        });
      const rep = row.rep?.trim().toLowerCase() || null;
      const actor = row.actor?.trim().toLowerCase() || (direction === 'inbound' ? 'customer' : rep ? 'rep' : 'system');
      if (actor !== 'rep' && actor !== 'system' && actor !== 'customer')
        problems.push({ field: 'actor', message: `must be rep, system or customer; got ${JSON.stringify(row.actor)}` });
      const occurredAt = instant(row.occurredAt);
      if (occurredAt === null || occurredAt === 'invalid')
        problems.push({
          field: 'occurredAt',
          message:
            'must be a date or date-time such as 2026-03-01T14:00:00Z; ' +
            `got ${JSON.stringify(row.occurredAt ?? '')}`,
        });
      const outside = occurredAt instanceof Date ? eventTimeProblem(occurredAt, times.now, times.window) : null;
      if (outside !== null) problems.push({ field: 'occurredAt', message: outside });
      const twoWayText = row.twoWay?.trim().toLowerCase();
      if (twoWayText && !['true', 'false', 'yes', 'no', '1', '0'].includes(twoWayText))
        problems.push({ field: 'twoWay', message: `must be true or false; got ${JSON.stringify(row.twoWay)}` });
      if (!row.accountId?.trim() && !row.userId?.trim())
        problems.push({
          field: 'accountId',
          message: 'and userId are both empty: say which account or person was touched',
        });
      if (problems.length > 0 || occurredAt === null || occurredAt === 'invalid')
        return { ok: false, reason: problemsInWords(problems) };
      const typedChannel = channel as InteractionChannel;
      const twoWay = twoWayText ? ['true', 'yes', '1'].includes(twoWayText) : spokenChannels.includes(typedChannel);
      const content = [row.accountId, row.userId, rep, channel, direction, occurredAt.toISOString(), row.summary].join(
        '\u0001',
      );
      return {
        ok: true,
        row: {
          kind,
          externalId: row.id?.trim() || `row:${fingerprint(content)}`,
          accountId: row.accountId?.trim() || null,
          contactId: row.userId?.trim() || null,
          userEmail: rep,
          channel: typedChannel,
          direction: direction as 'inbound' | 'outbound',
          actor: actor as 'rep' | 'system' | 'customer',
          twoWay,
          objective: row.objective?.trim() || null,
          summary: row.summary?.trim() || null,
          occurredAt,
        },
      };
    }
    case 'promises':
      return readPromiseRow(row, times);
  }
}

const promiseStatuses: readonly PromiseStatus[] = ['open', 'kept', 'withdrawn'];

/** A promise row: its id, account, what and by when are needed; its times lie in the event window. */
function readPromiseRow(row: Record<string, string>, times: EventTimes): RowVerdict {
  const problems: FieldProblem[] = [];
  const id = row.id?.trim() ?? '';
  if (id === '') problems.push({ field: 'id', message: "is empty: every promise needs its id (the CRM's id for it)" });
  const accountId = row.accountId?.trim() ?? '';
  if (accountId === '') problems.push({ field: 'accountId', message: 'is empty: say which account it was made to' });
  const title = row.title?.trim() ?? '';
  if (title === '') problems.push({ field: 'title', message: 'is empty: say what was promised' });
  const dueAt = row.dueAt?.trim() ?? '';
  if (promiseDueAt(dueAt) === null)
    problems.push({ field: 'dueAt', message: `must be a date such as 2027-03-31; got ${JSON.stringify(dueAt)}` });
  const status = (row.status?.trim().toLowerCase() || 'open') as PromiseStatus;
  if (!promiseStatuses.includes(status))
    problems.push({
      field: 'status',
      message: `must be one of ${promiseStatuses.join(', ')}; got ${JSON.stringify(row.status)}`,
    });
  const datedWithin = (field: 'madeAt' | 'closedAt'): Date | null => {
    const at = instant(row[field]);
    if (at === 'invalid') {
      problems.push({ field, message: `is not a date: ${JSON.stringify(row[field])} (use YYYY-MM-DD)` });
      return null;
    }
    const outside = at === null ? null : eventTimeProblem(at, times.now, times.window);
    if (outside !== null) problems.push({ field, message: outside });
    return at;
  };
  const madeAt = datedWithin('madeAt');
  const closedAt = datedWithin('closedAt');
  if (madeAt !== null && closedAt !== null && closedAt < madeAt)
    problems.push({ field: 'closedAt', message: `is before madeAt: a promise is kept or withdrawn after it is made` });
  if (problems.length > 0) return { ok: false, reason: problemsInWords(problems) };
  return {
    ok: true,
    row: {
      kind: 'promises',
      id,
      accountId,
      title,
      dueAt,
      madeBy: personOrTeam(row.madeBy),
      owner: personOrTeam(row.owner),
      status,
      madeAt,
      closedAt,
      note: row.note?.trim() || null,
    },
  };
}

/** A stable fingerprint of a row without an id: two 32-bit FNV-1a hashes with different seeds (not a security hash). */
function fingerprint(text: string): string {
  let first = 0x811c9dc5;
  let second = 0x01000193 ^ 0x5bd1e995;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    first = Math.imul(first ^ code, 0x01000193);
    second = Math.imul(second ^ code, 0x01000193) ^ (second >>> 15);
  }
  return (first >>> 0).toString(16).padStart(8, '0') + (second >>> 0).toString(16).padStart(8, '0');
}
