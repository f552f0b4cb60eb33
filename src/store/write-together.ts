// Several writes of one transaction sent as one statement: each is a data-modifying part of a WITH,
// so the whole costs one round trip. Under load every round trip of the ingest path waited for the
// CPU (BENCHMARKS.md, signals), so writes that do not depend on each other's results go together.
// The parts see the same snapshot and must touch disjoint rows: a part cannot see another's changes.
import { type Compilable, type RawBuilder, sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';

export interface WritePart {
  /** The part's name in the WITH; unique within one statement. */
  readonly name: string;
  readonly statement: RawBuilder<unknown> | Compilable<unknown>;
}

export async function writeTogether(trx: Transaction<Database>, parts: readonly WritePart[]): Promise<void> {
  if (parts.length === 0) return;
  await sql`with ${sql.join(parts.map((part) => sql`${sql.raw(part.name)} as (${part.statement})`), sql`, `)} select 1`.execute(trx);
}
