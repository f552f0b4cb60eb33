// Several writes of one transaction sent as one statement: each is a data-modifying part of a WITH,
// so the whole costs one round trip. Under load every round trip of the ingest path waited for the
// CPU (docs/benchmarks/2026-12-01-signals.md), so writes that do not depend on each other's results
// go together.
// The parts see the same snapshot and must touch disjoint rows: a part cannot see another's changes,
// though it can read the rows another part returns (by its name).
import { type Compilable, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { prepared } from './prepared-statements.js';
import type { Database } from './schema.js';

export interface WritePart {
  /** The part's name in the WITH; unique within one statement, and never a table's name. */
  readonly name: string;
  readonly statement: RawBuilder<unknown> | Compilable<unknown>;
}

export interface WriteTogetherOptions {
  /** A select over the parts, whose row is returned. */
  readonly result?: RawBuilder<unknown>;
  /** Send as a prepared statement: only when the text does not vary with the values (see prepared). */
  readonly prepare?: boolean;
}

/** Runs the parts as one statement; returns the row of `result`, if given. */
export async function writeTogether(
  trx: Kysely<Database> | Transaction<Database>,
  parts: readonly WritePart[],
  { result, prepare = false }: WriteTogetherOptions = {},
): Promise<unknown> {
  if (parts.length === 0) return undefined;
  const statement = sql`with ${sql.join(
    parts.map((part) => sql`${sql.raw(part.name)} as (${part.statement})`),
    sql`, `,
  )} ${result ?? sql`select 1`}`;
  const written = await (prepare ? prepared(statement) : statement).execute(trx);
  return result ? written.rows[0] : undefined;
}
