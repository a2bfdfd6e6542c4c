/**
 * What an audit found wrong, one record per problem, each named by a stable code so a report can
 * be read by people and compared by machines. Revisions travel as decimal strings (bigint-safe JSON).
 */
export type FindingKind = 'chain' | 'transition' | 'schema' | 'signature' | 'bundle' | 'read-model';

export interface Finding {
  readonly kind: FindingKind;
  /** Stable code, e.g. HASH_MISMATCH, FOUR_EYES, CRL_NOT_ARCHIVED. */
  readonly code: string;
  readonly stream?: string;
  readonly revision?: string;
  readonly type?: string;
  /** For transitions: the machine's rule that refused it (e.g. fourEyes), or `transition` when the state has no such transition. */
  readonly rule?: string;
  readonly message: string;
}

/** One line for a terminal or a log: never holds a personal code (messages are written without them). */
export function findingLine(finding: Finding): string {
  const where = [finding.stream, finding.revision !== undefined ? `@${finding.revision}` : undefined, finding.type ? `(${finding.type})` : undefined]
    .filter(Boolean)
    .join(' ');
  const rule = finding.rule ? ` [${finding.rule}]` : '';
  return `${finding.kind} ${finding.code}${rule}${where ? ` ${where}` : ''}: ${finding.message}`;
}
