// Reads the store's Kysely table types (src/store/schema.ts) with the TypeScript compiler, as plain data:
// for every table of the `Database` interface, each column's kinds of value as selected, and whether an
// insert may leave it out. The schema test compares this with what the migrations built.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** What a TypeScript type lets a value be, in the words the comparison with PostgreSQL needs. */
export type ValueKind = 'string' | 'number' | 'boolean' | 'Date' | 'Buffer' | 'array' | 'object' | 'unknown';

export interface TypedColumn {
  /** The kinds of value a select returns, without null. */
  readonly kinds: ReadonlySet<ValueKind>;
  /** A select may return null. */
  readonly nullable: boolean;
  /** An insert may leave the column out (Kysely: its insert type admits undefined or null). */
  readonly insertOptional: boolean;
  /** The values a select returns when the type lists them (`'open' | 'done'`); null: any string, or not text. */
  readonly literals: ReadonlySet<string> | null;
  /** The type as written, for messages. */
  readonly written: string;
}

export type TypedTables = ReadonlyMap<string, ReadonlyMap<string, TypedColumn>>;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const schemaFile = join(root, 'src', 'store', 'schema.ts');

/** Compiles schema.ts with the project's compiler options and describes every table of `Database`. */
export function readTableTypes(file = schemaFile): TypedTables {
  const configPath = join(root, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options;
  const program = ts.createProgram([file], options);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  const database = module && checker.getExportsOfModule(module).find((symbol) => symbol.name === 'Database');
  if (database === undefined) throw new Error(`${file} exports no interface Database`);
  const tables = new Map<string, Map<string, TypedColumn>>();
  for (const table of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(database))) {
    const columns = new Map<string, TypedColumn>();
    const tableType = checker.getTypeOfSymbol(table);
    for (const column of checker.getPropertiesOfType(tableType)) {
      columns.set(column.name, describeColumn(checker, checker.getTypeOfSymbol(column)));
    }
    tables.set(table.name, columns);
  }
  return tables;
}

/** Kysely reads `ColumnType<S, I, U>` member by member of a union (`Timestamp | null`), and so does this. */
function describeColumn(checker: ts.TypeChecker, type: ts.Type): TypedColumn {
  const selected: ts.Type[] = [];
  const inserted: ts.Type[] = [];
  for (const member of type.isUnion() ? type.types : [type]) {
    const select = checker.getPropertyOfType(member, '__select__');
    const insert = checker.getPropertyOfType(member, '__insert__');
    if (select !== undefined && insert !== undefined) {
      selected.push(...membersOf(checker.getTypeOfSymbol(select)));
      inserted.push(...membersOf(checker.getTypeOfSymbol(insert)));
    } else {
      selected.push(member);
      inserted.push(member);
    }
  }
  const absent = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
  const kinds = new Set<ValueKind>();
  for (const member of selected) if ((member.flags & absent) === 0) kinds.add(kindOf(checker, member));
  const texts = selected.filter((member) => member.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral));
  const listed = texts.length > 0 && texts.every((member) => member.isStringLiteral());
  return {
    kinds,
    literals: listed ? new Set(texts.map((member) => (member as ts.StringLiteralType).value)) : null,
    nullable: selected.some((member) => (member.flags & ts.TypeFlags.Null) !== 0),
    insertOptional: inserted.some((member) => (member.flags & absent) !== 0),
    written: checker.typeToString(type),
  };
}

function membersOf(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() ? type.types : [type];
}

function kindOf(checker: ts.TypeChecker, type: ts.Type): ValueKind {
  if (type.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return 'string';
  if (type.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return 'number';
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
  if (type.flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return 'unknown';
  if (checker.isArrayType(type) || checker.isTupleType(type)) return 'array';
  const name = (type.aliasSymbol ?? type.getSymbol())?.name;
  if (name === 'Date' || name === 'Buffer') return name;
  if (type.flags & ts.TypeFlags.Object) return 'object';
  throw new Error(`No value kind for the TypeScript type ${checker.typeToString(type)}`);
}
