/**
 * From the list and the registry as it is, what to do: register the new, update the changed, leave
 * the same alone. Nothing is appended for an unchanged row, so importing a file twice records
 * nothing the second time. Institutions absent from the file are only reported, never deactivated:
 * a partial file must not close institutions.
 */
import type { CoordinationVariant } from '../../application/rules/rights';
import type { InstitutionDetails, InstitutionDetailsInput } from '../rules/details';
import type { InstitutionState } from '../state';
import { institutionTypeOf, type InstitutionListRow } from './institution-list';

export const DEFAULT_COORDINATION_VARIANT: CoordinationVariant = 2;

export type ImportStep =
  | { readonly kind: 'register'; readonly line: number; readonly registrationNumber: string; readonly details: InstitutionDetailsInput }
  | { readonly kind: 'update'; readonly line: number; readonly registrationNumber: string; readonly changes: Partial<InstitutionDetails>; readonly fields: readonly string[] }
  | { readonly kind: 'unchanged'; readonly line: number; readonly registrationNumber: string }
  | { readonly kind: 'not-active'; readonly line: number; readonly registrationNumber: string; readonly status: string };

export interface ImportPlan {
  /** Heads of resorts before their subordinates, so every subordinate finds its head registered. */
  readonly steps: readonly ImportStep[];
  /** Registered institutions the file does not list. */
  readonly notInFile: readonly string[];
}

function detailsOf(row: InstitutionListRow, current: InstitutionDetails | null): InstitutionDetailsInput {
  const type = institutionTypeOf(row.type) as InstitutionDetails['type'];
  return {
    officialName: row.officialName,
    shortName: row.shortName ?? '',
    type,
    // A head's own number when the list leaves the higher institution empty.
    resortHead: type === 'subordinate' ? (row.higherInstitution ?? '') : row.registrationNumber,
    coordinationVariant: (row.coordinationVariant ?? current?.coordinationVariant ?? DEFAULT_COORDINATION_VARIANT) as CoordinationVariant,
    ...(row.eAddress !== undefined ? { eAddress: row.eAddress } : current ? { eAddress: current.eAddress } : {}),
  };
}

export function planImport(rows: readonly InstitutionListRow[], registry: (registrationNumber: string) => InstitutionState | undefined, registered: readonly string[] = []): ImportPlan {
  const ordered = [...rows].sort((a, b) => Number(institutionTypeOf(a.type) === 'subordinate') - Number(institutionTypeOf(b.type) === 'subordinate') || a.line - b.line);
  const steps = ordered.map((row): ImportStep => {
    const state = registry(row.registrationNumber);
    const base = { line: row.line, registrationNumber: row.registrationNumber };
    if (!state || state.status === 'none') return { kind: 'register', ...base, details: detailsOf(row, null) };
    const current = state.details as InstitutionDetails;
    const wanted = detailsOf(row, current);
    // Compare on the decider's normalization of names (runs of spaces collapsed), so a re-import is quiet.
    const normalized = { ...wanted, officialName: wanted.officialName.trim().replace(/\s+/g, ' '), shortName: (wanted.shortName ?? '').trim().replace(/\s+/g, ' ') };
    const fields = (Object.keys(normalized) as (keyof InstitutionDetails)[]).filter((key) => normalized[key] !== undefined && normalized[key] !== current[key]);
    if (fields.length === 0) return { kind: 'unchanged', ...base };
    if (state.status !== 'active' && state.status !== 'suspended') return { kind: 'not-active', ...base, status: state.status };
    return { kind: 'update', ...base, changes: Object.fromEntries(fields.map((f) => [f, normalized[f]])) as Partial<InstitutionDetails>, fields };
  });
  const listed = new Set(rows.map((r) => r.registrationNumber));
  return { steps, notInFile: registered.filter((n) => !listed.has(n)) };
}
