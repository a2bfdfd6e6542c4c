/**
 * The institution list as a table: read from CSV outside the domain (@atlauja/csv, csv-parse),
 * which keeps each record's first line for the report and names the line of a malformed file.
 */
export interface CsvTable {
  readonly header: readonly string[];
  /** Each record with the 1-based line it starts on, for the report. */
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
  /** Why the file could not be read (then there are no records). */
  readonly problems?: readonly { readonly line: number; readonly message: string }[];
}
