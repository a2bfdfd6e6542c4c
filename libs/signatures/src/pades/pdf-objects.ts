/**
 * Reads the objects of a PDF section as they are written, one after another: the served document
 * and a signer's incremental update appended to it. Only as much of PDF as an update holds
 * (indirect objects, streams, cross-reference tables, trailers); object and cross-reference
 * streams are reported as found, not expanded. Throws PdfSyntaxError on anything else.
 */

export type PdfValue = number | boolean | null | PdfName | PdfString | PdfRef | PdfValue[] | PdfDict;
export interface PdfName { kind: 'name'; name: string }
export interface PdfString { kind: 'string'; bytes: Buffer; hex: boolean; start: number; end: number }
export interface PdfRef { kind: 'ref'; num: number; gen: number }
export interface PdfDict { kind: 'dict'; entries: Map<string, PdfValue> }

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** The raw stream data, when the object is a stream. */
  stream?: Buffer;
  /** Offset of "N G obj". */
  start: number;
}

export interface PdfSection {
  objects: IndirectObject[];
  trailers: PdfDict[];
  /** Offsets just past each %%EOF (and its end-of-line): where a revision ends. */
  revisionEnds: number[];
}

export class PdfSyntaxError extends Error {}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_DEPTH = 64;

export const name = (value: PdfValue | undefined): string | undefined => (isName(value) ? value.name : undefined);
export const isName = (value: PdfValue | undefined): value is PdfName => typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'name';
export const isDict = (value: PdfValue | undefined): value is PdfDict => typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'dict';
export const isRef = (value: PdfValue | undefined): value is PdfRef => typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'ref';
export const isString = (value: PdfValue | undefined): value is PdfString => typeof value === 'object' && value !== null && !Array.isArray(value) && value.kind === 'string';

export function readSection(bytes: Buffer, from: number, to: number = bytes.length): PdfSection {
  return new SectionReader(bytes, from, to).read();
}

/** Structural equality, as a reader sees the values (a string's bytes, not how they were written). */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || a.kind !== b.kind) return false;
  if (a.kind === 'name') return a.name === (b as PdfName).name;
  if (a.kind === 'string') return a.bytes.equals((b as PdfString).bytes);
  if (a.kind === 'ref') return a.num === (b as PdfRef).num && a.gen === (b as PdfRef).gen;
  const other = b as PdfDict;
  if (a.entries.size !== other.entries.size) return false;
  return [...a.entries].every(([key, value]) => other.entries.has(key) && sameValue(value, other.entries.get(key)));
}

class SectionReader {
  private pos: number;

  constructor(private readonly bytes: Buffer, from: number, private readonly end: number) {
    this.pos = from;
  }

  read(): PdfSection {
    const section: PdfSection = { objects: [], trailers: [], revisionEnds: [] };
    for (;;) {
      this.skipSpaceAndComments(section);
      if (this.pos >= this.end) return section;
      const start = this.pos;
      const word = this.keyword();
      if (word === 'xref') {
        this.skipXrefTable();
      } else if (word === 'trailer') {
        const trailer = this.value(0);
        if (!isDict(trailer)) throw new PdfSyntaxError(`trailer at ${start} is not a dictionary`);
        section.trailers.push(trailer);
      } else if (word === 'startxref') {
        this.skipSpace();
        this.number();
      } else if (/^\d+$/.test(word)) {
        this.pos = start;
        section.objects.push(this.indirectObject());
      } else {
        throw new PdfSyntaxError(`unexpected ${JSON.stringify(word.slice(0, 20))} at ${start}`);
      }
    }
  }

  private indirectObject(): IndirectObject {
    const start = this.pos;
    const num = this.integer();
    this.skipSpace();
    const gen = this.integer();
    this.skipSpace();
    if (this.keyword() !== 'obj') throw new PdfSyntaxError(`"obj" expected at ${start}`);
    const value = this.value(0);
    this.skipSpace();
    const object: IndirectObject = { num, gen, value, start };
    const at = this.pos;
    let word = this.keyword();
    if (word === 'stream') {
      if (!isDict(value)) throw new PdfSyntaxError(`a stream without a dictionary at ${start}`);
      if (this.bytes[this.pos] === 0x0d) this.pos += 1;
      if (this.bytes[this.pos] === 0x0a) this.pos += 1;
      const length = value.entries.get('Length');
      let dataEnd: number;
      if (typeof length === 'number' && Number.isInteger(length) && length >= 0 && this.pos + length <= this.end) {
        dataEnd = this.pos + length;
      } else {
        dataEnd = this.bytes.indexOf('endstream', this.pos, 'latin1');
        if (dataEnd < 0 || dataEnd > this.end) throw new PdfSyntaxError(`a stream without its end at ${start}`);
      }
      object.stream = this.bytes.subarray(this.pos, dataEnd);
      this.pos = dataEnd;
      this.skipSpace();
      if (this.keyword() !== 'endstream') throw new PdfSyntaxError(`"endstream" expected at ${this.pos}`);
      this.skipSpace();
      word = this.keyword();
    }
    if (word !== 'endobj') throw new PdfSyntaxError(`"endobj" expected at ${at}`);
    return object;
  }

  private value(depth: number): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError('objects nested too deep');
    this.skipSpace();
    const c = this.bytes[this.pos];
    if (c === 0x3c && this.bytes[this.pos + 1] === 0x3c) return this.dictionary(depth);
    if (c === 0x3c) return this.hexString();
    if (c === 0x28) return this.literalString();
    if (c === 0x2f) return this.nameToken();
    if (c === 0x5b) {
      this.pos += 1;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.bytes[this.pos] === 0x5d) {
          this.pos += 1;
          return items;
        }
        if (this.pos >= this.end) throw new PdfSyntaxError('unterminated array');
        items.push(this.value(depth + 1));
      }
    }
    if (c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39)) {
      const start = this.pos;
      const first = this.number();
      // "N G R" is a reference.
      const save = this.pos;
      if (Number.isInteger(first) && first >= 0) {
        const reference = this.referenceTail();
        if (reference !== undefined) return { kind: 'ref', num: first, gen: reference };
      }
      this.pos = save;
      if (!Number.isFinite(first)) throw new PdfSyntaxError(`bad number at ${start}`);
      return first;
    }
    const word = this.keyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    throw new PdfSyntaxError(`unexpected ${JSON.stringify(word.slice(0, 20))} at ${this.pos}`);
  }

  private dictionary(depth: number): PdfDict {
    this.pos += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] === 0x3e && this.bytes[this.pos + 1] === 0x3e) {
        this.pos += 2;
        return { kind: 'dict', entries };
      }
      if (this.pos >= this.end) throw new PdfSyntaxError('unterminated dictionary');
      const key = this.value(depth + 1);
      if (!isName(key)) throw new PdfSyntaxError(`a dictionary key is not a name at ${this.pos}`);
      // A key given twice: readers disagree on which one counts, so the file is refused.
      if (entries.has(key.name)) throw new PdfSyntaxError(`the key /${key.name} appears twice in one dictionary`);
      entries.set(key.name, this.value(depth + 1));
    }
  }

  private hexString(): PdfString {
    const start = this.pos;
    const close = this.bytes.indexOf(0x3e, this.pos);
    if (close < 0 || close >= this.end) throw new PdfSyntaxError('unterminated hex string');
    const digits = this.bytes.subarray(this.pos + 1, close).toString('latin1').replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(digits)) throw new PdfSyntaxError(`not a hex string at ${start}`);
    this.pos = close + 1;
    return { kind: 'string', bytes: Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex'), hex: true, start, end: this.pos };
  }

  private literalString(): PdfString {
    const start = this.pos;
    const out: number[] = [];
    let depth = 0;
    this.pos += 1;
    for (;;) {
      if (this.pos >= this.end) throw new PdfSyntaxError('unterminated string');
      const c = this.bytes[this.pos++];
      if (c === 0x5c) {
        const e = this.bytes[this.pos++];
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (e in simple) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let octal = e - 0x30;
          for (let i = 0; i < 2 && this.bytes[this.pos] >= 0x30 && this.bytes[this.pos] <= 0x37; i += 1) octal = octal * 8 + (this.bytes[this.pos++] - 0x30);
          out.push(octal & 0xff);
        } else if (e === 0x0d) {
          if (this.bytes[this.pos] === 0x0a) this.pos += 1;
        } else if (e !== 0x0a) out.push(e);
        continue;
      }
      if (c === 0x28) depth += 1;
      if (c === 0x29) {
        if (depth === 0) break;
        depth -= 1;
      }
      out.push(c);
    }
    return { kind: 'string', bytes: Buffer.from(out), hex: false, start, end: this.pos };
  }

  private nameToken(): PdfName {
    this.pos += 1;
    const start = this.pos;
    while (this.pos < this.end && !WHITESPACE.has(this.bytes[this.pos]) && !DELIMITERS.has(this.bytes[this.pos])) this.pos += 1;
    const raw = this.bytes.subarray(start, this.pos).toString('latin1');
    return { kind: 'name', name: raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) };
  }

  /** [+-] digits [. digits], read by byte: font width arrays in an update run to tens of thousands of numbers. */
  private number(): number {
    const start = this.pos;
    let sign = 1;
    if (this.bytes[this.pos] === 0x2b || this.bytes[this.pos] === 0x2d) {
      if (this.bytes[this.pos] === 0x2d) sign = -1;
      this.pos += 1;
    }
    let value = 0;
    let digits = 0;
    let c = this.bytes[this.pos];
    while (this.pos < this.end && c >= 0x30 && c <= 0x39) {
      value = value * 10 + (c - 0x30);
      digits += 1;
      c = this.bytes[++this.pos];
    }
    if (c === 0x2e && this.pos < this.end) {
      let scale = 0.1;
      c = this.bytes[++this.pos];
      while (this.pos < this.end && c >= 0x30 && c <= 0x39) {
        value += (c - 0x30) * scale;
        scale /= 10;
        digits += 1;
        c = this.bytes[++this.pos];
      }
    }
    if (digits === 0 || c === 0x2b || c === 0x2d || c === 0x2e) throw new PdfSyntaxError(`bad number at ${start}`);
    return sign * value;
  }

  /** After an integer: " G R" makes it a reference; returns G and moves past the R, or undefined and moves nowhere useful. */
  private referenceTail(): number | undefined {
    this.skipSpace();
    let gen = 0;
    let digits = 0;
    let c = this.bytes[this.pos];
    while (this.pos < this.end && c >= 0x30 && c <= 0x39) {
      gen = gen * 10 + (c - 0x30);
      digits += 1;
      c = this.bytes[++this.pos];
    }
    if (digits === 0 || !WHITESPACE.has(c)) return undefined;
    this.skipSpace();
    if (this.bytes[this.pos] !== 0x52 || !this.isBoundary(this.pos + 1)) return undefined;
    this.pos += 1;
    return gen;
  }

  private integer(): number {
    const value = this.number();
    if (!Number.isInteger(value) || value < 0) throw new PdfSyntaxError(`a non-negative integer expected at ${this.pos}`);
    return value;
  }

  private keyword(): string {
    const start = this.pos;
    while (this.pos < this.end && !WHITESPACE.has(this.bytes[this.pos]) && !DELIMITERS.has(this.bytes[this.pos])) this.pos += 1;
    return this.bytes.subarray(start, this.pos).toString('latin1');
  }

  private skipXrefTable(): void {
    const trailer = this.bytes.indexOf('trailer', this.pos, 'latin1');
    if (trailer < 0 || trailer > this.end) throw new PdfSyntaxError('a cross-reference table without a trailer');
    const table = this.bytes.subarray(this.pos, trailer).toString('latin1');
    if (!/^[\s0-9fn]*$/.test(table)) throw new PdfSyntaxError('a cross-reference table with foreign content');
    this.pos = trailer;
  }

  private skipSpace(): void {
    while (this.pos < this.end && WHITESPACE.has(this.bytes[this.pos])) this.pos += 1;
  }

  private skipSpaceAndComments(section: PdfSection): void {
    for (;;) {
      this.skipSpace();
      if (this.bytes[this.pos] !== 0x25 || this.pos >= this.end) return;
      const eof = this.bytes.subarray(this.pos, this.pos + 5).toString('latin1') === '%%EOF';
      while (this.pos < this.end && this.bytes[this.pos] !== 0x0a && this.bytes[this.pos] !== 0x0d) this.pos += 1;
      if (eof) {
        if (this.bytes[this.pos] === 0x0d) this.pos += 1;
        if (this.bytes[this.pos] === 0x0a) this.pos += 1;
        section.revisionEnds.push(this.pos);
      }
    }
  }

  private isBoundary(at: number): boolean {
    return at >= this.end || WHITESPACE.has(this.bytes[at]) || DELIMITERS.has(this.bytes[at]);
  }
}
