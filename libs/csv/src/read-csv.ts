/**
 * CSV files from people's spreadsheets, read with csv-parse: quoted fields with "" escapes and line
 * breaks inside quotes, a BOM dropped, the separator (`;` as Latvian spreadsheets write, or `,`)
 * taken from the header line. Each record keeps the line it starts on; a malformed file (an
 * unclosed quote, a stray quote) is one problem naming its line and no records, never rows
 * silently swallowed into a quoted field.
 */
import { CsvError, parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

export interface CsvTable {
  readonly header: readonly string[];
  /** Each record with the 1-based line it starts on, for the report. */
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
  /** Why the file could not be read (then there are no records). */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

export function readCsv(text: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  let parsed: { record: string[]; info: { lines: number } }[];
  let lastEnded = 0;
  try {
    parsed = parse(body, {
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      info: true,
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record: string[], context: { lines: number }) => {
        lastEnded = context.lines;
        return record;
      },
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // csv-parse names the line where it gave up (for an unclosed quote, the end of the file); the
    // record at fault starts on the first non-empty line after the last good one.
    const reported = Number((error as CsvError & { lines?: number }).lines ?? 1);
    const lines = body.split(/\r?\n/);
    let line = lastEnded + 1;
    while (line < reported && (lines[line - 1] ?? '').trim() === '') line++;
    if (error.code !== 'CSV_QUOTE_NOT_CLOSED') line = reported;
    return { header: [], records: [], problems: [{ line, message: `the file is not valid CSV at line ${line}: ${csvMessage(error)}` }] };
  }
  // A record starts on the line after the previous one ended (csv-parse counts the lines read so far).
  const rows: { line: number; fields: string[] }[] = [];
  let ended = 0;
  for (const { record, info } of parsed) {
    rows.push({ line: ended + 1, fields: record });
    ended = info.lines;
  }
  const [head, ...records] = rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
  return { header: head ? head.fields.map((h) => h.trim()) : [], records, problems: [] };
}

function csvMessage(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted field is opened here and never closed (a missing ")';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote closes a field but more text follows it (write "" for a quote inside a quoted field)';
    default:
      return error.message;
  }
}

export const CSV_ENCODINGS = ['auto', 'utf-8', 'windows-1257'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

/**
 * The text of a file as a spreadsheet wrote it: UTF-8 (with or without a BOM), or Windows-1257
 * (Baltic), which Latvian spreadsheets export. `auto` takes UTF-8 when the bytes are valid UTF-8.
 */
export function decodeText(bytes: Buffer, encoding: CsvEncoding = 'auto'): { text: string; encoding: Exclude<CsvEncoding, 'auto'> } {
  if (encoding === 'windows-1257') return { text: iconv.decode(bytes, 'win1257'), encoding };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    if (encoding === 'utf-8') throw new Error('the file is not valid UTF-8 (pass --encoding windows-1257 for a Windows-1257 file)');
    return { text: iconv.decode(bytes, 'win1257'), encoding: 'windows-1257' };
  }
}
