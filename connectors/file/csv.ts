import { CsvError, parse } from 'csv-parse/sync';
import { CSV_DELIMITERS, type CsvDelimiter } from '../../src/model/csvDelimiters.js';

export interface CsvRow {
  /** The line of the file the row starts on, counting from 1, for error messages. */
  readonly line: number;
  readonly cells: readonly string[];
}

/** A file that is not strict RFC 4180: the message names the line. */
export class CsvSyntaxError extends Error {
  override readonly name = 'CsvSyntaxError';
}

/**
 * Strict RFC 4180 CSV with the habits of real exports: a UTF-8 BOM, CRLF line ends, line breaks
 * inside quoted fields, and `;` or tab delimiters (detected from the header line unless given).
 * Rows whose cells are all empty are dropped. Anything a lenient parser would guess at (text after a
 * closing quote, a quote inside an unquoted field, a quote never closed) throws with its line.
 */
export function parseCsv(text: string, delimiter?: CsvDelimiter): CsvRow[] {
  // One line break character keeps csv-parse's line count right, quoted breaks included.
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  let lastRowEnd = 0;
  try {
    const records = parse(source, {
      delimiter: delimiter ?? detectDelimiter(source),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      on_record: (record, context) => {
        lastRowEnd = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return records.map(({ record, info }) => ({
      line: info.lines - record.join('').split('\n').length + 1,
      cells: record,
    }));
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new CsvSyntaxError(describe(error, source, lastRowEnd));
  }
}

function describe(error: CsvError, source: string, lastRowEnd: number): string {
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `line ${error.lines}: text after the closing quote of a field (a quote inside a quoted field is written "")`;
    case 'INVALID_OPENING_QUOTE':
      return `line ${error.lines}: a quote inside an unquoted field (quote the field and double the quote: "a""b")`;
    case 'CSV_QUOTE_NOT_CLOSED':
      return `line ${openingLine(source, lastRowEnd)}: a quoted field is never closed`;
    default:
      return `line ${error.lines}: ${error.message}`;
  }
}

/** The line the unclosed row starts on: the first non-blank line after the last complete row. */
function openingLine(source: string, lastRowEnd: number): number {
  const lines = source.split('\n');
  let index = lastRowEnd;
  while (index < lines.length - 1 && lines[index]!.trim() === '') index++;
  return index + 1;
}

/** The candidate that splits the header line (outside quotes) the most times; `,` on a tie. */
function detectDelimiter(source: string): CsvDelimiter {
  const end = source.indexOf('\n');
  const headerLine = (end === -1 ? source : source.slice(0, end)).replace(/"[^"]*"/g, '');
  let best: CsvDelimiter = ',';
  let bestCount = 0;
  for (const candidate of CSV_DELIMITERS) {
    const count = headerLine.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}
