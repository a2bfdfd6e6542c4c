/**
 * The institution list in the shape of the public list of public persons and institutions: one row
 * per institution. Headers are matched case-insensitively, in Latvian or English (docs/institutions.md):
 *
 * | column | Latvian header | required | meaning |
 * | registration_number | Reģistrācijas numurs | yes | 11 digits |
 * | name | Nosaukums | yes | official name |
 * | short_name | Saīsinātais nosaukums | no | |
 * | type | Veids | yes | Ministrija / Centrālā valsts iestāde / Padotības iestāde / Pašvaldība (or ministry, cvi, subordinate, municipality) |
 * | higher_institution | Augstākā iestāde | for a subordinate | registration number of the resort's head |
 * | coordination_variant | Saskaņošanas variants | no | 1, 2 or 3; a new institution without it gets 2 |
 * | e_address | E-adrese | no | `<box>@<registration number>` |
 */
import type { InstitutionType } from '../../application/rules/rights';
import type { CsvTable } from './csv';

export interface InstitutionListRow {
  readonly line: number;
  readonly registrationNumber: string;
  readonly officialName: string;
  readonly shortName?: string;
  readonly type: string;
  readonly higherInstitution?: string;
  readonly coordinationVariant?: number;
  readonly eAddress?: string;
}

export interface ListProblem {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

export const LIST_COLUMNS = {
  registrationNumber: ['registration_number', 'reģistrācijas numurs', 'registracijas numurs', 'regnr'],
  officialName: ['name', 'nosaukums'],
  shortName: ['short_name', 'saīsinātais nosaukums', 'saisinatais nosaukums'],
  type: ['type', 'veids'],
  higherInstitution: ['higher_institution', 'augstākā iestāde', 'augstaka iestade'],
  coordinationVariant: ['coordination_variant', 'saskaņošanas variants', 'saskanosanas variants'],
  eAddress: ['e_address', 'e-adrese', 'eadrese'],
} as const;

const REQUIRED: (keyof typeof LIST_COLUMNS)[] = ['registrationNumber', 'officialName', 'type'];

/** The list's words for the types, and the domain's own codes. */
export const LIST_TYPES: Readonly<Record<string, InstitutionType>> = {
  ministrija: 'ministry',
  'centrālā valsts iestāde': 'cvi',
  'centrala valsts iestade': 'cvi',
  'padotības iestāde': 'subordinate',
  'padotibas iestade': 'subordinate',
  pašvaldība: 'municipality',
  pasvaldiba: 'municipality',
  ministry: 'ministry',
  cvi: 'cvi',
  subordinate: 'subordinate',
  municipality: 'municipality',
};

export function parseInstitutionList(table: CsvTable): { rows: InstitutionListRow[]; problems: ListProblem[] } {
  const { header, records } = table;
  if (table.problems && table.problems.length > 0) return { rows: [], problems: table.problems.map((p) => ({ line: p.line, field: 'csv', message: p.message })) };
  const names = header.map((h) => h.toLowerCase());
  const index = Object.fromEntries(
    (Object.keys(LIST_COLUMNS) as (keyof typeof LIST_COLUMNS)[]).map((key) => [key, names.findIndex((n) => (LIST_COLUMNS[key] as readonly string[]).includes(n))]),
  ) as Record<keyof typeof LIST_COLUMNS, number>;
  const missing = REQUIRED.filter((key) => index[key] < 0);
  if (missing.length > 0) {
    return { rows: [], problems: missing.map((key) => ({ line: 1, field: LIST_COLUMNS[key][0], message: `the header has no ${LIST_COLUMNS[key][0]} column (or ${LIST_COLUMNS[key][1]})` })) };
  }
  const rows: InstitutionListRow[] = [];
  const problems: ListProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    const cell = (key: keyof typeof LIST_COLUMNS) => (index[key] >= 0 ? (fields[index[key]] ?? '').trim() : '');
    const registrationNumber = cell('registrationNumber').replace(/^LV/i, '');
    const variant = cell('coordinationVariant');
    const first = seen.get(registrationNumber);
    if (first !== undefined) {
      problems.push({ line, field: 'registration_number', message: `registration_number ${registrationNumber} is listed again (first on line ${first}); the row is skipped` });
      continue;
    }
    seen.set(registrationNumber, line);
    rows.push({
      line,
      registrationNumber,
      officialName: cell('officialName'),
      ...(cell('shortName') && { shortName: cell('shortName') }),
      type: cell('type'),
      ...(cell('higherInstitution') && { higherInstitution: cell('higherInstitution').replace(/^LV/i, '') }),
      ...(variant && { coordinationVariant: Number(variant) }),
      ...(cell('eAddress') && { eAddress: cell('eAddress') }),
    });
  }
  return { rows, problems };
}

/** The list's type word as the domain's type, or the word itself (the decider then refuses it by name). */
export function institutionTypeOf(word: string): InstitutionType | string {
  return LIST_TYPES[word.trim().toLowerCase()] ?? word;
}


