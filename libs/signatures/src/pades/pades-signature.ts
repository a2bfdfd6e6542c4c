/**
 * PAdES (ETSI EN 319 142-1): the served PDF, byte for byte, followed by incremental updates that
 * add a signature and nothing a reader would see. The CMS in /Contents is checked as CAdES over
 * the ByteRange. Later updates may add only validation material (a DSS dictionary) and document
 * timestamps, which are collected for the long-term checks.
 */
import { inflateSync } from 'node:zlib';
import { examineCades } from '../cades-signature';
import { sha256Hex } from '../documents';
import { ExaminedSignature, LongTermMaterial, noLongTermMaterial } from '../long-term';
import { CheckList } from '../verdict';
import type { FormatContext } from '../verify';
import { IndirectObject, PdfDict, PdfSection, PdfSyntaxError, PdfValue, isDict, isRef, isString, name, readSection, sameValue } from './pdf-objects';

const CADES_SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);
/** Keys a signature may add to or change in the document catalog, a page and the form. */
const CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Perms', 'Extensions']);
const PAGE_KEYS = new Set(['Annots']);
const ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances']);

interface SignatureField {
  object: IndirectObject;
  dict: PdfDict;
  byteRange: number[];
  contents: { bytes: Buffer; start: number; end: number };
}

export function examinePades(checks: CheckList, pdf: Buffer, context: FormatContext): ExaminedSignature[] {
  const served = context.documents.readable;
  if (!served) {
    checks.fail('CONTENT_MISMATCH', 'no readable document was served for this submission: sign the canonical JSON as a .p7s');
    return [];
  }
  const servedEnd = served.bytes
    ? pdf.length > served.bytes.length && pdf.subarray(0, served.bytes.length).equals(served.bytes) ? served.bytes.length : undefined
    : prefixBySha256(pdf, served.sha256);
  if (servedEnd === undefined) {
    checks.fail('CONTENT_MISMATCH', 'the signed PDF does not begin with the served PDF, byte for byte: it was not signed as served');
    return [];
  }
  checks.pass('CONTENT_MISMATCH', `the signed PDF begins with the served PDF (${servedEnd} bytes, SHA-256 ${served.sha256.slice(0, 16)}…)`);

  let original: PdfSection;
  let update: PdfSection;
  try {
    original = readSection(pdf, 0, servedEnd);
    update = readSection(pdf, servedEnd);
  } catch (error) {
    if (!(error instanceof PdfSyntaxError)) throw error;
    checks.fail('MALFORMED', `the PDF's update cannot be read: ${error.message}`);
    return [];
  }
  const modifications = modificationsOf(original, update);
  if (modifications.length > 0) checks.fail('PDF_MODIFIED_AFTER_SIGNING', `the update changes the document, not only adds a signature: ${modifications.join('; ')}`);
  else checks.pass('PDF_MODIFIED_AFTER_SIGNING', 'the update adds signature fields, their appearance and validation material only');

  const fields = signatureFields(checks, pdf, update);
  const signatures = fields.filter((field) => name(field.dict.entries.get('Type')) !== 'DocTimeStamp');
  const timestamps = fields.filter((field) => name(field.dict.entries.get('Type')) === 'DocTimeStamp');
  if (signatures.length === 0) {
    checks.fail('MALFORMED', 'the PDF has no signature added to the served document');
    return [];
  }
  const revisionEnds = update.revisionEnds.map((end) => end + 0);
  const found: ExaminedSignature[] = [];
  for (const field of signatures) {
    const label = `PDF signature ${field.object.num}`;
    const scoped = signatures.length > 1 ? checks.scoped(label) : checks;
    if (!checkByteRange(scoped, field, revisionEnds, servedEnd, pdf.length)) continue;
    const subFilter = name(field.dict.entries.get('SubFilter')) ?? '';
    if (!CADES_SUBFILTERS.has(subFilter)) {
      scoped.fail('ALGORITHM_UNSUPPORTED', `SubFilter /${subFilter || '(none)'}; ETSI.CAdES.detached (or adbe.pkcs7.detached with CAdES attributes) is accepted`);
      continue;
    }
    const examined = examineCades(scoped, derOf(field.contents.bytes), {
      contents: [{ label: 'the ByteRange of the signed PDF', bytes: rangeBytes(pdf, field.byteRange) }],
      now: context.options.now,
      skewSeconds: context.skewSeconds,
      earliestSigningTime: context.options.earliestSigningTime,
      signingTimeOutside: pdfDate(field.dict.entries.get('M')) ?? 'absent',
      extraCertificates: context.internal.extraCertificates,
      label,
    });
    if (examined) found.push(examined);
  }
  const material = longTermMaterial(pdf, update, timestamps);
  for (const examined of found) mergeMaterial(examined.longTerm, material);
  return found;
}

/** Where the served document ends when only its SHA-256 is known (an auditor's case): at one of the %%EOF markers. */
function prefixBySha256(pdf: Buffer, sha256: string): number | undefined {
  for (let at = pdf.indexOf('%%EOF'); at >= 0; at = pdf.indexOf('%%EOF', at + 5)) {
    for (const end of [at + 5, at + 6, at + 7]) {
      if (end < pdf.length && sha256Hex(pdf.subarray(0, end)) === sha256) return end;
    }
  }
  return undefined;
}

/**
 * What the update rewrites of the served document's objects. A signature may add /AcroForm (and
 * /DSS, /Perms) to the catalog, /Annots to a page and fields to the form, nothing else; the
 * annotations it adds must be signature widgets (any other annotation could paint over the page).
 */
function modificationsOf(original: PdfSection, update: PdfSection): string[] {
  const before = new Map(original.objects.map((object) => [object.num, object]));
  const after = new Map<number, IndirectObject>();
  for (const object of update.objects) after.set(object.num, object);
  const rootRef = original.trailers.at(-1)?.entries.get('Root');
  const root = isRef(rootRef) ? before.get(rootRef.num) : undefined;
  const acroFormRef = root && isDict(root.value) ? root.value.entries.get('AcroForm') : undefined;
  const problems: string[] = [];
  for (const trailer of update.trailers) {
    if (!sameValue(trailer.entries.get('Root'), rootRef)) problems.push('a trailer names another document catalog');
  }
  const lookup = (value: PdfValue | undefined): PdfValue | undefined => (isRef(value) ? (after.get(value.num) ?? before.get(value.num))?.value : value);
  for (const object of update.objects) {
    const type = isDict(object.value) ? name(object.value.entries.get('Type')) : undefined;
    if (type === 'ObjStm' || type === 'XRef') {
      problems.push(`object ${object.num} is a compressed ${type} stream, which this check does not read`);
      continue;
    }
    const previous = before.get(object.num);
    if (!previous) continue;
    const was = previous.value;
    const now = object.value;
    if (!isDict(was) || !isDict(now)) {
      problems.push(`object ${object.num} is rewritten`);
      continue;
    }
    const allowed = previous === root ? CATALOG_KEYS : name(was.entries.get('Type')) === 'Page' ? PAGE_KEYS : isRef(acroFormRef) && acroFormRef.num === object.num ? ACROFORM_KEYS : undefined;
    if (!allowed) {
      problems.push(`object ${object.num}${name(was.entries.get('Type')) ? ` (/${name(was.entries.get('Type'))})` : ''} is rewritten`);
      continue;
    }
    const keys = new Set([...was.entries.keys(), ...now.entries.keys()]);
    const changed = [...keys].filter((key) => !sameValue(was.entries.get(key), now.entries.get(key)));
    const forbidden = changed.filter((key) => !allowed.has(key));
    if (forbidden.length > 0) problems.push(`object ${object.num} changes ${forbidden.map((k) => `/${k}`).join(', ')}`);
    for (const key of ['Annots', 'Fields']) {
      if (!changed.includes(key)) continue;
      const old = refsIn(lookup(was.entries.get(key)));
      const added = refsIn(lookup(now.entries.get(key)));
      if (old.some((ref) => !added.includes(ref))) problems.push(`object ${object.num} removes from /${key}`);
      for (const ref of added.filter((r) => !old.includes(r))) {
        const item = after.get(ref)?.value ?? before.get(ref)?.value;
        if (!isSignatureField(item, lookup)) problems.push(`object ${object.num} adds ${key === 'Annots' ? 'an annotation' : 'a form field'} (${ref}) that is not a signature field`);
      }
    }
  }
  return problems;
}

function refsIn(value: PdfValue | undefined): number[] {
  return Array.isArray(value) ? value.filter(isRef).map((ref) => ref.num) : [];
}

function isSignatureField(value: PdfValue | undefined, lookup: (v: PdfValue | undefined) => PdfValue | undefined): boolean {
  if (!isDict(value)) return false;
  const subtype = name(value.entries.get('Subtype'));
  if (subtype !== undefined && subtype !== 'Widget') return false;
  if (name(value.entries.get('FT')) === 'Sig') return true;
  const parent = lookup(value.entries.get('Parent'));
  return isDict(parent) && name(parent.entries.get('FT')) === 'Sig';
}

function signatureFields(checks: CheckList, pdf: Buffer, update: PdfSection): SignatureField[] {
  const fields: SignatureField[] = [];
  for (const object of update.objects) {
    if (!isDict(object.value) || !object.value.entries.has('ByteRange')) continue;
    const byteRange = object.value.entries.get('ByteRange');
    const contents = object.value.entries.get('Contents');
    if (!Array.isArray(byteRange) || byteRange.length !== 4 || !byteRange.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) || !isString(contents) || !contents.hex) {
      checks.fail('BYTE_RANGE_INVALID', `signature dictionary ${object.num} has no ByteRange of four offsets and hex /Contents`);
      continue;
    }
    fields.push({ object, dict: object.value, byteRange: byteRange as number[], contents: { bytes: contents.bytes, start: contents.start, end: contents.end } });
  }
  void pdf;
  return fields;
}

/** [0, a, b, c]: everything from the start to the end of a revision, except exactly the /Contents hex string. */
function checkByteRange(checks: CheckList, field: SignatureField, revisionEnds: number[], servedEnd: number, length: number): boolean {
  const [start, firstLength, second, secondLength] = field.byteRange;
  const problems: string[] = [];
  if (start !== 0) problems.push('it does not start at the first byte');
  if (firstLength !== field.contents.start || second !== field.contents.end) problems.push('its gap is not exactly the /Contents value');
  const end = second + secondLength;
  if (end > length) problems.push('it reaches past the end of the file');
  else if (!revisionEnds.includes(end)) problems.push('it does not end where a revision ends (%%EOF)');
  if (firstLength < servedEnd) problems.push('it does not cover the served document');
  if (problems.length > 0) {
    checks.fail('BYTE_RANGE_INVALID', `ByteRange [${field.byteRange.join(' ')}]: ${problems.join(', ')}`);
    return false;
  }
  checks.pass('BYTE_RANGE_INVALID', `ByteRange covers the first ${end} bytes but the signature value`);
  return true;
}

function rangeBytes(pdf: Buffer, [start, firstLength, second, secondLength]: number[]): Buffer {
  return Buffer.concat([pdf.subarray(start, start + firstLength), pdf.subarray(second, second + secondLength)]);
}

/** /Contents is padded with zeros to its reserved size; the CMS is as long as its DER header says. */
export function derOf(contents: Buffer): Buffer {
  if (contents[0] !== 0x30 || contents.length < 2) return contents;
  const first = contents[1];
  if (first < 0x80) return contents.subarray(0, 2 + first);
  const count = first & 0x7f;
  if (count === 0 || count > 4 || contents.length < 2 + count) return contents;
  const length = contents.subarray(2, 2 + count).reduce((total, byte) => total * 256 + byte, 0);
  return contents.subarray(0, Math.min(contents.length, 2 + count + length));
}

/** D:YYYYMMDDHHmmSS with an optional zone (Z, +HH'mm'). */
function pdfDate(value: PdfValue | undefined): Date | undefined {
  if (!isString(value)) return undefined;
  const match = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?/.exec(value.bytes.toString('latin1'));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, zone, sign, zh, zm] = match;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s);
  const offset = zone && zone !== 'Z' ? (sign === '-' ? -1 : 1) * (+zh * 60 + +zm) * 60_000 : 0;
  return new Date(utc - offset);
}

/** Document timestamps and the DSS (Certs, CRLs, OCSPs) as found, for the long-term checks. */
function longTermMaterial(pdf: Buffer, update: PdfSection, timestamps: SignatureField[]): LongTermMaterial {
  const material = noLongTermMaterial();
  for (const field of timestamps) material.timestamps.push({ kind: 'document', token: derOf(field.contents.bytes), covered: rangeBytes(pdf, field.byteRange) });
  const objects = new Map(update.objects.map((object) => [object.num, object]));
  const resolve = (value: PdfValue | undefined): IndirectObject | undefined => (isRef(value) ? objects.get(value.num) : undefined);
  for (const object of update.objects) {
    const dss = isDict(object.value) ? object.value.entries.get('DSS') : undefined;
    const dict = isRef(dss) ? resolve(dss)?.value : dss;
    if (!isDict(dict)) continue;
    const streams = (key: string): Buffer[] => {
      const list = dict.entries.get(key);
      return (Array.isArray(list) ? list : []).map((ref) => resolve(ref)).filter((o): o is IndirectObject => !!o?.stream).map(streamData).filter((b): b is Buffer => !!b);
    };
    material.certificates.push(...streams('Certs'));
    material.crls.push(...streams('CRLs'));
    material.ocspResponses.push(...streams('OCSPs'));
  }
  return material;
}

function streamData(object: IndirectObject): Buffer | undefined {
  const filter = isDict(object.value) ? name(object.value.entries.get('Filter')) : undefined;
  if (!object.stream) return undefined;
  if (filter === undefined) return object.stream;
  if (filter !== 'FlateDecode') return undefined;
  try {
    return inflateSync(object.stream, { maxOutputLength: 4 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

function mergeMaterial(target: LongTermMaterial, extra: LongTermMaterial): void {
  target.timestamps.push(...extra.timestamps);
  target.certificates.push(...extra.certificates);
  target.crls.push(...extra.crls);
  target.ocspResponses.push(...extra.ocspResponses);
}
