/**
 * A small typed walker over node-forge's ASN.1 tree.
 *
 * node-forge is used for DER only (its codec is solid and fast on large CRLs); every signature
 * check goes through node:crypto. Each accessor names what it expected, so a malformed input
 * fails with a message that says where.
 */
import forge from 'node-forge';

export type Asn1Node = forge.asn1.Asn1;

export const Tag = {
  BOOLEAN: 1,
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  ENUMERATED: 10,
  UTF8_STRING: 12,
  SEQUENCE: 16,
  SET: 17,
  NUMERIC_STRING: 18,
  PRINTABLE_STRING: 19,
  T61_STRING: 20,
  IA5_STRING: 22,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  UNIVERSAL_STRING: 28,
  BMP_STRING: 30,
} as const;

const UNIVERSAL = forge.asn1.Class.UNIVERSAL;
const CONTEXT = forge.asn1.Class.CONTEXT_SPECIFIC;

/** Thrown for any structural problem; the verifier turns it into a MALFORMED check. */
export class Asn1Error extends Error {}

/** Nesting limit: real CMS/X.509/CRL structures stay far below it; hostile input does not. */
const MAX_DEPTH = 48;

export function parseDer(der: Buffer, what: string): Asn1Node {
  try {
    return forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')), {
      strict: true,
      parseAllBytes: true,
      // BIT STRINGs stay opaque: we decode the few that hold ASN.1 ourselves.
      decodeBitStrings: false,
      maxDepth: MAX_DEPTH,
    } as unknown as boolean); // @types/node-forge only knows the boolean form
  } catch (error) {
    throw new Asn1Error(`${what}: not valid DER (${(error as Error).message})`);
  }
}

export function toDer(node: Asn1Node): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

export function isUniversal(node: Asn1Node | undefined, type: number): boolean {
  return node !== undefined && node.tagClass === UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1Node | undefined, tagNumber: number): boolean {
  return node !== undefined && node.tagClass === CONTEXT && node.type === tagNumber;
}

export function expectUniversal(node: Asn1Node | undefined, type: number, what: string): Asn1Node {
  if (!isUniversal(node, type)) throw new Asn1Error(`${what}: unexpected ASN.1 tag`);
  return node as Asn1Node;
}

/** The children of a constructed node (SEQUENCE, SET or a constructed context tag). */
export function childrenOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  if (node === undefined || !node.constructed || !Array.isArray(node.value)) {
    throw new Asn1Error(`${what}: expected a constructed value`);
  }
  return node.value as Asn1Node[];
}

export function sequenceOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  return childrenOf(expectUniversal(node, Tag.SEQUENCE, what), what);
}

export function setOf(node: Asn1Node | undefined, what: string): Asn1Node[] {
  return childrenOf(expectUniversal(node, Tag.SET, what), what);
}

/** Raw content octets of a primitive node. */
export function contentBytes(node: Asn1Node | undefined, what: string): Buffer {
  if (node === undefined || node.constructed || typeof node.value !== 'string') {
    throw new Asn1Error(`${what}: expected a primitive value`);
  }
  return Buffer.from(node.value, 'binary');
}

export function oidOf(node: Asn1Node | undefined, what: string): string {
  const bytes = contentBytes(expectUniversal(node, Tag.OID, what), what);
  if (bytes.length === 0) throw new Asn1Error(`${what}: empty OID`);
  return forge.asn1.derToOid(bytes.toString('binary'));
}

export function octetsOf(node: Asn1Node | undefined, what: string): Buffer {
  return contentBytes(expectUniversal(node, Tag.OCTET_STRING, what), what);
}

/** INTEGER content octets as encoded (two's complement, DER-minimal). */
export function integerBytesOf(node: Asn1Node | undefined, what: string): Buffer {
  const bytes = contentBytes(expectUniversal(node, Tag.INTEGER, what), what);
  if (bytes.length === 0) throw new Asn1Error(`${what}: empty INTEGER`);
  return bytes;
}

/** A small non-negative INTEGER (versions, path lengths, salt lengths). */
export function smallIntegerOf(node: Asn1Node | undefined, what: string): number {
  const bytes = integerBytesOf(node, what);
  if (bytes.length > 4 || (bytes[0] & 0x80) !== 0) throw new Asn1Error(`${what}: INTEGER out of range`);
  return bytes.reduce((value, byte) => value * 256 + byte, 0);
}

export function booleanOf(node: Asn1Node | undefined, what: string): boolean {
  const bytes = contentBytes(expectUniversal(node, Tag.BOOLEAN, what), what);
  if (bytes.length !== 1) throw new Asn1Error(`${what}: bad BOOLEAN`);
  return bytes[0] !== 0;
}

/** BIT STRING content without the leading unused-bits octet. */
export function bitStringOf(node: Asn1Node | undefined, what: string): { bytes: Buffer; unusedBits: number } {
  const raw = contentBytes(expectUniversal(node, Tag.BIT_STRING, what), what);
  if (raw.length === 0 || raw[0] > 7) throw new Asn1Error(`${what}: bad BIT STRING`);
  return { bytes: raw.subarray(1), unusedBits: raw[0] };
}

export function timeOf(node: Asn1Node | undefined, what: string): Date {
  let date: Date;
  if (isUniversal(node, Tag.UTC_TIME)) {
    date = forge.asn1.utcTimeToDate((node as Asn1Node).value as string);
  } else if (isUniversal(node, Tag.GENERALIZED_TIME)) {
    date = forge.asn1.generalizedTimeToDate((node as Asn1Node).value as string);
  } else {
    throw new Asn1Error(`${what}: expected UTCTime or GeneralizedTime`);
  }
  if (Number.isNaN(date.getTime())) throw new Asn1Error(`${what}: invalid time`);
  return date;
}

/** Decodes the directory string types found in names; UTF8String arrives from forge as UTF-8 bytes. */
export function stringOf(node: Asn1Node | undefined, what: string): string {
  if (node === undefined || node.tagClass !== UNIVERSAL || node.constructed) {
    throw new Asn1Error(`${what}: expected a string`);
  }
  const value = node.value as string;
  switch (node.type as number) {
    case Tag.UTF8_STRING:
      try {
        return forge.util.decodeUtf8(value);
      } catch {
        throw new Asn1Error(`${what}: invalid UTF-8`);
      }
    case Tag.BMP_STRING: // forge already decoded UCS-2
    case Tag.PRINTABLE_STRING:
    case Tag.IA5_STRING:
    case Tag.NUMERIC_STRING:
      return value;
    case Tag.T61_STRING: // in practice Latin-1
      return Buffer.from(value, 'binary').toString('latin1');
    case Tag.UNIVERSAL_STRING: {
      const bytes = Buffer.from(value, 'binary');
      let text = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) text += String.fromCodePoint(bytes.readUInt32BE(i));
      return text;
    }
    default:
      throw new Asn1Error(`${what}: unsupported string type ${node.type}`);
  }
}

/** Reads the elements of a SEQUENCE in order, with optional and context-tagged fields. */
export class SequenceReader {
  private index = 0;

  constructor(
    private readonly items: Asn1Node[],
    private readonly what: string,
  ) {}

  static of(node: Asn1Node | undefined, what: string): SequenceReader {
    return new SequenceReader(sequenceOf(node, what), what);
  }

  next(field: string): Asn1Node {
    const item = this.items[this.index];
    if (item === undefined) throw new Asn1Error(`${this.what}: missing ${field}`);
    this.index += 1;
    return item;
  }

  /** Consumes the next element only if it carries the context tag [tagNumber]. */
  optionalContext(tagNumber: number): Asn1Node | undefined {
    const item = this.items[this.index];
    if (!isContext(item, tagNumber)) return undefined;
    this.index += 1;
    return item;
  }

  optionalUniversal(type: number): Asn1Node | undefined {
    const item = this.items[this.index];
    if (!isUniversal(item, type)) return undefined;
    this.index += 1;
    return item;
  }

  hasMore(): boolean {
    return this.index < this.items.length;
  }
}

// --- building (used by the test/demo signer and the demo PKI) ---

export const build = {
  sequence: (items: Asn1Node[]): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.SEQUENCE, true, items),
  set: (items: Asn1Node[]): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.SET, true, items),
  /** DER SET OF: elements sorted by their encodings (X.690 11.6). */
  sortedSet: (items: Asn1Node[]): Asn1Node =>
    forge.asn1.create(
      UNIVERSAL,
      Tag.SET,
      true,
      items
        .map((item) => ({ item, der: toDer(item) }))
        .sort((a, b) => Buffer.compare(a.der, b.der))
        .map(({ item }) => item),
    ),
  oid: (oid: string): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.OID, false, forge.asn1.oidToDer(oid).getBytes()),
  integer: (bytes: Buffer): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.INTEGER, false, minimalInteger(bytes).toString('binary')),
  smallInteger: (value: number): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.INTEGER, false, forge.asn1.integerToDer(value).getBytes()),
  octets: (bytes: Buffer): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.OCTET_STRING, false, bytes.toString('binary')),
  bitString: (bytes: Buffer, unusedBits = 0): Asn1Node =>
    forge.asn1.create(UNIVERSAL, Tag.BIT_STRING, false, String.fromCharCode(unusedBits) + bytes.toString('binary')),
  boolean: (value: boolean): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.BOOLEAN, false, value ? '\xff' : '\x00'),
  null: (): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.NULL, false, ''),
  utf8: (text: string): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.UTF8_STRING, false, forge.util.encodeUtf8(text)),
  printable: (text: string): Asn1Node => forge.asn1.create(UNIVERSAL, Tag.PRINTABLE_STRING, false, text),
  /** RFC 5280 / RFC 5652: UTCTime through 2049, GeneralizedTime from 2050. */
  time: (date: Date): Asn1Node =>
    date.getUTCFullYear() < 2050
      ? forge.asn1.create(UNIVERSAL, Tag.UTC_TIME, false, forge.asn1.dateToUtcTime(date))
      : forge.asn1.create(UNIVERSAL, Tag.GENERALIZED_TIME, false, forge.asn1.dateToGeneralizedTime(date)),
  explicit: (tagNumber: number, inner: Asn1Node): Asn1Node => forge.asn1.create(CONTEXT, tagNumber, true, [inner]),
  implicitConstructed: (tagNumber: number, items: Asn1Node[]): Asn1Node => forge.asn1.create(CONTEXT, tagNumber, true, items),
  implicitPrimitive: (tagNumber: number, bytes: Buffer): Asn1Node => forge.asn1.create(CONTEXT, tagNumber, false, bytes.toString('binary')),
  /** Embeds an already-encoded structure (a certificate, a Name). */
  fromDer: (der: Buffer, what: string): Asn1Node => parseDer(der, what),
};

/** Unsigned magnitude -> DER INTEGER content (leading zero when the high bit is set). */
function minimalInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] & 0x80) === 0) start += 1;
  const trimmed = bytes.subarray(start);
  return (trimmed[0] & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
}
