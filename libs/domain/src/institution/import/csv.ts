/**
 * A small RFC 4180 reader: quoted fields with "" escapes and line breaks inside quotes, a BOM
 * dropped, the separator (`;` as Latvian spreadsheets write, or `,`) taken from the header line.
 */
export interface CsvTable {
  readonly header: readonly string[];
  /** Each record with the 1-based line it starts on, for the report. */
  readonly records: readonly { readonly line: number; readonly fields: readonly string[] }[];
}

export function readCsv(text: string): CsvTable {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
    } else if (ch === separator) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      fields.push(field);
      rows.push({ line: startLine, fields });
      fields = [];
      field = '';
      line++;
      startLine = line;
    } else {
      field += ch;
    }
  }
  if (field !== '' || fields.length > 0) rows.push({ line: startLine, fields: [...fields, field] });
  const nonEmpty = rows.filter((r) => r.fields.some((f) => f.trim() !== ''));
  const [head, ...records] = nonEmpty;
  return { header: head ? head.fields.map((h) => h.trim()) : [], records };
}
