/**
 * The readable document a representative signs: the submitted application as a Latvian PDF, with
 * the canonical JSON attached. Deterministic: the same input gives the same bytes on any machine,
 * in any time zone, on any day — the only time in it is the submission's, the font is embedded
 * from a pinned package, pdf-lib compresses with pako (pure JavaScript, not the platform's zlib)
 * and its subset names come from a fixed-seed generator.
 */
import { readFileSync } from 'node:fs';
import { AFRelationship, PDFDocument, PDFFont, PDFPage, rgb } from '@cantoo/pdf-lib';
import fontkit from '@cantoo/fontkit';
import { LRUCache } from 'lru-cache';
import { ATTACHMENT_NAME, KIND_LABELS, RIGHTS_GROUP_LABELS, RIGHTS_GROUP_ORDER, SCOPE_LABELS, TEXT } from './labels';

export interface ApplicationPdfInput {
  applicationId: string;
  revision: string;
  /** The submitted content (plain JSON, as canonicalized). */
  content: unknown;
  /** The canonical JSON bytes: attached, and their SHA-256 printed. */
  json: Buffer;
  jsonSha256: string;
  /** The submission's time as recorded (ISO instant): the PDF's only time. */
  submittedAt: string;
}

export const PRODUCER = 'Atļauja';

const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.35, 0.35, 0.35);
const RULE = rgb(0.6, 0.6, 0.6);

let fonts: { regular: Buffer; bold: Buffer } | undefined;
function fontBytes(): { regular: Buffer; bold: Buffer } {
  fonts ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fonts;
}

/**
 * fontkit parsed once per font for the process, its layouts remembered. pdf-lib asks fontkit to
 * parse the font again for every document, and fontkit decodes its tables lazily into that object,
 * so every render decoded the glyph, substitution and positioning tables afresh; and each line is
 * shaped twice (measured to wrap, then drawn). pdf-lib only reads a layout's glyphs (ids and
 * advance widths), and a parsed font is read-only to layout and subsetting: the bytes are the same
 * as with a fresh parse and no memory.
 */
type Font = NonNullable<ReturnType<typeof fontkit.create>>;
const LAYOUTS_KEPT = 4096;
const parsedFonts = new Map<ArrayBufferView, Font>();
const sharedFontkit: typeof fontkit = {
  ...fontkit,
  create: ((bytes: ArrayBufferView, postscriptName?: string | Uint8Array) => {
    if (postscriptName !== undefined) return fontkit.create(bytes, postscriptName);
    let font = parsedFonts.get(bytes);
    if (!font) {
      font = rememberingLayouts(fontkit.create(bytes) as Font);
      parsedFonts.set(bytes, font);
    }
    return font;
  }) as typeof fontkit.create,
};

function rememberingLayouts(font: Font): Font {
  const layout = (font as { layout?: (text: string, features?: unknown) => unknown }).layout;
  if (typeof layout !== 'function') return font;
  const kept = new LRUCache<string, object>({ max: LAYOUTS_KEPT });
  Object.defineProperty(font, 'layout', {
    value(text: unknown, features?: unknown, ...rest: unknown[]) {
      if (typeof text !== 'string' || rest.length > 0) return layout.call(font, text as string, features, ...(rest as []));
      const key = `${JSON.stringify(features ?? null)}\u0000${text}`;
      let run = kept.get(key);
      if (run === undefined) {
        run = layout.call(font, text, features) as object;
        kept.set(key, run);
      }
      return run;
    },
  });
  return font;
}

export async function renderApplicationPdf(input: ApplicationPdfInput): Promise<Buffer> {
  const submittedAt = new Date(input.submittedAt);
  if (Number.isNaN(submittedAt.getTime())) throw new TypeError('submittedAt must be an ISO instant');
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(sharedFontkit);
  const { regular, bold } = fontBytes();
  const writer = new PageWriter(doc, await doc.embedFont(regular, { subset: true }), await doc.embedFont(bold, { subset: true }));

  doc.setTitle(`Pieteikums ${input.applicationId}`);
  doc.setSubject(`${TEXT.subtitle}; SHA-256 ${input.jsonSha256}`);
  doc.setLanguage('lv-LV');
  doc.setCreator(PRODUCER);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(submittedAt);
  doc.setModificationDate(submittedAt);

  writeBody(writer, input);

  await doc.attach(input.json, ATTACHMENT_NAME, {
    mimeType: 'application/json',
    description: 'Kanoniskais JSON (RFC 8785) / canonical JSON',
    creationDate: submittedAt,
    modificationDate: submittedAt,
    afRelationship: AFRelationship.Source,
  });
  // A classic cross-reference table: the simplest base for a signer's incremental update.
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

interface Content {
  kind?: unknown;
  institution?: unknown;
  user?: { givenName?: unknown; surname?: unknown; personalCode?: unknown; email?: unknown } | null;
  term?: { kind?: unknown; date?: unknown; months?: unknown } | null;
  rights?: unknown;
  justification?: unknown;
  replaces?: unknown;
}

function writeBody(w: PageWriter, input: ApplicationPdfInput): void {
  const c = (input.content ?? {}) as Content;
  w.heading(TEXT.title, 15);
  w.paragraph(TEXT.subtitle, { size: 9, color: MUTED });
  w.gap(10);

  w.field(TEXT.kind, KIND_LABELS[String(c.kind)] ?? String(c.kind ?? '—'));
  w.field(TEXT.institution, String(c.institution ?? '—'));
  const user = c.user ?? {};
  w.field(TEXT.user, `${String(user.givenName ?? '')} ${String(user.surname ?? '')}`.trim() || '—');
  w.field(TEXT.personalCode, String(user.personalCode ?? '—'));
  w.field(TEXT.email, String(user.email ?? '—'));
  w.field(TEXT.term, termText(c.term));
  if (c.replaces) w.field(TEXT.replaces, String(c.replaces));

  w.gap(6);
  w.label(TEXT.rights);
  const rights = Array.isArray(c.rights) ? (c.rights as { kind?: unknown; institution?: unknown; resort?: unknown; groups?: unknown }[]) : [];
  if (rights.length === 0) w.paragraph(TEXT.noRights);
  else w.rightsTable(rights.map((scope) => ({
    scope: `${SCOPE_LABELS[String(scope.kind)] ?? String(scope.kind)} ${String(scope.kind === 'resort' ? scope.resort : scope.institution)}`,
    groups: Array.isArray(scope.groups) ? scope.groups.map(String) : [],
  })));

  w.gap(6);
  w.label(TEXT.justification);
  w.paragraph(String(c.justification ?? '—'));

  w.gap(10);
  w.rule();
  w.label(TEXT.identity);
  w.field(TEXT.applicationId, input.applicationId);
  w.field(TEXT.revision, input.revision);
  w.field(TEXT.submittedAt, input.submittedAt);
  w.label(TEXT.jsonSha256);
  w.paragraph(input.jsonSha256, { size: 9 });
  w.gap(4);
  w.paragraph(TEXT.attachment(ATTACHMENT_NAME), { size: 8.5, color: MUTED });
  w.paragraph(TEXT.signHere, { size: 8.5, color: MUTED });
}

function termText(term: Content['term']): string {
  if (term?.kind === 'until') return TEXT.termUntil(String(term.date));
  if (term?.kind === 'after-last-login') return TEXT.termAfterLogin(Number(term.months));
  return '—';
}

/** Top-down text layout over as many A4 pages as the content needs. */
class PageWriter {
  private page: PDFPage;
  private y: number;
  private readonly width = PAGE.width - 2 * PAGE.margin;

  constructor(private readonly doc: PDFDocument, private readonly regular: PDFFont, private readonly bold: PDFFont) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  gap(points: number): void {
    this.y -= points;
  }

  heading(text: string, size: number): void {
    for (const line of wrap(text, this.bold, size, this.width)) this.line(line, PAGE.margin, size, this.bold, INK);
  }

  label(text: string): void {
    this.line(text, PAGE.margin, 9, this.bold, MUTED);
    this.gap(2);
  }

  paragraph(text: string, options: { size?: number; color?: ReturnType<typeof rgb> } = {}): void {
    const size = options.size ?? 10.5;
    for (const paragraph of clean(text).split('\n')) {
      for (const line of wrap(paragraph, this.regular, size, this.width)) this.line(line, PAGE.margin, size, this.regular, options.color ?? INK);
    }
  }

  /** A label column and a value column; long values wrap under themselves. */
  field(label: string, value: string): void {
    const labelWidth = 170;
    const size = 10.5;
    const lines = wrap(clean(value), this.regular, size, this.width - labelWidth);
    this.ensure(14 * lines.length);
    this.page.drawText(label, { x: PAGE.margin, y: this.y - 10, size: 9, font: this.bold, color: MUTED });
    lines.forEach((line, i) => {
      this.page.drawText(line, { x: PAGE.margin + labelWidth, y: this.y - 10 - i * 13, size, font: this.regular, color: INK });
    });
    this.y -= 13 * lines.length + 4;
  }

  rule(): void {
    this.ensure(8);
    this.page.drawLine({ start: { x: PAGE.margin, y: this.y }, end: { x: PAGE.margin + this.width, y: this.y }, thickness: 0.5, color: RULE });
    this.y -= 8;
  }

  /** Scopes down, the six rights groups across, a check mark where granted. */
  rightsTable(rows: { scope: string; groups: string[] }[]): void {
    const scopeWidth = 120;
    const cellWidth = (this.width - scopeWidth) / RIGHTS_GROUP_ORDER.length;
    const headerLines = RIGHTS_GROUP_ORDER.map((group) => wrap(RIGHTS_GROUP_LABELS[group], this.bold, 7.5, cellWidth - 6));
    const headerHeight = 11 * Math.max(...headerLines.map((l) => l.length)) + 8;
    this.ensure(headerHeight + 20);
    const top = this.y;
    this.cellText(TEXT.scope, PAGE.margin + 4, top - 11, 8, this.bold);
    headerLines.forEach((lines, i) => lines.forEach((line, j) => this.cellText(line, PAGE.margin + scopeWidth + i * cellWidth + 3, top - 11 - j * 11, 7.5, this.bold)));
    this.y = top - headerHeight;
    this.hline(top);
    this.hline(this.y);
    for (const row of rows) {
      const scopeLines = wrap(clean(row.scope), this.regular, 9.5, scopeWidth - 8);
      const height = 12 * scopeLines.length + 8;
      if (this.y - height < PAGE.margin) this.newPage();
      const rowTop = this.y;
      scopeLines.forEach((line, j) => this.cellText(line, PAGE.margin + 4, rowTop - 12 - j * 12, 9.5, this.regular));
      RIGHTS_GROUP_ORDER.forEach((group, i) => {
        if (row.groups.includes(group)) this.cellText('✓', PAGE.margin + scopeWidth + i * cellWidth + cellWidth / 2 - 4, rowTop - 12, 11, this.bold);
      });
      this.y = rowTop - height;
      this.hline(this.y);
    }
    this.gap(6);
  }

  private cellText(text: string, x: number, y: number, size: number, font: PDFFont): void {
    this.page.drawText(text, { x, y, size, font, color: INK });
  }

  private hline(y: number): void {
    this.page.drawLine({ start: { x: PAGE.margin, y }, end: { x: PAGE.margin + this.width, y }, thickness: 0.5, color: RULE });
  }

  private line(text: string, x: number, size: number, font: PDFFont, color: ReturnType<typeof rgb>): void {
    this.ensure(size * 1.35);
    this.page.drawText(text, { x, y: this.y - size, size, font, color });
    this.y -= size * 1.35;
  }

  private ensure(height: number): void {
    if (this.y - height < PAGE.margin) this.newPage();
  }

  private newPage(): void {
    this.page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }
}

/** Control characters would print as boxes; tabs and carriage returns become plain spacing. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
}

/** Greedy word wrap; a word wider than the line is cut by characters. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= width;
  for (const word of text.split(/ +/)) {
    const candidate = current ? `${current} ${word}` : word;
    if (fits(candidate)) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = '';
    let rest = word;
    while (rest && !fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    current = rest;
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}
