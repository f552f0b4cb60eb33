// The ingest's one statement: the events and everything derived from them, each table's rows a part of
// one WITH (writeTogether), so that an ingest costs one round trip for all of them. Parts of one
// statement see the same snapshot and must touch disjoint rows; at most one part per table, which this
// type makes sure of, guarantees it.
import type { RawBuilder, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { type WritePart, writeTogether } from './write-together.js';

/** Each table the statement writes, with the name of its part, in the order of the parts. */
const partNames = {
  contacts: 'contacts_seen',
  events: 'stored_events',
  journey_triggers: 'triggers',
  account_facts: 'facts',
  interactions: 'touches',
  conversations: 'answered',
  account_activity_days: 'activity',
  contact_activity_days: 'person_activity',
  journey_runs: 'woken',
  account_first_events: 'firsts',
  account_event_queue: 'queued',
} as const;

type IngestTable = keyof typeof partNames;

/** A statement's writes: at most one per table, so its parts touch disjoint rows. */
export type IngestStatement = { readonly [T in IngestTable]?: RawBuilder<unknown> };

/** The events' part, and the contacts first seen in them when they go with the events. */
export type EventWrites = Pick<IngestStatement, 'contacts' | 'events'>;

/** The records derived from the events: their tables are none of the events' part. */
export type DerivedWritesStatement = Omit<IngestStatement, keyof EventWrites>;

/** The statement's parts, in one fixed order (so that its text, and its prepared name, stay the same). */
function partsOf(statement: IngestStatement): WritePart[] {
  const parts: WritePart[] = [];
  for (const table of Object.keys(partNames) as IngestTable[]) {
    const write = statement[table];
    if (write !== undefined) parts.push({ name: partNames[table], statement: write });
  }
  return parts;
}

/** Whether the statement has a part for `table` (the statement's result reads only the parts it has). */
export const writes = (statement: IngestStatement, table: IngestTable): boolean => statement[table] !== undefined;

/** Runs the statement; returns the row of `result` (a select over its parts), if given. */
export function writeIngestStatement(
  trx: Transaction<Database>,
  statement: IngestStatement,
  options: { readonly result?: RawBuilder<unknown>; readonly prepare?: boolean } = {},
): Promise<unknown> {
  return writeTogether(trx, partsOf(statement), options);
}
