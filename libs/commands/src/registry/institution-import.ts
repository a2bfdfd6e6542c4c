import { readCsv } from '@atlauja/csv';
import { DomainError, parseInstitutionList, planImport, type Actor, type InstitutionState, type ListProblem } from '@atlauja/domain';
import { runEntry } from '../command-entry';
import type { RegistryPorts } from '../ports';
import { INSTITUTION_COMMANDS } from './institution-entries';
import { institutionState } from './institution-reads';

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
  now: Date;
  /** `now` as a Riga instant. */
  at: string;
  correlationId: string;
  /** Plan and check only; append nothing. */
  dryRun?: boolean;
}

export interface ImportPorts extends RegistryPorts {
  /** Every registration number the registry holds (from its read model), to report those the file leaves out. */
  registeredNumbers?(): Promise<string[]>;
}

/**
 * Imports an institution list (CSV, see docs/institutions.md) into the registry: each row through
 * the institution decider, heads of resorts first. Unchanged rows record nothing, so importing the
 * same file twice appends nothing the second time. A refused row is reported and the rest go on.
 */
export async function importInstitutionList(text: string, ports: ImportPorts, options: ImportOptions): Promise<ImportReport> {
  const { rows, problems } = parseInstitutionList(readCsv(text));
  // Each listed institution as its own stream says (exact); heads first, so a subordinate finds its head.
  const states = new Map<string, InstitutionState>();
  for (const row of rows) states.set(row.registrationNumber, await institutionState(ports.store, row.registrationNumber));
  const known = (n: string) => (states.get(n)?.status === 'none' ? undefined : states.get(n));
  const plan = planImport(rows, known, (await ports.registeredNumbers?.()) ?? []);
  const report: ImportReport = { registered: [], updated: [], unchanged: [], notActive: [], refused: [], problems, notInFile: [...plan.notInFile], appended: 0 };
  const { actor, now, at, correlationId } = options;
  for (const step of plan.steps) {
    if (step.kind === 'unchanged') {
      report.unchanged.push(step.registrationNumber);
      continue;
    }
    if (step.kind === 'not-active') {
      report.notActive.push({ registrationNumber: step.registrationNumber, status: step.status });
      continue;
    }
    try {
      const run = { actor, now, at, correlationId, dryRun: options.dryRun === true };
      const outcome = step.kind === 'register'
        ? await runEntry(ports.store, INSTITUTION_COMMANDS.register, step.registrationNumber, { details: step.details }, run, ports)
        : await runEntry(ports.store, INSTITUTION_COMMANDS.update, step.registrationNumber, { changes: step.changes }, run, ports);
      if (!options.dryRun) report.appended += outcome.events.length;
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
