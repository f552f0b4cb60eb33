// A small, pure CSV reader (RFC 4180 with the usual tolerances: LF or CRLF, quoted fields with
// doubled quotes, a byte-order mark, no final line end) for the models' tabular inputs.
import { ModelInputError } from './model-input-error.js';

/** A parsed table: the header, the records, and the file line each record starts on. */
export interface CsvTable {
  header: string[];
  records: string[][];
  /** 1-based line of the file on which each record starts (so errors can name it). */
  lineNumbers: number[];
}

/**
 * Parses CSV text whose first row is the header, so models can read exported tables without a
 * dependency. Blank lines are skipped; a record whose field count differs from the header's is
 * refused with its line number.
 */
export function parseCsvTable(text: string, delimiter = ','): CsvTable {
  const rows = parseRows(text.startsWith('\uFEFF') ? text.slice(1) : text, delimiter);
  const first = rows[0];
  if (first === undefined) throw new ModelInputError('The CSV text is empty: expected a header line.');
  const header = first.fields.map((name) => name.trim());
  const records: string[][] = [];
  const lineNumbers: number[] = [];
  for (const row of rows.slice(1)) {
    if (row.fields.length !== header.length) {
      throw new ModelInputError(
        `Line ${row.line} has ${row.fields.length} fields, but the header has ${header.length}.`,
        { line: row.line },
      );
    }
    records.push(row.fields);
    lineNumbers.push(row.line);
  }
  return { header, records, lineNumbers };
}

interface RawRow {
  fields: string[];
  line: number;
}

function parseRows(text: string, delimiter: string): RawRow[] {
  const rows: RawRow[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 0;
  let index = 0;
  const endRow = (): void => {
    fields.push(field);
    // A line with nothing on it is skipped rather than read as a one-field record.
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ fields, line: rowLine });
    fields = [];
    field = '';
  };
  while (index < text.length) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"') {
        if (text[index + 1] === '"') {
          field += '"';
          index += 2;
          continue;
        }
        quoted = false;
      } else {
        if (character === '\n') line++;
        field += character;
      }
      index++;
      continue;
    }
    if (character === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (character === delimiter) {
      fields.push(field);
      field = '';
    } else if (character === '\r' || character === '\n') {
      if (character === '\r' && text[index + 1] === '\n') index++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += character;
    }
    index++;
  }
  if (quoted)
    throw new ModelInputError(`Line ${quoteLine} opens a quoted field that never closes.`, { line: quoteLine });
  if (field !== '' || fields.length > 0) endRow();
  return rows;
}
