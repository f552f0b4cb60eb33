// The Kysely table types (src/store/schema.ts) are written by hand beside the migrations: this test holds
// them to what the migrations build, column by column, on whichever database the suite runs on, and names
// every disagreement (a missing table or column, a nullability, a type that cannot hold the values or a
// list of values other than the column's check, a column an insert may leave out although the database
// has nothing to put there).
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { storePerFile } from '../support/fresh-store.js';
import { readTableTypes, type TypedColumn, type TypedTables, type ValueKind } from '../support/kysely-table-types.js';

/**
 * What a value of each PostgreSQL type arrives as through `pg`, with the parsers store/database.ts sets:
 * bigint as a number (money in minor units and counts stay within 2^53), a date as its `YYYY-MM-DD` text;
 * numeric keeps pg's default, a string. JSON may hold anything JSON can.
 */
const kindsByDataType: Readonly<Record<string, readonly ValueKind[]>> = {
  text: ['string'],
  'character varying': ['string'],
  uuid: ['string'],
  smallint: ['number'],
  integer: ['number'],
  bigint: ['number'],
  real: ['number'],
  'double precision': ['number'],
  numeric: ['string'],
  boolean: ['boolean'],
  date: ['string'],
  'timestamp with time zone': ['Date'],
  bytea: ['Buffer'],
  jsonb: ['object', 'array', 'string', 'number', 'boolean', 'unknown'],
  json: ['object', 'array', 'string', 'number', 'boolean', 'unknown'],
};

/** Tables Kysely's migrator makes for itself, not Tend's records. */
const notTendsTables = new Map([
  ['kysely_migration', "Kysely's record of the migrations run"],
  ['kysely_migration_lock', "Kysely's lock while migrating"],
]);

/** Columns the database keeps that the types leave out on purpose, so that no code comes to use them. */
const untypedColumns = new Map([
  ['accounts.event_due_at', 'unused since migration 0011, which kept it for processes of the previous version'],
]);

interface DatabaseColumn {
  readonly table: string;
  readonly column: string;
  readonly dataType: string;
  readonly nullable: boolean;
  /** A default, an identity or a generated expression: the database supplies a value when an insert gives none. */
  readonly suppliesValue: boolean;
  /** `generated always as identity` or a generated column: an insert may not give a value. */
  readonly refusesValue: boolean;
  /** The values a check constraint on this column alone allows (`status in ('open', 'done')`); null: no list. */
  readonly allowedValues: readonly string[] | null;
}

/** Every disagreement between the types and the database's columns, one sentence each, by table and column. */
function schemaDisagreements(
  types: TypedTables,
  columns: readonly DatabaseColumn[],
  leftUntyped: ReadonlyMap<string, string> = untypedColumns,
): string[] {
  const found: string[] = [];
  const byTable = new Map<string, DatabaseColumn[]>();
  for (const column of columns) {
    if (notTendsTables.has(column.table)) continue;
    byTable.set(column.table, [...(byTable.get(column.table) ?? []), column]);
  }
  for (const table of byTable.keys()) {
    if (!types.has(table)) found.push(`${table}: a table in the database, missing from the Database interface`);
  }
  for (const [table, typed] of types) {
    const inDatabase = byTable.get(table);
    if (inDatabase === undefined) {
      found.push(`${table}: in the Database interface, but no such table in the database`);
      continue;
    }
    for (const column of inDatabase) {
      const type = typed.get(column.column);
      if (type === undefined && leftUntyped.has(`${table}.${column.column}`)) continue;
      if (type === undefined) found.push(`${table}.${column.column}: a column in the database, missing from the types`);
      else found.push(...columnDisagreements(`${table}.${column.column}`, type, column));
    }
    for (const name of typed.keys()) {
      if (!inDatabase.some((column) => column.column === name)) {
        found.push(`${table}.${name}: in the types, but no such column in the database`);
      }
    }
  }
  for (const name of leftUntyped.keys()) {
    if (!columns.some((column) => `${column.table}.${column.column}` === name)) {
      found.push(`${name}: left out of the types on purpose, but no longer in the database (strike it off)`);
    }
  }
  return found;
}

function columnDisagreements(name: string, type: TypedColumn, column: DatabaseColumn): string[] {
  const found: string[] = [];
  const nullability = (nullable: boolean) => (nullable ? 'may be null' : 'is never null');
  if (type.nullable !== column.nullable) {
    found.push(
      `${name}: ${nullability(column.nullable)} in the database, but ${nullability(type.nullable)} in the types`,
    );
  }
  const allowed = kindsByDataType[column.dataType];
  if (allowed === undefined) {
    found.push(`${name}: no TypeScript mapping for the database type ${column.dataType} (add it to kindsByDataType)`);
  } else {
    const foreign = [...type.kinds].filter((kind) => !allowed.includes(kind));
    if (type.kinds.size === 0 || foreign.length > 0) {
      found.push(`${name}: ${column.dataType} arrives as ${allowed.join(' or ')}, but the types say ${type.written}`);
    }
  }
  found.push(...listDisagreements(name, type, column));
  if (type.insertOptional && !column.nullable && !column.suppliesValue) {
    found.push(`${name}: an insert may leave it out in the types, but the database has no default and refuses null`);
  }
  if (column.refusesValue && !type.insertOptional) {
    found.push(`${name}: the database makes its value, but the types make inserts give one (use Generated<…>)`);
  }
  return found;
}

/** A type that lists its values must list those of the column's check, no more, no fewer. */
function listDisagreements(name: string, type: TypedColumn, column: DatabaseColumn): string[] {
  if (type.literals === null) return [];
  if (column.allowedValues === null) {
    return [`${name}: the types allow only ${[...type.literals].join(', ')}, but the database checks no list`];
  }
  const allowed = column.allowedValues;
  return [
    ...allowed.filter((value) => !type.literals?.has(value)).map((value) => `${name}: the types miss '${value}'`),
    ...[...type.literals]
      .filter((value) => !allowed.includes(value))
      .map((value) => `${name}: the types allow '${value}', which the database's check refuses`),
  ];
}

const currentStore = storePerFile();

/** The values of `check (column in ('a', 'b'))`, which PostgreSQL keeps as `column = ANY (ARRAY['a'::text, …])`. */
function listedValues(definition: string): string[] | null {
  const list = /= ANY \(+ARRAY\[(.*)\]/.exec(definition)?.[1];
  if (list === undefined) return null;
  return [...list.matchAll(/'((?:[^']|'')*)'::/g)].map((match) => (match[1] ?? '').replaceAll("''", "'"));
}

async function checkedLists(): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ table_name: string; column_name: string; definition: string }>`
    select pg_class.relname as table_name, pg_attribute.attname as column_name,
      pg_get_constraintdef(pg_constraint.oid) as definition
    from pg_constraint
    join pg_class on pg_class.oid = pg_constraint.conrelid
    join pg_attribute on pg_attribute.attrelid = pg_class.oid and pg_attribute.attnum = pg_constraint.conkey[1]
    where pg_constraint.contype = 'c' and cardinality(pg_constraint.conkey) = 1
      and pg_class.relnamespace = current_schema()::regnamespace`.execute(currentStore().database);
  const lists = new Map<string, string[]>();
  for (const row of rows) {
    const values = listedValues(row.definition);
    if (values !== null) lists.set(`${row.table_name}.${row.column_name}`, values);
  }
  return lists;
}

async function migratedColumns(): Promise<DatabaseColumn[]> {
  const lists = await checkedLists();
  const { rows } = await sql<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: 'YES' | 'NO';
    column_default: string | null;
    is_identity: 'YES' | 'NO';
    identity_generation: string | null;
    is_generated: string;
  }>`
    select columns.table_name, columns.column_name, columns.data_type, columns.is_nullable,
      columns.column_default, columns.is_identity, columns.identity_generation, columns.is_generated
    from information_schema.columns
    join pg_namespace on pg_namespace.nspname = columns.table_schema
    join pg_class on pg_class.relnamespace = pg_namespace.oid and pg_class.relname = columns.table_name
    where columns.table_schema = current_schema() and pg_class.relkind in ('r', 'p') and not pg_class.relispartition
    order by columns.table_name, columns.ordinal_position`.execute(currentStore().database);
  return rows.map((row) => ({
    table: row.table_name,
    column: row.column_name,
    dataType: row.data_type,
    nullable: row.is_nullable === 'YES',
    suppliesValue: row.column_default !== null || row.is_identity === 'YES' || row.is_generated === 'ALWAYS',
    refusesValue: row.identity_generation === 'ALWAYS' || row.is_generated === 'ALWAYS',
    allowedValues: lists.get(`${row.table_name}.${row.column_name}`) ?? null,
  }));
}

describe('the Kysely table types', () => {
  it('agree with the migrated database, table by table and column by column', async () => {
    const columns = await migratedColumns();
    expect(columns.length).toBeGreaterThan(100);
    expect(columns.filter((column) => column.allowedValues !== null).length).toBeGreaterThan(10);
    expect(schemaDisagreements(readTableTypes(), columns)).toEqual([]);
  });

  it('name each kind of disagreement', () => {
    const typed = (kinds: ValueKind[], nullable: boolean, insertOptional = nullable): TypedColumn => ({
      kinds: new Set(kinds),
      literals: null,
      nullable,
      insertOptional,
      written: [...kinds, ...(nullable ? ['null'] : [])].join(' | '),
    });
    const types: TypedTables = new Map([
      [
        'tasks',
        new Map([
          ['id', typed(['string'], false)],
          ['note', typed(['string'], false)],
          ['count', typed(['string'], false)],
          ['source', typed(['string'], false, true)],
          ['imagined', typed(['string'], true)],
          ['status', { ...typed(['string'], false), literals: new Set(['open', 'done', 'lost']) }],
          ['outcome', { ...typed(['string'], true), literals: new Set(['saved']) }],
        ]),
      ],
      ['imagined_table', new Map([['id', typed(['string'], false)]])],
    ]);
    const column = (name: string, dataType: string, nullable: boolean, extra: Partial<DatabaseColumn> = {}) => ({
      table: 'tasks',
      column: name,
      dataType,
      nullable,
      suppliesValue: false,
      refusesValue: false,
      allowedValues: null,
      ...extra,
    });
    const columns: DatabaseColumn[] = [
      column('id', 'bigint', false, { suppliesValue: true, refusesValue: true }),
      column('note', 'text', true),
      column('count', 'integer', false),
      column('source', 'text', false),
      column('forgotten', 'text', true),
      column('status', 'text', false, { allowedValues: ['open', 'done', 'cancelled'] }),
      column('outcome', 'text', true),
      column('legacy', 'timestamp with time zone', true),
      { ...column('id', 'uuid', false), table: 'untyped_table' },
      { ...column('id', 'text', false), table: 'kysely_migration' },
    ];
    const leftUntyped = new Map([
      ['tasks.legacy', 'kept for old processes'],
      ['tasks.dropped', 'kept for old processes'],
    ]);
    expect(schemaDisagreements(types, columns, leftUntyped)).toEqual([
      'untyped_table: a table in the database, missing from the Database interface',
      'tasks.id: bigint arrives as number, but the types say string',
      'tasks.id: the database makes its value, but the types make inserts give one (use Generated<…>)',
      'tasks.note: may be null in the database, but is never null in the types',
      'tasks.count: integer arrives as number, but the types say string',
      'tasks.source: an insert may leave it out in the types, but the database has no default and refuses null',
      'tasks.forgotten: a column in the database, missing from the types',
      "tasks.status: the types miss 'cancelled'",
      "tasks.status: the types allow 'lost', which the database's check refuses",
      'tasks.outcome: the types allow only saved, but the database checks no list',
      'tasks.imagined: in the types, but no such column in the database',
      'imagined_table: in the Database interface, but no such table in the database',
      'tasks.dropped: left out of the types on purpose, but no longer in the database (strike it off)',
    ]);
  });
});
