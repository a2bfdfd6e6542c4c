import { readCsv } from '@atlauja/csv';
import {
  DomainError,
  decideInstitution,
  parseInstitutionList,
  planImport,
  type Actor,
  type InstitutionCommand,
  type ListProblem,
} from '@atlauja/domain';
import type { RegistryIndex } from './registry-index';
import type { RegistryStreams } from './registry-streams';

export interface ImportReport {
  registered: string[];
  updated: { registrationNumber: string; fields: readonly string[] }[];
  unchanged: string[];
  /** Rows that differ from a deactivated or deleted institution: reported, not applied. */
  notActive: { registrationNumber: string; status: string }[];
  /** Rows the registry's rules refused, with the rule. */
  refused: { line: number; registrationNumber: string; code: string; field: string; message: string }[];
  /** Rows the reader could not take (a missing column, a number listed twice). */
  problems: ListProblem[];
  /** Registered institutions the file does not list (left as they are). */
  notInFile: string[];
  /** Events appended: 0 on a rerun of the same file. */
  appended: number;
}

export interface ImportOptions {
  actor: Actor;
  at: string;
  correlationId: string;
  /** Plan and check only; append nothing. */
  dryRun?: boolean;
}

/**
 * Imports an institution list (CSV, see docs/institutions.md) into the registry: each row through
 * the institution decider, heads of resorts first. Unchanged rows record nothing, so importing the
 * same file twice appends nothing the second time. A refused row is reported and the rest go on.
 */
export async function importInstitutionList(text: string, index: RegistryIndex, streams: RegistryStreams, options: ImportOptions): Promise<ImportReport> {
  const { rows, problems } = parseInstitutionList(readCsv(text));
  await index.refresh();
  const plan = planImport(rows, (n) => index.institution(n), index.allInstitutions().map((s) => s.registrationNumber as string));
  const report: ImportReport = { registered: [], updated: [], unchanged: [], notActive: [], refused: [], problems, notInFile: [...plan.notInFile], appended: 0 };
  const { actor, at, correlationId } = options;
  for (const step of plan.steps) {
    if (step.kind === 'unchanged') {
      report.unchanged.push(step.registrationNumber);
      continue;
    }
    if (step.kind === 'not-active') {
      report.notActive.push({ registrationNumber: step.registrationNumber, status: step.status });
      continue;
    }
    const loaded = await streams.loadInstitution(step.registrationNumber);
    const head = step.kind === 'register' ? step.details.resortHead : (step.changes.resortHead ?? loaded.state.details?.resortHead);
    const headState = head && head !== step.registrationNumber && /^\d{11}$/.test(head) ? (await streams.loadInstitution(head)).state : undefined;
    const resortHead = headState ? (headState.details ? { type: headState.details.type, status: headState.status } : null) : undefined;
    const base = { registrationNumber: step.registrationNumber, actor, at, ...(resortHead !== undefined && { resortHead }) };
    const command: InstitutionCommand = step.kind === 'register' ? { type: 'RegisterInstitution', ...base, details: step.details } : { type: 'UpdateInstitution', ...base, changes: step.changes };
    try {
      const events = decideInstitution(command, loaded.state);
      if (!options.dryRun && events.length > 0) {
        await streams.appendInstitution(step.registrationNumber, events, loaded.revision, { actor: actor.id, correlationId, occurredAt: at });
        report.appended += events.length;
      }
      if (step.kind === 'register') report.registered.push(step.registrationNumber);
      else report.updated.push({ registrationNumber: step.registrationNumber, fields: step.fields });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      report.refused.push({ line: step.line, registrationNumber: step.registrationNumber, code: error.code, field: error.field, message: error.message });
    }
  }
  return report;
}

/** The report as lines for a terminal. */
export function importReportLines(report: ImportReport, dryRun = false): string[] {
  const lines = [
    `${dryRun ? 'would register' : 'registered'}: ${report.registered.length}${report.registered.length ? ` (${report.registered.join(', ')})` : ''}`,
    `${dryRun ? 'would update' : 'updated'}: ${report.updated.length}${report.updated.map((u) => `\n  ${u.registrationNumber}: ${u.fields.join(', ')}`).join('')}`,
    `unchanged: ${report.unchanged.length}`,
  ];
  if (report.notActive.length) lines.push(`not applied (institution not active): ${report.notActive.map((n) => `${n.registrationNumber} (${n.status})`).join(', ')}`);
  if (report.notInFile.length) lines.push(`registered but not in the file (left as they are): ${report.notInFile.join(', ')}`);
  for (const r of report.refused) lines.push(`refused, line ${r.line} (${r.registrationNumber}): ${r.code} ${r.message}`);
  for (const p of report.problems) lines.push(`skipped, line ${p.line}: ${p.message}`);
  lines.push(`events appended: ${report.appended}`);
  return lines;
}
