import iconv from 'iconv-lite';
import { decodeText, readCsv } from './read-csv';

describe('reading a CSV file', () => {
  it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF, a BOM and either separator, each record with its first line', () => {
    const table = readCsv('\uFEFFa,b,c\r\n1,"x, ""y""",3\r\n"multi\nline",,\n\n4,5,6\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.records).toEqual([
      { line: 2, fields: ['1', 'x, "y"', '3'] },
      { line: 3, fields: ['multi\nline', '', ''] },
      { line: 6, fields: ['4', '5', '6'] },
    ]);
    expect(table.problems).toEqual([]);
    expect(readCsv('a;b\n1;2').records).toEqual([{ line: 2, fields: ['1', '2'] }]);
    expect(readCsv('a;b\n1;2,5').records[0].fields).toEqual(['1', '2,5']);
  });

  it('refuses a quote that is never closed, naming the line it opens on, instead of swallowing the rows after it', () => {
    const table = readCsv('registration_number;name;type\n90000000101;"Izdomātā ministrija;Ministrija\n90000000102;Otra;Ministrija\n90000000103;Trešā;Ministrija\n');
    expect(table.records).toEqual([]);
    expect(table.problems).toEqual([{ line: 2, message: expect.stringMatching(/line 2: a quoted field is opened here and never closed/) }]);
  });

  it('refuses text after a closing quote, naming its line', () => {
    expect(readCsv('a,b\n1,2\n3,"x"y\n').problems).toEqual([{ line: 3, message: expect.stringContaining('line 3') }]);
  });

  it('decodes UTF-8 and Windows-1257 (what Latvian spreadsheets export), by itself or as told', () => {
    const latvian = 'Nosaukums;Veids\nIzdomātā Ģeogrāfijas aģentūra;Padotības iestāde\n';
    expect(decodeText(Buffer.from(latvian, 'utf8'))).toEqual({ text: latvian, encoding: 'utf-8' });
    const cp1257 = iconv.encode(latvian, 'win1257');
    expect(cp1257.equals(Buffer.from(latvian, 'utf8'))).toBe(false);
    expect(decodeText(cp1257)).toEqual({ text: latvian, encoding: 'windows-1257' });
    expect(decodeText(cp1257, 'windows-1257').text).toBe(latvian);
    expect(() => decodeText(cp1257, 'utf-8')).toThrow(/not valid UTF-8.*--encoding windows-1257/);
  });
});
